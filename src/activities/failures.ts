import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { cancellationSignal } from '@temporalio/activity';
import { APIError, APIUserAbortError, BasetenError, isRetryable, RateLimitError } from '../baseten/errors';

/** What a Baseten failure carries in its details, for the history and the UI (never a secret). */
export interface BasetenFailureDetails {
  /** The HTTP status Baseten answered with, when it answered. */
  status?: number;
  /** Baseten's request id, when it sent one. */
  requestId?: string;
}

/**
 * Turns a Baseten client error into the Temporal failure that carries the client's own retry decision
 * (`isRetryable`: the one place that decides), named by the error's class, with the HTTP status and Baseten's
 * request id in its details and the error as its cause; a 429 waits as long as Baseten asked. Other errors pass
 * unchanged.
 */
export function toActivityFailure(err: unknown): unknown {
  if (!(err instanceof BasetenError)) return err;
  const details: BasetenFailureDetails =
    err instanceof APIError ? { status: err.status, ...(err.requestId ? { requestId: err.requestId } : {}) } : {};
  return ApplicationFailure.create({
    message: err.message,
    type: err.constructor.name,
    nonRetryable: !isRetryable(err),
    details: [details],
    cause: err,
    nextRetryDelay: err instanceof RateLimitError && err.retryAfterMs !== undefined ? err.retryAfterMs : undefined,
  });
}

/**
 * Wraps an activity so that every Baseten error it throws leaves as a correctly classified failure. A call
 * aborted because the activity was cancelled leaves as the cancellation itself, as the SDK expects.
 */
export function mapBasetenErrors<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (err) {
      const cancelled = err instanceof APIUserAbortError ? cancellationReason() : undefined;
      if (cancelled) throw cancelled;
      throw toActivityFailure(err);
    }
  };
}

function cancellationReason(): Error | undefined {
  const signal = cancellationSignal();
  if (!signal.aborted) return undefined;
  return signal.reason instanceof Error ? signal.reason : new CancelledFailure('activity cancelled');
}
