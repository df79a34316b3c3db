import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { NaiveWatcherActivities } from './activities';

const { lookAtProduction, promotePrevious } = proxyActivities<NaiveWatcherActivities>({
  startToCloseTimeout: '1 minute',
});

/** Hands over to a new run well before Temporal's history warnings. */
const maxEventsPerRun = 5_000;

export interface NaiveWatchInput {
  modelId: string;
  deploymentId: string;
  previousDeploymentId: string;
  intervalMs: number;
}

/**
 * The bench's history baseline: a watcher written the obvious way, one activity per look and a timer between
 * looks, reverting on the first bad look. It watches correctly; it only costs more history.
 */
export async function naiveWatch(input: NaiveWatchInput): Promise<void> {
  for (;;) {
    const look = await lookAtProduction(input.modelId);
    if (look.bad) {
      await promotePrevious(input.modelId, input.previousDeploymentId);
      return;
    }
    await sleep(input.intervalMs);
    if (workflowInfo().historyLength > maxEventsPerRun) return continueAsNew<typeof naiveWatch>(input);
  }
}
