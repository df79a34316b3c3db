export interface RateLimits {
  /** POST .../activate, per API key. @default 20 @unit requests per minute */
  activatePerMinute: number;
  /** POST .../deactivate, per API key, counted apart from activate. @default 20 @unit requests per minute */
  deactivatePerMinute: number;
  /** POST .../retry. @default 10 @unit requests per minute */
  retryPerMinute: number;
  /** Every other /v1 endpoint, each counted separately. @default 100 @unit requests per second */
  otherPerSecond: number;
}

/** Baseten's documented management API limits (docs: reference/management-api/rate-limits). */
export const defaultRateLimits: RateLimits = {
  activatePerMinute: 20,
  deactivatePerMinute: 20,
  retryPerMinute: 10,
  otherPerSecond: 100,
};

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/** A sliding-window log per key: exact, and cheap at the emulator's request rates. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  take(key: string, limit: number, windowMs: number): RateDecision {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((t) => t > now - windowMs);
    if (recent.length >= limit) {
      this.hits.set(key, recent);
      const oldest = recent[0] as number;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
    }
    recent.push(now);
    this.hits.set(key, recent);
    return { ok: true };
  }
}

/** Which limit a management call falls under; `endpoint` is the route pattern, so each endpoint counts alone. */
export function rateLimitFor(
  limits: RateLimits,
  method: string,
  endpoint: string,
): { bucket: string; limit: number; windowMs: number } {
  const action = method === 'POST' ? /\/(activate|deactivate|retry)$/.exec(endpoint)?.[1] : undefined;
  if (action === 'activate') return { bucket: 'activate', limit: limits.activatePerMinute, windowMs: 60_000 };
  if (action === 'deactivate') return { bucket: 'deactivate', limit: limits.deactivatePerMinute, windowMs: 60_000 };
  if (action === 'retry') return { bucket: 'retry', limit: limits.retryPerMinute, windowMs: 60_000 };
  return { bucket: `${method} ${endpoint}`, limit: limits.otherPerSecond, windowMs: 1000 };
}

/** Baseten's documented 429 body, plus the standard header. */
export function rateLimitedReply(retryAfterSeconds: number): {
  status: 429;
  body: { error: string; retry_after: number };
  headers: Record<string, string>;
} {
  return {
    status: 429,
    body: { error: 'Rate limit exceeded. Please try again later.', retry_after: retryAfterSeconds },
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}
