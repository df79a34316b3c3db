import { setTimeout as delay } from 'node:timers/promises';
import { CancelledFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { deployModel } from '../../workflows/deploy';
import type { DeployResult, ReleaseProgress } from '../../workflows/types';
import { queryProgress } from '../progress-query';

/** How often the CLI asks the release for progress while it waits. */
const pollIntervalMs = 1500;

/** A workflow that failed or was cancelled (rather than returning a `failed` result) still gets a result. */
export function resultFromWorkflowError(err: unknown): DeployResult {
  if (!(err instanceof WorkflowFailedError)) throw err;
  if (err.cause instanceof CancelledFailure) {
    return { status: 'failed', reason: 'the release was cancelled (superseded by a newer release, or from the UI)' };
  }
  const reason = err.cause?.message ?? err.message;
  return { status: 'failed', reason: reason.split('\n')[0] };
}

/** Waits for the release's result, reporting its progress (undefined: no worker answered) every poll until then. */
export async function followRelease(
  handle: WorkflowHandle<typeof deployModel>,
  onProgress: (progress: ReleaseProgress | undefined) => void,
): Promise<DeployResult> {
  const settled = handle.result().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  for (;;) {
    onProgress(await queryProgress(handle));
    const abort = new AbortController();
    const outcome = await Promise.race([
      settled,
      delay(pollIntervalMs, undefined, { signal: abort.signal }).catch(() => undefined),
    ]);
    abort.abort();
    if (outcome && 'value' in outcome) return outcome.value;
    if (outcome) return resultFromWorkflowError(outcome.error);
  }
}
