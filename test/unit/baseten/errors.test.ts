import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  basetenMessage,
  isRetryable,
} from '../../../src/baseten';

describe('APIError.generate', () => {
  it.each<[number, string]>([
    [400, BadRequestError.name],
    [401, AuthenticationError.name],
    [403, PermissionDeniedError.name],
    [404, NotFoundError.name],
    [409, ConflictError.name],
    [422, UnprocessableEntityError.name],
    [429, RateLimitError.name],
    [500, InternalServerError.name],
    [503, InternalServerError.name],
    [418, APIError.name],
  ])('maps HTTP %i to %s', (status, className) => {
    const err = APIError.generate(status, {}, 'message', {});
    expect(err.constructor.name).toBe(className);
    expect(err.name).toBe(className);
    expect(err).toBeInstanceOf(APIError);
    expect(err.status).toBe(status);
  });

  it('keeps the class names Temporal reports as failure types (they are listed in retry policies)', () => {
    expect([AuthenticationError, NotFoundError, RateLimitError, InternalServerError].map((c) => c.name)).toEqual([
      'AuthenticationError',
      'NotFoundError',
      'RateLimitError',
      'InternalServerError',
    ]);
  });

  it('reads the request id from x-baseten-request-id, else x-request-id', () => {
    expect(APIError.generate(500, {}, 'm', { 'x-baseten-request-id': 'a', 'x-request-id': 'b' }).requestId).toBe('a');
    expect(APIError.generate(500, {}, 'm', { 'x-request-id': 'b' }).requestId).toBe('b');
    expect(APIError.generate(500, {}, 'm', {}).requestId).toBeUndefined();
  });

  it("takes the retry delay from the body's retry_after seconds first, then a Retry-After header", () => {
    expect(APIError.generate(429, { retry_after: 37 }, 'm', { 'retry-after': '5' }).retryAfterMs).toBe(37_000);
    expect(APIError.generate(429, {}, 'm', { 'retry-after': '5' }).retryAfterMs).toBe(5_000);
    expect(APIError.generate(429, {}, 'm', {}).retryAfterMs).toBeUndefined();
    expect(APIError.generate(429, {}, 'm', { 'retry-after': 'soon' }).retryAfterMs).toBeUndefined();
  });

  it('accepts a Retry-After HTTP date, as a delay from now', () => {
    const inOneMinute = new Date(Date.now() + 60_000).toUTCString();
    const delay = APIError.generate(503, {}, 'm', { 'retry-after': inOneMinute }).retryAfterMs;
    expect(delay).toBeGreaterThan(55_000);
    expect(delay).toBeLessThanOrEqual(60_000);
  });
});

describe('isRetryable', () => {
  it('is true for 408, 409, 429 and 5xx only', () => {
    const retryable = [400, 401, 403, 404, 408, 409, 422, 429, 500, 504].filter((status) =>
      isRetryable(APIError.generate(status, {}, 'm', {})),
    );
    expect(retryable).toEqual([408, 409, 429, 500, 504]);
  });
});

describe('basetenMessage', () => {
  it('reads message, detail or error, the most specific first (truss prints message)', () => {
    expect(basetenMessage({ error: 'Forbidden', message: 'no access to model abc', detail: 'd' })).toBe(
      'no access to model abc',
    );
    expect(basetenMessage({ error: 'e', detail: 'd' })).toBe('d');
    expect(basetenMessage({ error: 'Rate limit exceeded. Please try again later.', retry_after: 3 })).toBe(
      'Rate limit exceeded. Please try again later.',
    );
  });

  it('shows a structured detail (FastAPI validation errors) as JSON', () => {
    expect(basetenMessage({ detail: [{ loc: ['body', 'name'], msg: 'field required' }] })).toBe(
      '[{"loc":["body","name"],"msg":"field required"}]',
    );
  });

  it('uses a plain-text body as the message, and has none for an empty or unrelated body', () => {
    expect(basetenMessage('Bad Gateway\n')).toBe('Bad Gateway');
    expect(basetenMessage('')).toBeUndefined();
    expect(basetenMessage({ status: 'x' })).toBeUndefined();
  });
});
