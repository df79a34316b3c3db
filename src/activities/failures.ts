import { ApplicationFailure } from '@temporalio/common';
import { APIError, RateLimitError } from '../baseten/errors';

/**
 * Failure types the release activities raise themselves. They are a contract: the workflow's retry
 * policies list them in `nonRetryableErrorTypes` and the workflow turns them into verdicts.
 */
export type ReleaseFailureType = 'DeploymentFailedError' | 'DeploymentTimeoutError';

/** Baseten client errors that no retry can fix (the request itself is wrong). */
export type PermanentBasetenErrorType =
  'BadRequestError' | 'AuthenticationError' | 'PermissionDeniedError' | 'NotFoundError' | 'UnprocessableEntityError';

const permanentStatuses = new Set([400, 401, 403, 404, 422]);

/**
 * Turns a Baseten client error into the Temporal failure that carries the right retry decision:
 * non-retryable for requests that are wrong (400/401/403/404/422), retryable otherwise, waiting
 * as long as a 429 asked. The class name becomes the failure type. Other errors pass unchanged.
 */
export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof APIError)) return err;
  const nonRetryable = permanentStatuses.has(err.status);
  return ApplicationFailure.create({
    message: err.message,
    type: err.constructor.name,
    nonRetryable,
    nextRetryDelay: err instanceof RateLimitError && err.retryAfterMs !== undefined ? err.retryAfterMs : undefined,
  });
}

/** Wraps an activity so that every Baseten error it throws leaves as a correctly classified failure. */
export function mapBasetenErrors<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      throw toActivityFailure(err);
    }
  };
}
