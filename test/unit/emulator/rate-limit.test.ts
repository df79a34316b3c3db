import { RateLimiter, defaultRateLimits, rateLimitFor } from '../../../src/emulator/http/rate-limit';

test('allows the limit within the window, then refuses with the seconds until the oldest call leaves it', () => {
  let now = 1_000_000;
  const limiter = new RateLimiter(() => now);
  for (let i = 0; i < 20; i++) {
    expect(limiter.take('k:activate', 20, 60_000)).toEqual({ ok: true });
    now += 1000;
  }
  expect(limiter.take('k:activate', 20, 60_000)).toEqual({ ok: false, retryAfterSeconds: 40 });
  now += 40_000;
  expect(limiter.take('k:activate', 20, 60_000)).toEqual({ ok: true });
});

test('keys are counted independently', () => {
  const limiter = new RateLimiter(() => 0);
  expect(limiter.take('a', 1, 1000).ok).toBe(true);
  expect(limiter.take('a', 1, 1000).ok).toBe(false);
  expect(limiter.take('b', 1, 1000).ok).toBe(true);
});

test('activate, deactivate and retry have their per-minute buckets; other endpoints 100/s each', () => {
  const endpoint = '/v1/models/{model_id}/deployments/{deployment}';
  expect(rateLimitFor(defaultRateLimits, 'POST', `${endpoint}/activate`)).toEqual({
    bucket: 'activate',
    limit: 20,
    windowMs: 60_000,
  });
  expect(rateLimitFor(defaultRateLimits, 'POST', `${endpoint}/deactivate`)).toMatchObject({
    bucket: 'deactivate',
    limit: 20,
  });
  expect(rateLimitFor(defaultRateLimits, 'POST', `${endpoint}/retry`)).toMatchObject({ bucket: 'retry', limit: 10 });
  expect(rateLimitFor(defaultRateLimits, 'GET', endpoint)).toEqual({
    bucket: `GET ${endpoint}`,
    limit: 100,
    windowMs: 1000,
  });
});
