import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  ResponseValidationError,
  backoffMs,
  shouldRetry,
} from '../../../src/baseten';

const httpError = (status: number) => APIError.generate(status, {}, `${status}`, {});

describe('shouldRetry', () => {
  it.each([408, 409, 429, 500, 502, 503, 504])('retries HTTP %i while the budget lasts', (status) => {
    expect(shouldRetry(httpError(status), 0, 2)).toBe(true);
    expect(shouldRetry(httpError(status), 1, 2)).toBe(true);
    expect(shouldRetry(httpError(status), 2, 2)).toBe(false);
  });

  it.each([400, 401, 403, 404, 422])('never retries HTTP %i', (status) => {
    expect(shouldRetry(httpError(status), 0, 5)).toBe(false);
  });

  it('retries connection failures and timeouts', () => {
    expect(shouldRetry(new APIConnectionError('refused'), 0, 1)).toBe(true);
    expect(shouldRetry(new APIConnectionTimeoutError('slow'), 0, 1)).toBe(true);
  });

  it('never retries a caller abort, a bad response body or an unknown error', () => {
    expect(shouldRetry(new APIUserAbortError('stop'), 0, 5)).toBe(false);
    expect(shouldRetry(new ResponseValidationError('bad', 'getModel', [], {}), 0, 5)).toBe(false);
    expect(shouldRetry(new Error('bug'), 0, 5)).toBe(false);
  });

  it('makes no retry at all when maxRetries is 0', () => {
    expect(shouldRetry(httpError(503), 0, 0)).toBe(false);
  });
});

describe('backoffMs', () => {
  it("honours the server's retry_after exactly, whatever the attempt", () => {
    expect(backoffMs(1, 37_000)).toBe(37_000);
    expect(backoffMs(4, 37_000)).toBe(37_000);
    expect(backoffMs(1, 0)).toBe(0);
  });

  it('caps an absurd retry_after at five minutes', () => {
    expect(backoffMs(1, 86_400_000)).toBe(300_000);
  });

  it('doubles from 500 ms per attempt and stops growing at 8 s', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5, 6, 10].map((attempt) => backoffMs(attempt, undefined, noJitter))).toEqual([
      500, 1_000, 2_000, 4_000, 8_000, 8_000, 8_000,
    ]);
  });

  it('subtracts at most 25% jitter, so retries spread out but never exceed the schedule', () => {
    expect(backoffMs(3, undefined, () => 1)).toBe(1_500);
    expect(backoffMs(3, undefined, () => 0.5)).toBe(1_750);
    for (let i = 0; i < 100; i++) {
      const delay = backoffMs(2, undefined);
      expect(delay).toBeGreaterThanOrEqual(750);
      expect(delay).toBeLessThanOrEqual(1_000);
    }
  });
});
