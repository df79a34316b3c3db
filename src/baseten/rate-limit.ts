import { APIUserAbortError } from './errors';

/**
 * Spaces the management calls to each endpoint evenly, at most `perSecond` a second per endpoint: each call takes
 * the next free slot of its endpoint, `1000 / perSecond` ms after the one before, and waits for it. Spread rather
 * than a bucket that refills: a thousand watchers looking at once reach Baseten one by one, never as a burst
 * (Baseten allows 100 requests/s per endpoint and API key, counted over a sliding second).
 */
export class EndpointRateLimiter {
  private readonly nextSlot = new Map<string, number>();
  private readonly spacingMs: number;

  constructor(
    readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  ) {
    if (!Number.isFinite(perSecond) || perSecond <= 0) {
      throw new RangeError(`the rate limit must be a positive number of requests per second, got ${perSecond}`);
    }
    // Rounded up to the microsecond, so that rounding never squeezes one call too many into a second.
    this.spacingMs = Math.ceil(1_000_000 / perSecond) / 1000;
  }

  /**
   * Waits for this call's slot on `endpoint`. Slots go in arrival order; a caller that gives up (its signal
   * aborts) keeps its slot unused, so the spacing only ever errs on the slow side.
   */
  async acquire(endpoint: string, signal?: AbortSignal): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(endpoint) ?? now);
    this.nextSlot.set(endpoint, slot + this.spacingMs);
    if (slot > now) await this.sleep(slot - now, signal);
  }
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new APIUserAbortError('aborted while waiting for a rate-limit slot'));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new APIUserAbortError('aborted while waiting for a rate-limit slot'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
