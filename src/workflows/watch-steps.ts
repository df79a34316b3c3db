import { CancellationScope, condition, sleep } from '@temporalio/workflow';
import type { ObserveResult } from '../activities/observe';
import { observeProduction } from './activity-proxies';
import { workflowNow } from './release';
import { revertProduction } from './revert';
import { recordRevert } from './metrics';
import { sendNotification } from './notify';
import { rootFailure } from './verdicts';
import { duration } from './ui-markdown';
import type { RevertAction, Watch } from './watch-state';
import { defaultRevertTimeouts, observationSliceMs, revertDeadlineMs, revertRetryPausesMs } from './watch-rules';

/** After a failed observation slice (Baseten away for minutes), wait this long before watching again. */
const observationRetryMs = 60_000;

/**
 * Runs one observation slice, or less: a request, a pause, a resume or the end interrupts it at once (the
 * activity is cancelled without waiting for it). Undefined when interrupted or when the slice failed.
 */
export async function observeSlice(watch: Watch): Promise<ObserveResult | undefined> {
  const started = watch.version;
  const untilMs = workflowNow() + observationSliceMs;
  let news: ObserveResult | undefined;
  try {
    news = await CancellationScope.cancellable(async () => {
      const observing = observeProduction(observationSummary(watch), {
        modelId: watch.input.modelId,
        environment: watch.input.environment,
        deploymentId: watch.watched,
        settings: watch.input.settings,
        mode: watch.observeMode,
        consecutiveBad: watch.consecutiveBad,
        badRunReported: watch.badRunReported,
        lastObservedAt: watch.lastObservedAt,
        untilMs,
      });
      const interrupted = condition(() => watch.version !== started);
      // Whichever loses is cancelled below; its rejection is expected.
      observing.catch(() => undefined);
      interrupted.catch(() => undefined);
      const winner = await Promise.race([observing, interrupted.then(() => undefined)]);
      CancellationScope.current().cancel();
      return winner;
    });
  } catch (err) {
    watch.observationFailed(rootFailure(err).message);
    await condition(() => watch.version !== started, observationRetryMs, {
      summary: `wait ${duration(observationRetryMs)} before observing again (the observation failed)`,
    });
    return undefined;
  }
  // A worker clock ahead of the server's would end slices early and loop: keep slices on server time.
  if (news?.reason === 'slice-ended' && untilMs - workflowNow() > watch.input.settings.intervalMs) {
    await condition(() => watch.version !== started, untilMs - workflowNow(), {
      summary: 'wait for the rest of the observation slice (the worker clock ran ahead)',
    });
  }
  return news;
}

/** `observe dep_new in production (every 10 s, up to 30 min)`; paused: no automatic revert. */
function observationSummary(watch: Watch): string {
  const { environment, settings } = watch.input;
  const paused = watch.observeMode === 'paused' ? ', paused: no automatic revert' : '';
  return `observe ${watch.watched} in ${environment} (every ${duration(settings.intervalMs)}, up to ${duration(observationSliceMs)}${paused})`;
}

/**
 * Puts production back on the action's target, onto capacity (see revertProduction), trying again with growing
 * pauses until `revertDeadlineMs` after the incident; then the watcher says loudly that it could not.
 */
export async function runRevert(watch: Watch, action: RevertAction): Promise<void> {
  const { input } = watch;
  const deadline = workflowNow() + revertDeadlineMs;
  watch.enter('reverting', `reverting ${input.environment} from ${watch.watched} to ${action.targetId}`);
  for (let attempt = 0; ; attempt++) {
    try {
      await revertProduction(
        {
          modelId: input.modelId,
          environment: input.environment,
          targetId: action.targetId,
          verifyCheck: input.settings.probe ?? input.verifyCheck,
          timeouts: { ...defaultRevertTimeouts, ...input.timeouts },
        },
        (step) => watch.note(step),
      );
      const from = watch.watched;
      watch.reverted(action);
      await reportRevert(watch, action, from);
      return;
    } catch (err) {
      const failure = rootFailure(err).message;
      const pause = revertRetryPausesMs[Math.min(attempt, revertRetryPausesMs.length - 1)] ?? 60_000;
      if (workflowNow() + pause > deadline) {
        const from = watch.watched;
        watch.revertFailed(action, `the revert to ${action.targetId} failed: ${failure}`);
        await reportRevert(watch, action, from);
        return;
      }
      watch.note(`revert attempt ${attempt + 1} failed (${failure}); trying again in ${pause / 1000} s`);
      await sleep(pause, { summary: `wait ${duration(pause)} before trying the revert to ${action.targetId} again` });
    }
  }
}

/** Counts the revert (with its detect and restore times) and notifies it, or its failure, loudly. */
export async function reportRevert(
  watch: Watch,
  action: Pick<RevertAction, 'incidentId'>,
  from: string,
): Promise<void> {
  const incident = watch.incident(action.incidentId);
  if (!incident) return;
  const { input } = watch;
  const subject = { model: input.modelName, environment: input.environment };
  const reverted = incident.outcome === 'reverted';
  recordRevert(
    {
      outcome: reverted ? 'reverted' : 'failed',
      ...(incident.firstBadAt !== undefined ? { detectMs: incident.detectedAt - incident.firstBadAt } : {}),
      ...(incident.restoredAt !== undefined ? { restoreMs: incident.restoredAt - incident.detectedAt } : {}),
    },
    subject,
  );
  await sendNotification({
    kind: reverted ? 'reverted' : 'revert-failed',
    ...subject,
    modelId: input.modelId,
    deploymentId: from,
    productionDeploymentId: reverted ? incident.to : from,
    previousProductionDeploymentId: from,
    reason: reverted ? `${incident.kind} revert: ${incident.reason}` : (incident.failure ?? incident.reason),
    reverted,
  });
}
