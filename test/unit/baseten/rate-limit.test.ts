import { APIUserAbortError } from '../../../src/baseten';
import { EndpointRateLimiter } from '../../../src/baseten/rate-limit';

/** A limiter on a fake clock: `sleep` records how long each call waited and moves the clock by nothing. */
function fakeLimiter(perSecond: number) {
  let now = 1_000;
  const waits: number[] = [];
  const limiter = new EndpointRateLimiter(
    perSecond,
    () => now,
    async (ms) => {
      waits.push(ms);
    },
  );
  return { limiter, waits, advance: (ms: number) => (now += ms) };
}

describe('EndpointRateLimiter', () => {
  it('spaces calls to one endpoint evenly instead of letting them through in a burst', async () => {
    const { limiter, waits } = fakeLimiter(100);
    for (let i = 0; i < 5; i++) await limiter.acquire('GET getEnvironment');
    // The first goes at once; each next one 10 ms after the one before.
    expect(waits).toEqual([10, 20, 30, 40]);
  });

  it('never lets more than `perSecond` calls start within any second', async () => {
    const { limiter, waits, advance } = fakeLimiter(90);
    const starts: number[] = [];
    let clock = 0;
    for (let i = 0; i < 500; i++) {
      const before = waits.length;
      await limiter.acquire('GET getDeploymentMetrics');
      starts.push(clock + (waits[before] ?? 0));
      // Callers keep arriving faster than the limit, every 2 ms.
      advance(2);
      clock += 2;
    }
    const inAnySecond = Math.max(...starts.map((t) => starts.filter((s) => s >= t && s < t + 1000).length));
    expect(inAnySecond).toBe(90);
  });

  it('counts each endpoint on its own, and a quiet endpoint lets its next call through at once', async () => {
    const { limiter, waits, advance } = fakeLimiter(10);
    await limiter.acquire('GET getEnvironment');
    await limiter.acquire('GET getDeploymentMetrics');
    expect(waits).toEqual([]);
    await limiter.acquire('GET getEnvironment');
    expect(waits).toEqual([100]);
    advance(1_000);
    await limiter.acquire('GET getEnvironment');
    expect(waits).toEqual([100]);
  });

  it('stops waiting when its caller aborts', async () => {
    const limiter = new EndpointRateLimiter(1);
    await limiter.acquire('POST promoteDeployment');
    const controller = new AbortController();
    const waiting = limiter.acquire('POST promoteDeployment', controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(APIUserAbortError);
  });

  it('refuses a limit that is not a positive number', () => {
    expect(() => new EndpointRateLimiter(0)).toThrow('positive number of requests per second');
    expect(() => new EndpointRateLimiter(Number.NaN)).toThrow(RangeError);
  });
});
