/**
 * An error a route throws to answer with a given status and JSON body. One place
 * (`sendError` in ./respond) turns it into the response, so routes never write errors themselves.
 */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(typeof body.message === 'string' ? body.message : String(body.error), options);
  }
}

const reasons: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal server error',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

export function reasonPhrase(status: number): string {
  return reasons[status] ?? `HTTP ${status}`;
}

/**
 * A management API error. Baseten's spec does not declare error bodies; truss prints `message` and
 * Baseten's one documented error (the 429) uses `error`, so both are sent.
 */
export function managementError(status: number, message: string, headers?: Record<string, string>): HttpError {
  return new HttpError(status, { error: reasonPhrase(status), message }, headers);
}

/** Inference error codes from the inference OpenAPI's error schema. */
export type InferenceErrorCode =
  | 'timeout'
  | 'client_error'
  | 'model_unavailable'
  | 'model_not_ready'
  | 'model_does_not_exist'
  | 'rate_limited'
  | 'payload_too_large'
  | 'unauthorized'
  | 'application_error'
  | 'internal_baseten_error';

/** An inference error in the documented `{error, error_code}` shape. */
export function inferenceError(status: number, errorCode: InferenceErrorCode, message: string): HttpError {
  return new HttpError(status, { error: message, error_code: errorCode });
}
