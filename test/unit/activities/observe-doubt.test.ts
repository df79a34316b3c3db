import type { ObserveInput } from '../../../src/activities/observe';
import type { DeploymentMetrics } from '../../../src/baseten/schemas';
import { defaultWatchSettings } from '../../../src/workflows/watch-rules';
import { setup } from './activity-harness';

const stepMs = 1_000;
const requestsPerStep = 10;

/**
 * Baseten's SERIES answer for the asked window in 1 s steps of 10 requests each, with `errorShare` of the requests
 * answered 5xx from `fault.at` on (until `fault.end`), counted by how much of each step the fault covers.
 */
function series(
  start: number,
  end: number,
  fault: { at: number; end?: number; errorShare: number },
): DeploymentMetrics {
  const values: DeploymentMetrics['metric_values'] = [];
  for (let at = start; at < end; at += stepMs) {
    const covered = Math.max(0, Math.min(at + stepMs, fault.end ?? Infinity) - Math.max(at, fault.at));
    const errors = Math.round((requestsPerStep * fault.errorShare * covered) / stepMs);
    values.push({ start_epoch_millis: at, values: [[requestsPerStep - errors, 0, errors]] });
  }
  return {
    start_epoch_millis: start,
    end_epoch_millis: end,
    mode: 'SERIES',
    step_seconds: stepMs / 1000,
    metric_descriptors: [
      {
        name: 'baseten_inference_requests_total',
        unit_hint: 'COUNT',
        kind: 'COUNTER',
        label_sets: [{ status: '2xx' }, { status: '4xx' }, { status: '5xx' }],
      },
    ],
    metric_values: values,
  };
}

/** The observation activity over a production whose errors begin 300 ms before its second look. */
function watched() {
  const h = setup();
  h.fake.script('dep', 'ACTIVE');
  h.fake.productionId = 'dep';
  const settings = { ...defaultWatchSettings, intervalMs: 2_000 };
  const firstLookAt = 1_000_000 + 100;
  const faultAt = firstLookAt + settings.intervalMs - 300;
  h.fake.api.getDeploymentMetrics = async (_modelId, _id, query) =>
    series(query?.startEpochMillis ?? 0, query?.endEpochMillis ?? 0, { at: faultAt, errorShare: 0.3 });
  const input: ObserveInput = {
    modelId: 'm1',
    environment: 'production',
    deploymentId: 'dep',
    settings,
    mode: 'automatic',
    consecutiveBad: 0,
    badRunReported: false,
    // Keeps the first look's time fixed (no spreading jitter): the next look is one interval after this one.
    lastObservedAt: firstLookAt - settings.intervalMs,
    untilMs: firstLookAt + 9_000,
  };
  return { h, input, faultAt };
}

describe('a look that sees 5xx beginning, too few to judge, looks again soon', () => {
  it('a fault 300 ms before a look: looked at again 1 s later, judged from the last good look, reverted sooner', async () => {
    const { h, input } = watched();
    const result = await h.run(h.activities.observeProduction, input);
    expect(result.reason).toBe('unhealthy');
    const [good, doubtful, bad, confirmed] = result.observations;
    expect(good).toMatchObject({ bad: false });
    expect(good?.doubtful).toBeUndefined();
    // One 5xx among the 20 requests since the good look: 5 %, not over the limit, but more than the window's share.
    expect(doubtful).toMatchObject({ bad: false, doubtful: true });
    expect((doubtful?.at ?? 0) - (good?.at ?? 0)).toBe(2_000);
    // Soon after, not a whole interval: the errors since the good look (3 s of traffic) are judged together.
    expect((bad?.at ?? 0) - (doubtful?.at ?? 0)).toBe(1_000);
    expect(bad?.bad).toBe(true);
    expect(bad?.reasons[0]).toMatch(/of 30 requests over the last 3 s, over 5%/);
    expect((confirmed?.at ?? 0) - (bad?.at ?? 0)).toBe(1_000);
    expect(confirmed?.bad).toBe(true);
  });

  it('a single stray 5xx: one look soon, then the interval again (a trickle does not keep it looking every second)', async () => {
    const { h, input, faultAt } = watched();
    // One error only: the fault covers a tenth of a step's requests at 100 %.
    h.fake.api.getDeploymentMetrics = async (_modelId, _id, query) =>
      series(query?.startEpochMillis ?? 0, query?.endEpochMillis ?? 0, {
        at: faultAt,
        end: faultAt + 100,
        errorShare: 1,
      });
    const result = await h.run(h.activities.observeProduction, input);
    expect(result.reason).toBe('slice-ended');
    const gaps = result.observations.slice(1).map((o, i) => o.at - (result.observations[i]?.at ?? 0));
    expect(result.observations.map((o) => o.bad)).toEqual([false, false, false, false, false]);
    expect(result.observations.map((o) => o.doubtful === true)).toEqual([false, true, true, true, true]);
    expect(gaps).toEqual([2_000, 1_000, 2_000, 2_000]);
  });
});
