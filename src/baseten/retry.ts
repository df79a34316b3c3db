import { APIError, isRetryable } from './errors';

/** First retry waits about this long; each further retry doubles it. */
const initialBackoffMs = 500;
/** Exponential backoff stops growing here. */
const maxBackoffMs = 8_000;
/** A Retry-After beyond this is treated as bogus and capped, so one bad header cannot park a caller for hours. */
const maxRetryAfterMs = 5 * 60_000;

/**
 * Whether to try again after `err`, having made `retriesSoFar` retries of at most `maxRetries`.
 * The status ladder itself (connection, 408, 409, 429, 5xx) lives in `isRetryable`.
 */
export function shouldRetry(err: unknown, retriesSoFar: number, maxRetries: number): boolean {
  return retriesSoFar < maxRetries && isRetryable(err);
}

/** The delay Baseten asked for, if `err` carries one. */
export function retryAfterOf(err: unknown): number | undefined {
  return err instanceof APIError ? err.retryAfterMs : undefined;
}

/**
 * How long to wait before retry number `attempt` (1 for the first retry).
 * A server-provided `retryAfterMs` wins and is honoured exactly (never sooner than asked, capped at five minutes);
 * otherwise exponential backoff with up to 25% jitter subtracted, so that clients do not retry in lockstep.
 */
export function backoffMs(attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined && retryAfterMs >= 0) return Math.min(retryAfterMs, maxRetryAfterMs);
  const exponential = Math.min(initialBackoffMs * 2 ** Math.max(0, attempt - 1), maxBackoffMs);
  return Math.round(exponential * (1 - 0.25 * random()));
}
