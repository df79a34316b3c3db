import { judge } from '../../../src/activities/observation';
import { defaultWatchSettings } from '../../../src/workflows/watch-rules';

const at = 1_000_000;
const traffic = (requests: number, errors5xx: number, p95Ms = 50) => ({
  requests,
  errors5xx,
  ...(requests > 0 ? { errorRate: errors5xx / requests, p95Ms } : {}),
});
const facts = (window: ReturnType<typeof traffic>, recent: ReturnType<typeof traffic>) => ({
  at,
  status: 'ACTIVE' as const,
  servingDeploymentId: 'dep',
  traffic: { window, recent, recentFrom: at - 10_000 },
});

describe('judge', () => {
  it('calls a sharp rise of 5xx bad from the recent traffic before it outweighs a window of good traffic', () => {
    // A minute of good traffic, then 30 % of the last 10 s failed: 4.5 % over the window, under its 5 % limit.
    const seen = judge(facts(traffic(660, 30), traffic(100, 30)), defaultWatchSettings);
    expect(seen.bad).toBe(true);
    expect(seen.reasons).toEqual(['5xx share 30% of 100 requests over the last 10 s, over 5%']);
    // The observation keeps the window's figures.
    expect(seen).toMatchObject({ requests: 660, errorRate: 30 / 660 });
  });

  it('calls a look doubtful when 5xx have begun but are not yet over the limit, and only then', () => {
    // One 5xx among the last 20 requests: 5 %, not over; the window's share is lower, so they are new.
    const begun = judge(facts(traffic(600, 1), traffic(20, 1)), defaultWatchSettings);
    expect(begun).toMatchObject({ bad: false, doubtful: true, reasons: [] });
    // The same share as the window's (a steady trickle), none at all, too few requests to tell, or already bad.
    expect(judge(facts(traffic(600, 30), traffic(20, 1)), defaultWatchSettings).doubtful).toBeUndefined();
    expect(judge(facts(traffic(600, 0), traffic(20, 0)), defaultWatchSettings).doubtful).toBeUndefined();
    expect(judge(facts(traffic(600, 1), traffic(10, 1)), defaultWatchSettings).doubtful).toBeUndefined();
    expect(judge(facts(traffic(600, 6), traffic(20, 6)), defaultWatchSettings)).toMatchObject({ bad: true });
    expect(judge(facts(traffic(600, 6), traffic(20, 6)), defaultWatchSettings).doubtful).toBeUndefined();
  });

  it('judges the window when the recent part has too few requests to tell', () => {
    expect(judge(facts(traffic(600, 2), traffic(5, 2)), defaultWatchSettings).bad).toBe(false);
    const seen = judge(facts(traffic(100, 10), traffic(5, 2)), defaultWatchSettings);
    expect(seen.reasons).toEqual(['5xx share 10% of 100 requests over the last 60 s, over 5%']);
  });

  it('judges the p95 budget over the recent part and the window alike, only when one is set', () => {
    const slow = facts(traffic(600, 0, 80), traffic(100, 0, 900));
    expect(judge(slow, defaultWatchSettings).bad).toBe(false);
    expect(judge(slow, { ...defaultWatchSettings, maxP95Ms: 500 }).reasons).toEqual([
      'p95 900 ms over the last 10 s, over 500 ms',
    ]);
  });
});
