import { parseMetricsQuery, seriesStepSeconds } from '../../../src/emulator/metrics/query';
import { deploymentMetrics } from '../../../src/emulator/metrics/report';
import { TrafficLog } from '../../../src/emulator/metrics/traffic-log';

const now = 1_754_049_600_000;
const query = (text: string) => new URLSearchParams(text);

describe('TrafficLog', () => {
  it('keeps requests in arrival order even when a slow one finishes last', () => {
    const log = new TrafficLog(() => now);
    log.record('d', { at: now - 100, status: 200, latencyMs: 5 });
    log.record('d', { at: now - 50, status: 500, latencyMs: 6 });
    log.record('d', { at: now - 300, status: 200, latencyMs: 400 });
    expect(log.samples('d', now - 1000, now)).toEqual({ statuses: [200, 200, 500], latenciesMs: [400, 5, 6] });
    expect(log.samples('d', now - 100, now - 50)).toEqual({ statuses: [200], latenciesMs: [5] });
    expect(log.samples('d', now - 100, now - 50, true).statuses).toEqual([200, 500]);
  });

  it('is bounded: at most about 50 000 requests per deployment, none older than 7 days', () => {
    let clock = now;
    const log = new TrafficLog(() => clock);
    for (let i = 0; i < 60_000; i++) log.record('d', { at: now + i, status: 200, latencyMs: 1 });
    const kept = log.samples('d', 0, now + 60_000).statuses.length;
    expect(kept).toBeLessThanOrEqual(55_000);
    expect(kept).toBeGreaterThanOrEqual(50_000);
    // The newest requests are the ones kept.
    expect(log.samples('d', now + 59_999, now + 60_000).statuses).toEqual([200]);
    clock = now + 8 * 86_400_000;
    log.record('d', { at: clock, status: 503, latencyMs: 1 });
    expect(log.samples('d', 0, clock, true).statuses).toEqual([503]);
  });

  it('answers the replica count at any time since the deployment became known, and forgets deleted ones', () => {
    let clock = now;
    const log = new TrafficLog(() => clock);
    log.setReplicas('d', 0);
    clock += 1000;
    log.setReplicas('d', 1);
    log.setReplicas('d', 1);
    expect([log.replicasAt('d', now - 1), log.replicasAt('d', now + 500), log.replicasAt('d', now + 1000)]).toEqual([
      undefined,
      0,
      1,
    ]);
    expect(log.knownSince('d')).toBe(now);
    log.forget('d');
    expect(log.knownSince('d')).toBeUndefined();
  });
});

describe('parseMetricsQuery', () => {
  it('defaults to CURRENT over the last minute with the default metrics', () => {
    expect(parseMetricsQuery(query(''), now)).toEqual({
      mode: 'CURRENT',
      start: now - 60_000,
      end: now,
      stepSeconds: null,
      steps: [{ start: now - 60_000, end: now }],
      metrics: [
        'baseten_replicas_active',
        'baseten_inference_requests_total',
        'baseten_end_to_end_response_time_seconds',
      ],
    });
  });

  it('gives SUMMARY the last hour by default, and repeated metric names once each', () => {
    const window = parseMetricsQuery(
      query('mode=SUMMARY&metrics=baseten_replicas_active&metrics=baseten_replicas_active'),
      now,
    );
    expect(window).toMatchObject({ start: now - 3600_000, end: now, steps: [{ start: now - 3600_000, end: now }] });
    expect(window.metrics).toEqual(['baseten_replicas_active']);
  });

  it('splits SERIES into even steps, the last one ending at the window end', () => {
    const window = parseMetricsQuery(
      query(`mode=SERIES&start_epoch_millis=${now - 95_000}&end_epoch_millis=${now}`),
      now,
    );
    expect(window.stepSeconds).toBe(1);
    expect(window.steps).toHaveLength(95);
    expect(window.steps[94]).toEqual({ start: now - 1000, end: now });
    const odd = parseMetricsQuery(
      query(`mode=SERIES&start_epoch_millis=${now - 3600_500}&end_epoch_millis=${now}`),
      now,
    );
    expect(odd.stepSeconds).toBe(60);
    expect(odd.steps[odd.steps.length - 1]).toEqual({ start: now - 500, end: now });
  });

  it('picks the finest round step that keeps a series within 120 value sets', () => {
    expect([60_000, 120_000, 121_000, 3600_000, 86_400_000, 7 * 86_400_000].map(seriesStepSeconds)).toEqual([
      1, 1, 5, 30, 900, 7200,
    ]);
  });
});

describe('deploymentMetrics', () => {
  it('counts each step by status class, nulls what has no data, and reports the gauge at the step end', () => {
    const clock = now;
    const log = new TrafficLog(() => clock - 20_000);
    log.setReplicas('d', 1);
    for (const [at, status, latencyMs] of [
      [now - 15_000, 200, 100],
      [now - 14_000, 200, 300],
      [now - 12_000, 503, 20],
      [now - 1_000, 404, 10],
    ] as const)
      log.record('d', { at, status, latencyMs });
    const window = parseMetricsQuery(
      query(`mode=SERIES&start_epoch_millis=${now - 30_000}&end_epoch_millis=${now}`),
      now,
    );
    expect(window.stepSeconds).toBe(1);
    const report = deploymentMetrics(log, 'd', window, now);
    expect(report.metric_values).toHaveLength(30);
    const at = (msAgo: number) => report.metric_values.find((v) => v.start_epoch_millis === now - msAgo)!.values;
    // Before the deployment was known: no data at all.
    expect(at(25_000)).toEqual([[null], [null, null, null, null], [null, null, null, null, null]]);
    expect(at(15_000)).toEqual([[1], [1, 0, 0, 0], [0.1, 0.1, 0.1, 0.1, 0.1]]);
    expect(at(13_000)).toEqual([[1], [0, 0, 0, 0], [null, null, null, null, null]]);
    expect(at(1_000)[1]).toEqual([0, 0, 1, 0]);

    const summary = deploymentMetrics(log, 'd', parseMetricsQuery(query('mode=SUMMARY'), now), now);
    expect(summary.metric_values).toEqual([
      { start_epoch_millis: now - 3600_000, values: [[1], [2, 0, 1, 1], [0.02, 0.3, 0.3, 0.3, 0.1075]] },
    ]);
  });
});
