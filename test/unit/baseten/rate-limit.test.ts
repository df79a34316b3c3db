import { APIUserAbortError } from '../../../src/baseten';
import { EndpointRateLimiter } from '../../../src/baseten/rate-limit';

/** A limiter on a fake clock: `sleep` records each wait and moves the clock by it (or by more: a stalled loop). */
function fakeLimiter(perSecond: number, stallMs = () => 0) {
  let now = 1_000;
  const waits: number[] = [];
  const sends: number[] = [];
  const limiter = new EndpointRateLimiter(
    perSecond,
    () => now,
    async (ms) => {
      waits.push(ms);
      // A real sleep ends in a later turn of the event loop: callers that already went have recorded it.
      await new Promise((resolve) => setImmediate(resolve));
      now += ms + stallMs();
    },
  );
  const send = async (endpoint: string): Promise<void> => {
    await limiter.acquire(endpoint);
    sends.push(now);
  };
  return { waits, sends, send, advance: (ms: number) => (now += ms) };
}

/** The most sends within any one second. */
function mostInASecond(sends: number[]): number {
  return Math.max(...sends.map((t) => sends.filter((s) => s >= t && s < t + 1000).length));
}

describe('EndpointRateLimiter', () => {
  it('spaces calls to one endpoint evenly instead of letting them through in a burst', async () => {
    const { waits, sends, send } = fakeLimiter(100);
    await Promise.all(Array.from({ length: 5 }, () => send('GET getEnvironment')));
    // The first goes at once; each next one 10 ms after the one before.
    expect(waits).toEqual([10, 10, 10, 10]);
    expect(sends).toEqual([1000, 1010, 1020, 1030, 1040]);
  });

  it('never lets more than `perSecond` calls go within any second, even when its timers fire late', async () => {
    // Every other wait overruns by 150 ms, as a stalled event loop would: the overdue calls must not bunch up.
    let n = 0;
    const { sends, send } = fakeLimiter(90, () => (n++ % 2 === 0 ? 150 : 0));
    await Promise.all(Array.from({ length: 500 }, () => send('GET getDeploymentMetrics')));
    expect(sends).toHaveLength(500);
    expect(mostInASecond(sends)).toBeLessThanOrEqual(90);
    const steady = fakeLimiter(90);
    await Promise.all(Array.from({ length: 500 }, () => steady.send('GET getDeploymentMetrics')));
    expect(mostInASecond(steady.sends)).toBe(90);
  });

  it('counts each endpoint on its own, and a quiet endpoint lets its next call through at once', async () => {
    const { waits, send, advance } = fakeLimiter(10);
    await send('GET getEnvironment');
    await send('GET getDeploymentMetrics');
    expect(waits).toEqual([]);
    await send('GET getEnvironment');
    expect(waits).toEqual([100]);
    advance(1_000);
    await send('GET getEnvironment');
    expect(waits).toEqual([100]);
  });

  it('stops waiting when its caller aborts, and the calls after it still go', async () => {
    const limiter = new EndpointRateLimiter(20);
    await limiter.acquire('POST promoteDeployment');
    const controller = new AbortController();
    const aborted = limiter.acquire('POST promoteDeployment', controller.signal);
    const next = limiter.acquire('POST promoteDeployment');
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(APIUserAbortError);
    await expect(next).resolves.toBeUndefined();
  });

  it('refuses a limit that is not a positive number', () => {
    expect(() => new EndpointRateLimiter(0)).toThrow('positive number of requests per second');
    expect(() => new EndpointRateLimiter(Number.NaN)).toThrow(RangeError);
  });
});
