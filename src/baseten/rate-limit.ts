import { APIUserAbortError } from './errors';

/**
 * Spaces the management calls to each endpoint evenly, at most `perSecond` a second per endpoint: calls to one
 * endpoint go one after the other, each at least `1000 / perSecond` ms after the previous one actually went. Spread
 * rather than a bucket that refills: a thousand watchers looking at once reach Baseten one by one, never as a burst
 * (Baseten allows 100 requests/s per endpoint and API key, counted over a sliding second). Spacing from the actual
 * send, not from a planned slot, keeps a stalled event loop from sending its overdue calls all at once afterwards.
 */
export class EndpointRateLimiter {
  /** Per endpoint: when the last call admitted so far goes (resolves once it went). */
  private readonly lastSend = new Map<string, Promise<number>>();
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
   * Waits until this call may go to `endpoint`: calls go in arrival order. A caller that gives up (its signal
   * aborts) hands its turn on without sending, so the spacing only ever errs on the slow side.
   */
  async acquire(endpoint: string, signal?: AbortSignal): Promise<void> {
    const previous = this.lastSend.get(endpoint) ?? Promise.resolve(Number.NEGATIVE_INFINITY);
    let went!: (at: number) => void;
    this.lastSend.set(endpoint, new Promise<number>((resolve) => (went = resolve)));
    const previousAt = await previous;
    try {
      const wait = previousAt + this.spacingMs - this.now();
      if (wait > 0) await this.sleep(wait, signal);
    } catch (err) {
      went(previousAt);
      throw err;
    }
    went(this.now());
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
