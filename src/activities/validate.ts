import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { CandidateUnavailableError, WarmupTimeoutError } from '../validation/errors';
import type { InferenceApi } from '../validation/inference-api';
import type { ValidationReport } from '../validation/report';
import type { ValidationProgress } from '../validation/runner-deps';
import { runValidation, type ValidationRun } from '../validation/run';
import { toActivityFailure } from './failures';
import { heartbeatTickMs } from './heartbeat';

/** Input of validateCandidate: plain JSON, the parsed validation file included. */
export type ValidateInput = ValidationRun;

export interface ValidateDeps {
  /** The Baseten client (or anything with its predict, wake and getDeployment). */
  inference: InferenceApi;
  /** @default Date.now */
  now?: () => number;
}

export function createValidateActivities(deps: ValidateDeps) {
  const now = deps.now ?? Date.now;

  /**
   * Warms up and validates a candidate; the report is the verdict. Heartbeats its progress
   * (`{ phase, done, total }`) and stops as soon as the activity is cancelled.
   */
  async function validateCandidate(input: ValidateInput): Promise<ValidationReport> {
    const context = Context.current();
    let last: ValidationProgress = { phase: 'warmup', done: 0, total: input.spec.warmup.requests };
    // A cold-start request may be held for minutes: keep heartbeating meanwhile, or the activity would time
    // out, and cancellation (which arrives with a heartbeat response) would never reach it.
    const ticker = setInterval(() => context.heartbeat(last), heartbeatTickMs(context.info.heartbeatTimeoutMs));
    try {
      return await runValidation(input, {
        inference: deps.inference,
        now,
        // The context's sleep rejects on cancellation, so a long warm-up back-off ends at once.
        sleep: (ms) => context.sleep(ms),
        progress: (progress) => {
          last = progress;
          context.heartbeat(progress);
        },
        signal: context.cancellationSignal,
      });
    } catch (err) {
      throw toValidationFailure(err);
    } finally {
      clearInterval(ticker);
    }
  }

  return { validateCandidate };
}

/**
 * A candidate that cannot serve, or stayed silent for the whole warm-up, will not do better on a retry
 * (a second warm-up would only double the wait): those fail for good. Baseten errors keep their own class.
 */
function toValidationFailure(err: unknown): unknown {
  if (err instanceof CandidateUnavailableError || err instanceof WarmupTimeoutError) {
    return ApplicationFailure.create({ message: err.message, type: err.name, nonRetryable: true, cause: err });
  }
  return toActivityFailure(err);
}
