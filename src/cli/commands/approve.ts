import type { Command } from 'commander';
import { readEnv } from '../../config/env';
import { UsageError } from '../../common/usage-error';
import { load } from '../lazy';
import { createOutput } from '../output';

interface ApproveOptions {
  environment: string;
  reject?: boolean;
  rollForward?: boolean;
  force?: boolean;
  reason?: string;
  by?: string;
  json?: boolean;
}

export function registerApprove(program: Command): void {
  program
    .command('approve')
    .description('approve (or --reject) a release waiting at the approval gate (a Temporal Update)')
    .argument('<release>', 'a release id (release-<model>-<environment>) or a model name')
    .option('--environment <name>', 'with a model name: the environment of the release', 'production')
    .option('--reject', 'reject the release instead: production stays as it is')
    .option(
      '--roll-forward',
      "during a rolling release's ramp: complete Baseten's promotion now (all traffic on the candidate)",
    )
    .option('--force', 'with --roll-forward: even though a step failed its analysis')
    .option('--reason <text>', 'why, recorded in the release history')
    .option('--by <name>', 'who decides (default: $USER)')
    .option('--json', 'print the decision as one JSON object')
    .action(async (ref: string, options: ApproveOptions) => {
      const out = createOutput(options.json ?? false);
      const verb = options.reject ? 'reject' : 'approve';
      if (options.force && !options.rollForward) throw new UsageError('--force goes with --roll-forward only');
      if (options.rollForward && options.reject) throw new UsageError('--roll-forward and --reject exclude each other');
      const { WorkflowUpdateFailedError } = load.temporalClient();
      const cd = await load.client().BasetenCd.connect();
      try {
        const release = cd.release(ref, options.environment);
        if (options.rollForward) {
          const request = { by: options.by ?? readEnv('USER'), reason: options.reason, force: options.force ?? false };
          const progress = await release.controlRamp({ kind: 'roll-forward', request });
          out.line(
            `${release.workflowId}: roll forward sent${request.by ? ` by ${request.by}` : ''}: the release completes its promotion now`,
          );
          out.result({ workflowId: release.workflowId, progress });
          return;
        }
        const request = { by: options.by ?? readEnv('USER'), reason: options.reason };
        const decision = await (options.reject ? release.reject(request) : release.approve(request)).catch(
          (err: unknown) => {
            // The release's validator refuses (e.g. not waiting for approval): one line, nothing changed.
            if (err instanceof WorkflowUpdateFailedError) {
              throw new UsageError(`cannot ${verb} ${release.workflowId}: ${err.cause?.message ?? err.message}`);
            }
            throw err;
          },
        );
        out.line(
          `${release.workflowId}: ${decision.approved ? 'approved' : 'rejected'}${decision.by ? ` by ${decision.by}` : ''}`,
        );
        out.result({ workflowId: release.workflowId, ...decision });
      } finally {
        await cd.close();
      }
    });
}
