import type { z } from 'zod';

// Temporal reports `error.constructor.name` as the failure type, and retry policies list these names in
// `nonRetryableErrorTypes`: the class names below are a contract. Never rename one.

/** Response headers, lower-cased, one string per name. */
export type ResponseHeaders = Record<string, string>;

/** The base of every error the Baseten client throws. */
export class BasetenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The client was configured badly (missing API key, invalid URL template, ...). */
export class BasetenConfigError extends BasetenError {}

/** Baseten answered with an HTTP error status. `status` is always the real HTTP status. */
export class APIError extends BasetenError {
  /** The request id Baseten returned (`x-baseten-request-id` or `x-request-id`), if any. */
  readonly requestId: string | undefined;
  /** How long Baseten asked us to wait before retrying (429 body `retry_after`, or `Retry-After`). */
  readonly retryAfterMs: number | undefined;

  constructor(
    readonly status: number,
    /** The response body: parsed JSON when it was JSON, else the text. */
    readonly body: unknown,
    message: string,
    readonly headers: ResponseHeaders,
  ) {
    super(message);
    this.requestId = headers['x-baseten-request-id'] ?? headers['x-request-id'];
    this.retryAfterMs = retryAfterMs(body, headers);
  }

  /** The one place that maps an HTTP status to its error class. */
  static generate(status: number, body: unknown, message: string, headers: ResponseHeaders): APIError {
    const Class = statusClasses[status] ?? (status >= 500 ? InternalServerError : APIError);
    return new Class(status, body, message, headers);
  }
}

export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
export class ConflictError extends APIError {}
export class UnprocessableEntityError extends APIError {}
export class RateLimitError extends APIError {}
export class InternalServerError extends APIError {}

const statusClasses: Partial<Record<number, typeof APIError>> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

/** No HTTP response arrived: refused, reset, DNS failure, TLS failure... */
export class APIConnectionError extends BasetenError {}

/** No complete response arrived within the per-attempt timeout. */
export class APIConnectionTimeoutError extends APIConnectionError {}

/** The caller aborted the request through its `signal`. */
export class APIUserAbortError extends BasetenError {}

/** Baseten answered 2xx, but the body is not JSON or does not match the API's schema. */
export class ResponseValidationError extends BasetenError {
  constructor(
    message: string,
    /** The client method that made the call, e.g. `getDeployment`. */
    readonly call: string,
    /** Zod's issues (empty when the body was not JSON at all). */
    readonly issues: readonly z.core.$ZodIssue[],
    readonly body: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Whether trying the same request again may succeed: connection trouble, 408, 409, 429 and 5xx. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof APIConnectionError) return true;
  if (!(err instanceof APIError)) return false;
  const { status } = err;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Baseten's own message from an error body: `message`, `detail` (FastAPI style) or `error`, if present, the most
 * specific first (a body with both carries a short `error` phrase such as "Forbidden" and the reason in `message`).
 */
export function basetenMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim() || undefined;
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  for (const key of ['message', 'detail', 'error']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (value !== undefined && value !== null && typeof value === 'object') return JSON.stringify(value);
  }
  return undefined;
}

/** The wait a 429 asks for: its body's `retry_after` (Baseten's), else its `Retry-After` header. */
export function retryAfterMs(body: unknown, headers: ResponseHeaders): number | undefined {
  if (typeof body === 'object' && body !== null) {
    const seconds = (body as Record<string, unknown>).retry_after;
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  }
  const header = headers['retry-after'];
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (header.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
