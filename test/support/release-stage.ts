import type { WorkflowHandle } from '@temporalio/client';
import { progressQuery } from '../../src/workflows/messages';
import type { ReleaseProgress, ReleaseStage } from '../../src/workflows/types';
import { waitFor } from './wait-for';

/** Polls the release's progress query until it reaches `stage`, and returns that progress. */
export async function waitForStage(
  handle: WorkflowHandle,
  stage: ReleaseStage,
  timeoutMs = 60_000,
): Promise<ReleaseProgress> {
  let last: string | undefined;
  return waitFor(
    () => `the release to reach ${stage} (last stage: ${last ?? 'none'})`,
    async () => {
      // The query fails until the workflow's first task has run; that is not an error here.
      const progress = await handle.query(progressQuery).catch(() => undefined);
      last = progress?.stage ?? last;
      return progress?.stage === stage && progress;
    },
    { timeoutMs, intervalMs: 100 },
  );
}
