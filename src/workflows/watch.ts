import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { watcherEnded, watcherStarted } from './metrics';
import { registerWatchHandlers } from './watch-handlers';
import { Watch } from './watch-state';
import { observeSlice, reportRevert, runRevert } from './watch-steps';
import { shouldContinueAsNew } from './watch-rules';
import type { WatchInput, WatchResult } from './watch-types';

/**
 * Watches production for the life of a release: observes the watched deployment (status, real traffic, an optional
 * probe) and reverts the environment to the deployment that served before when it turns bad, or when someone asks
 * (rollback update or signal). Pause and resume switch the automatic revert off and on. It ends when a newer release
 * supersedes it or someone promotes another deployment outside baseten-cd, and continues as new to keep its
 * history small.
 */
export async function watchProduction(input: WatchInput): Promise<WatchResult> {
  const watch = new Watch(input);
  registerWatchHandlers(watch);
  const subject = { model: input.modelName, environment: input.environment };
  if (!input.carry) watcherStarted(subject);

  while (!watch.ending) {
    const revert = watch.takeRevert();
    if (revert) {
      await runRevert(watch, revert);
      continue;
    }
    const info = workflowInfo();
    if (
      shouldContinueAsNew({
        slices: watch.slices,
        historyLength: info.historyLength,
        suggested: info.continueAsNewSuggested,
      })
    ) {
      await condition(allHandlersFinished);
      // Handlers that arrived while draining run in this run: only hand over with nothing left to do.
      if (!watch.ending && !watch.takeRevert()) {
        return continueAsNew<typeof watchProduction>({
          ...input,
          deploymentId: watch.watched,
          fallbackDeploymentId: watch.fallback,
          carry: watch.carryOver(),
        });
      }
      continue;
    }
    const news = await observeSlice(watch);
    // A bad run with nothing to revert to is a failed revert too: say so as loudly.
    const unrecoverable = news && watch.absorb(news);
    if (unrecoverable) await reportRevert(watch, { incidentId: unrecoverable.id }, unrecoverable.from);
  }
  await condition(allHandlersFinished);
  const result = watch.result();
  watcherEnded(result.endedBecause, subject);
  return result;
}
