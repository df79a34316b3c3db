import type { Command } from 'commander';
import { readEnv } from '../../config/env';
import { load } from '../lazy';
import { createOutput } from '../output';
import { controlRampingRelease } from '../ramp-control';
import { requiredText } from '../required-text';
import { describeWatchState } from '../watch-format';
import { watcherRefArguments, type WatcherRefOptions } from '../watcher-ref';

interface RollbackOptions extends WatcherRefOptions {
  to?: string;
  reason: string;
  by?: string;
}

export function registerRollback(program: Command): void {
  const command = program
    .command('rollback')
    .description(
      'revert production to the previous deployment (or --to one) now, through the watcher (a Temporal Update; answers once the revert is done)',
    );
  watcherRefArguments(command)
    .option('--to <deployment>', 'the deployment id to roll back to (default: the one that served before)')
    .requiredOption('--reason <text>', 'why, recorded in the watcher history and its incident')
    .option('--by <name>', 'who asks (default: $USER)')
    .addHelpText(
      'after',
      '\nThe same rollback can be sent as a plain signal named "rollback" with {"reason": "...", "to"?: "..."},\n' +
        'from the Temporal UI or with `temporal workflow signal --workflow-id watch-<model>-<env> --name rollback`.\n' +
        "While the model's release ramps (a rolling promotion), rollback <model> cancels the promotion and the\n" +
        'release reverts to the previous deployment; the command answers once that is verified.\n' +
        'Exit codes: 0 reverted, 1 the revert failed (production may be unchanged), 2 refused (nothing changed).',
    )
    .action(async (ref: string, options: RollbackOptions) => {
      const reason = requiredText('--reason', options.reason);
      const out = createOutput(options.json ?? false);
      const cd = await load.client().BasetenCd.connect();
      try {
        const request = { reason, by: options.by ?? readEnv('USER') };
        if (!options.to && (await controlRampingRelease(cd, ref, options, out, { kind: 'rollback', request }))) return;
        const watcher = cd.watcher(ref, options.environment);
        const state = await watcher.rollback({
          reason,
          ...(options.to ? { to: options.to } : {}),
          by: options.by ?? readEnv('USER'),
        });
        const incident = state.incidents.at(-1);
        const reverted = incident?.outcome === 'reverted';
        out.line(
          reverted
            ? `${watcher.workflowId}: ${state.environment} rolled back to ${state.watchedDeploymentId}`
            : `${watcher.workflowId}: the rollback FAILED: ${incident?.failure ?? state.failure ?? 'unknown reason'}`,
        );
        for (const line of describeWatchState(state)) out.line(`  ${line}`);
        out.result({ workflowId: watcher.workflowId, reverted, state });
        process.exitCode = reverted ? 0 : 1;
      } finally {
        await cd.close();
      }
    });
}
