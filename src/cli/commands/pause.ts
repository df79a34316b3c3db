import type { Command } from 'commander';
import type { BasetenCd, RampAction } from '../../client';
import { readEnv } from '../../config/env';
import { load } from '../lazy';
import { createOutput } from '../output';
import { controlRampingRelease } from '../ramp-control';
import { requiredText } from '../required-text';
import { describeWatchState } from '../watch-format';
import { watcherRefArguments, type WatcherRefOptions } from '../watcher-ref';

interface PauseOptions extends WatcherRefOptions {
  reason?: string;
  by?: string;
}

/** `pause` and `resume`: the watcher keeps observing, but reverts automatically only when not paused. */
export function registerPauseResume(program: Command): void {
  const pause = program
    .command('pause')
    .description(
      'pause the production watcher: no automatic revert until resumed; observations go on (a Temporal Update). ' +
        "While the model's release ramps (rolling), pause holds Baseten's promotion at its next step instead",
    );
  watcherRefArguments(pause)
    .requiredOption('--reason <text>', 'why, shown in the watcher state')
    .option('--by <name>', 'who pauses (default: $USER)')
    .action(async (ref: string, options: PauseOptions) => {
      const request = { reason: requiredText('--reason', options.reason), by: options.by ?? readEnv('USER') };
      await run(ref, options, { kind: 'pause', request }, (watcher) => watcher.pause(request));
    });
  const resume = program
    .command('resume')
    .description(
      'resume the production watcher: automatic reverts again; a bad run seen while paused is acted on at once. ' +
        'While the release ramps, resume lets its rolling promotion go on',
    );
  watcherRefArguments(resume)
    .option('--by <name>', 'who resumes (default: $USER)')
    .action(async (ref: string, options: PauseOptions) =>
      run(ref, options, { kind: 'resume', request: { by: options.by ?? readEnv('USER') } }, (watcher) =>
        watcher.resume({ by: options.by ?? readEnv('USER') }),
      ),
    );
}

async function run(
  ref: string,
  options: WatcherRefOptions,
  duringRamp: RampAction,
  act: (watcher: ReturnType<BasetenCd['watcher']>) => ReturnType<ReturnType<BasetenCd['watcher']>['pause']>,
): Promise<void> {
  const out = createOutput(options.json ?? false);
  const cd = await load.client().BasetenCd.connect();
  try {
    if (await controlRampingRelease(cd, ref, options, out, duringRamp)) return;
    const watcher = cd.watcher(ref, options.environment);
    const state = await act(watcher);
    out.line(`${watcher.workflowId}: ${state.mode === 'paused' ? 'paused' : 'resumed'}`);
    for (const line of describeWatchState(state)) out.line(`  ${line}`);
    out.result({ workflowId: watcher.workflowId, state });
  } finally {
    await cd.close();
  }
}
