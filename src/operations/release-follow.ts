import { setTimeout as delay } from 'node:timers/promises';
import { ApplicationFailure, CancelledFailure, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { z } from 'zod';
import { FailureType } from '../common/failure-types';
import type { deployModel } from '../workflows/deploy';
import { releaseStages, type DeployResult, type ReleaseProgress } from '../workflows/types';
import { queryProgress } from './progress-query';

/** How often the CLI asks the release for progress while it waits. */
const pollIntervalMs = 1500;

/**
 * What a failed release workflow carries in its failure's details (endings.ts puts its DeployResult there): checked
 * here, at the edge, because failure details are untyped on the wire.
 */
const failedResultSchema = z.looseObject({
  status: z.literal('failed'),
  reason: z.string().optional(),
  failedStage: z.enum(releaseStages).optional(),
  failureType: z.string().optional(),
  reverted: z.boolean().optional(),
  promotionAttempted: z.boolean().optional(),
  modelId: z.string().optional(),
  candidateDeploymentId: z.string().optional(),
  productionDeploymentId: z.string().optional(),
  previousProductionDeploymentId: z.string().optional(),
});

/** A workflow that failed or was cancelled (rather than returning a `failed` result) still gets a result. */
export function resultFromWorkflowError(err: unknown): DeployResult {
  if (!(err instanceof WorkflowFailedError)) throw err;
  if (err.cause instanceof CancelledFailure) {
    return {
      status: 'failed',
      reason: 'the release was cancelled before its promotion (superseded, or from the UI); production is unchanged',
    };
  }
  if (err.cause instanceof ApplicationFailure && err.cause.type === FailureType.ReleaseFailed) {
    const parsed = failedResultSchema.safeParse(err.cause.details?.[0]);
    if (parsed.success) return parsed.data;
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
