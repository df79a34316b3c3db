import type { Command } from 'commander';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { readEnv } from '../../baseten/env';
import { approveUpdate, rejectUpdate } from '../../workflows/messages';
import type { ApprovalDecision, ApprovalRequest } from '../../workflows/types';
import { createOutput } from '../output';
import { describeRelease } from '../release-handle';
import { resolveReleaseRef } from '../release-id';
import { connectClient } from '../../temporal/connect';
import { temporalSettingsFromEnv } from '../../temporal/settings';
import { UsageError } from '../usage-error';

interface ApproveOptions {
  reject?: boolean;
  reason?: string;
  by?: string;
  environment: string;
  json?: boolean;
}

export function registerApprove(program: Command): void {
  program
    .command('approve')
    .description('approve (or --reject) a release waiting at the approval gate (a Temporal Update)')
    .argument('<release>', 'a release id (release-<model>-<environment>) or a model name')
    .option('--reject', 'reject the release instead: production stays as it is')
    .option('--reason <text>', 'why, recorded in the release history')
    .option('--by <name>', 'who decides (default: $USER)')
    .option('--environment <name>', 'with a model name: the environment of the release', 'production')
    .option('--json', 'print the decision as one JSON object')
    .action(async (ref: string, options: ApproveOptions) => {
      const workflowId = resolveReleaseRef(ref, options.environment);
      const settings = temporalSettingsFromEnv();
      const out = createOutput(options.json ?? false);
      const verb = options.reject ? 'reject' : 'approve';
      const temporal = await connectClient(settings);
      try {
        const running = await describeRelease(temporal.client, workflowId);
        if (!running) throw new UsageError(`no release ${workflowId} (see \`baseten-cd list\`)`);
        if (running.status.name !== 'RUNNING') {
          throw new UsageError(`${workflowId} is not running (${running.status.name}): nothing to ${verb}`);
        }
        const handle = temporal.client.workflow.getHandle(workflowId, running.runId);
        const request = { by: options.by ?? readEnv('USER'), reason: options.reason };
        const decision = await handle
          // By wire name: the definitions' optional argument does not fit the client's overloads.
          .executeUpdate<ApprovalDecision, [ApprovalRequest]>((options.reject ? rejectUpdate : approveUpdate).name, {
            args: [request],
          })
          .catch((err: unknown) => {
            // The release's validator refuses (e.g. not waiting for approval): one line, nothing changed.
            if (err instanceof WorkflowUpdateFailedError) {
              throw new UsageError(`cannot ${verb} ${workflowId}: ${err.cause?.message ?? err.message}`);
            }
            throw err;
          });
        out.line(
          `${workflowId}: ${decision.approved ? 'approved' : 'rejected'}${decision.by ? ` by ${decision.by}` : ''}`,
        );
        out.result({ workflowId, ...decision });
      } finally {
        await temporal.close();
      }
    });
}
