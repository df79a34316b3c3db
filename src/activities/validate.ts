import { Context } from '@temporalio/activity';
import type { InferenceApi } from '../validation/inference-api';
import type { ValidationReport } from '../validation/report';
import { runValidation, type ValidationRun } from '../validation/run';

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
  return {
    /**
     * Warms up and validates a candidate; the report is the verdict. Heartbeats its progress
     * (`{ phase, done, total }`) and stops as soon as the activity is cancelled.
     */
    async validateCandidate(input: ValidateInput): Promise<ValidationReport> {
      const context = Context.current();
      return runValidation(input, {
        inference: deps.inference,
        now,
        // The context's sleep rejects on cancellation, so a long warm-up back-off ends at once.
        sleep: (ms) => context.sleep(ms),
        progress: (progress) => context.heartbeat(progress),
        signal: context.cancellationSignal,
      });
    },
  };
}
