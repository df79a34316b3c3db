import type { Command } from 'commander';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { readEnv } from '../../config/env';
import { approveUpdate, rejectUpdate } from '../../workflows/messages';
import { releaseRefArguments, withNamedRelease, type ReleaseRefOptions } from '../named-release';
import { createOutput } from '../output';
import { UsageError } from '../../common/usage-error';

interface ApproveOptions extends ReleaseRefOptions {
  reject?: boolean;
  reason?: string;
  by?: string;
  json?: boolean;
}

export function registerApprove(program: Command): void {
  const command = program
    .command('approve')
    .description('approve (or --reject) a release waiting at the approval gate (a Temporal Update)');
  releaseRefArguments(command)
    .option('--reject', 'reject the release instead: production stays as it is')
    .option('--reason <text>', 'why, recorded in the release history')
    .option('--by <name>', 'who decides (default: $USER)')
    .option('--json', 'print the decision as one JSON object')
    .action(async (ref: string, options: ApproveOptions) => {
      const out = createOutput(options.json ?? false);
      const verb = options.reject ? 'reject' : 'approve';
      await withNamedRelease(ref, options, async ({ client, workflowId, description }) => {
        if (description.status.name !== 'RUNNING') {
          throw new UsageError(`${workflowId} is not running (${description.status.name}): nothing to ${verb}`);
        }
        const handle = client.workflow.getHandle(workflowId, description.runId);
        const request = { by: options.by ?? readEnv('USER'), reason: options.reason };
        const decision = await handle
          .executeUpdate(options.reject ? rejectUpdate : approveUpdate, { args: [request] })
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
      });
    });
}
