import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { PromotionStatus } from '../baseten/schemas';
import { BadRequestError, ConflictError, NotFoundError } from '../baseten/errors';
import { FailureType } from '../common/failure-types';
import { lastCheckpoint } from './checkpoint';
import { resolveDeps, type ActivityDeps } from './deps';
import { mapBasetenErrors } from './failures';
import { attemptCallOptions } from './heartbeat';
import { PollLoop } from './poll-loop';
import { promotionInProgress, readEnvironment } from './production';

export interface CancelPromotionInput {
  modelId: string;
  environment: string;
  /** The deployment the environment must keep (or get back): a promotion towards it is left alone. */
  keepDeploymentId: string;
  /** How long a graceful cancel (traffic ramps back) may take before the promotion is force-cancelled. @unit ms */
  gracefulMs: number;
  /** How long the whole cancellation may take, across retries. @unit ms */
  timeoutMs: number;
  /** Force-cancel at once (all traffic back now), without a graceful ramp back first. @default false */
  force?: boolean;
}

export interface CancelPromotionResult {
  /** `none`: nothing was in progress; else how the promotion was stopped. */
  cancelled: 'none' | 'graceful' | 'forced';
  /** The deployment the cancelled promotion was moving the environment to. */
  candidateDeploymentId?: string;
  /** The promotion's status once it stopped. */
  finalStatus?: PromotionStatus;
}

/** Kept across retries: a cancel already requested is not requested again, and its deadline holds. */
const cancelCheckpointSchema = z.looseObject({
  startedAt: z.number(),
  requested: z.boolean(),
  forced: z.boolean(),
  candidateDeploymentId: z.string().optional(),
});
type CancelCheckpoint = z.output<typeof cancelCheckpointSchema>;

/** A cancel racing the promotion's own end finds nothing to cancel; the next read tells what happened. */
function nothingToCancel(err: unknown): boolean {
  return err instanceof ConflictError || err instanceof BadRequestError || err instanceof NotFoundError;
}

export function createCancelPromotionActivities(deps: ActivityDeps) {
  const resolved = resolveDeps(deps);
  const { baseten } = resolved;
  return {
    /**
     * Stops a promotion of the environment that is still in progress (a deployment still building towards it,
     * or a rolling promotion's traffic steps), so that nothing switches production after a revert: first with
     * Baseten's graceful cancel, then, past `gracefulMs`, with its force cancel. Waits until the promotion has
     * ended. A promotion towards `keepDeploymentId` is left to finish.
     */
    cancelPendingPromotion: mapBasetenErrors(async (input: CancelPromotionInput): Promise<CancelPromotionResult> => {
      const loop = new PollLoop(resolved, input.timeoutMs);
      const before = lastCheckpoint(cancelCheckpointSchema);
      const mark: CancelCheckpoint = {
        startedAt: loop.startedAt,
        requested: before?.requested ?? false,
        forced: before?.forced ?? false,
        candidateDeploymentId: before?.candidateDeploymentId,
      };
      const how = (): CancelPromotionResult['cancelled'] =>
        mark.forced ? 'forced' : mark.requested ? 'graceful' : 'none';
      for (;;) {
        const state = await readEnvironment(baseten, input.modelId, input.environment, attemptCallOptions());
        heartbeat(mark);
        const candidate = state.candidate?.id;
        if (!promotionInProgress(state) || candidate === input.keepDeploymentId) {
          return {
            cancelled: how(),
            ...(mark.candidateDeploymentId ? { candidateDeploymentId: mark.candidateDeploymentId } : {}),
            ...(state.promotion ? { finalStatus: state.promotion.status } : {}),
          };
        }
        mark.candidateDeploymentId ??= candidate;
        try {
          if (input.force && !mark.forced) {
            await baseten.forceCancelPromotion(input.modelId, input.environment, attemptCallOptions());
            mark.requested = true;
            mark.forced = true;
          } else if (!mark.requested) {
            await baseten.cancelPromotion(input.modelId, input.environment, attemptCallOptions());
            mark.requested = true;
          } else if (!mark.forced && loop.elapsedMs >= input.gracefulMs) {
            await baseten.forceCancelPromotion(input.modelId, input.environment, attemptCallOptions());
            mark.forced = true;
          }
        } catch (err) {
          if (!nothingToCancel(err)) throw err;
        }
        heartbeat(mark);
        if (loop.expired) {
          throw ApplicationFailure.nonRetryable(
            `the promotion of ${input.environment} to ${candidate ?? 'a new deployment'} is still ` +
              `${state.promotion?.status ?? 'in progress'} ${Math.round(input.timeoutMs / 1000)} s after it was cancelled`,
            FailureType.PromotionNotCancelled,
          );
        }
        await loop.pause();
      }
    }),
  };
}
