import { recentSteps, trafficSummary, type DeploymentMetrics } from '../../../src/baseten';

const descriptors: DeploymentMetrics['metric_descriptors'] = [
  { name: 'baseten_replicas_active', unit_hint: 'COUNT', kind: 'GAUGE', label_sets: [{}] },
  {
    name: 'baseten_inference_requests_total',
    unit_hint: 'COUNT',
    kind: 'COUNTER',
    label_sets: [{ status: '2xx' }, { status: '4xx' }, { status: '5xx' }],
  },
  {
    name: 'baseten_end_to_end_response_time_seconds',
    unit_hint: 'SECONDS',
    kind: 'HISTOGRAM',
    label_sets: [{ quantile: '0.5' }, { quantile: '0.9' }, { quantile: '0.95' }, { quantile: '0.99' }, { stat: 'avg' }],
  },
];

function metrics(
  mode: DeploymentMetrics['mode'],
  values: DeploymentMetrics['metric_values'][number]['values'][],
): DeploymentMetrics {
  return {
    start_epoch_millis: 0,
    end_epoch_millis: 60_000,
    mode,
    step_seconds: mode === 'SERIES' ? 30 : null,
    metric_descriptors: descriptors,
    metric_values: values.map((v, i) => ({ start_epoch_millis: i * 30_000, values: v })),
  };
}

describe('trafficSummary', () => {
  it('reads requests, the 5xx share, quantiles in ms and replicas from a SUMMARY answer', () => {
    const summary = trafficSummary(metrics('SUMMARY', [[[2], [90, 6, 4], [0.012, 0.05, 0.0805, 0.2, 0.02]]]));
    expect(summary).toEqual({
      requests: 100,
      errors5xx: 4,
      errorRate: 0.04,
      p50Ms: 12,
      p95Ms: 80.5,
      p99Ms: 200,
      replicasActive: 2,
    });
  });

  it('leaves out the error rate and quantiles when there was no traffic', () => {
    const summary = trafficSummary(metrics('SUMMARY', [[[1], [0, 0, 0], [null, null, null, null, null]]]));
    expect(summary).toEqual({ requests: 0, errors5xx: 0, replicasActive: 1 });
  });

  it('finds series by labels, not position, and treats a missing metric as no data', () => {
    const reordered: DeploymentMetrics = {
      ...metrics('SUMMARY', []),
      metric_descriptors: [
        {
          name: 'baseten_inference_requests_total',
          unit_hint: 'COUNT',
          kind: 'COUNTER',
          label_sets: [{ status: '5xx' }, { status: '2xx' }],
        },
      ],
      metric_values: [{ start_epoch_millis: 0, values: [[3, 7]] }],
    };
    expect(trafficSummary(reordered)).toEqual({ requests: 10, errors5xx: 3, errorRate: 0.3 });
  });

  it('sums a SERIES over its steps, weighs the steps quantiles by their requests, takes the last replica count', () => {
    const summary = trafficSummary(
      metrics('SERIES', [
        [[null], [null, null, null], [null, null, null, null, null]],
        [[1], [10, 0, 0], [0.01, 0.02, 0.03, 0.04, 0.01]],
        [[2], [5, 0, 5], [0.02, 0.5, 0.6, 0.9, 0.2]],
      ]),
    );
    expect(summary).toEqual({
      requests: 20,
      errors5xx: 5,
      errorRate: 0.25,
      p50Ms: 15,
      p95Ms: 315,
      p99Ms: 470,
      replicasActive: 2,
    });
  });

  it('cuts a SERIES to its recent steps, so they are judged on their own', () => {
    const series = metrics('SERIES', [
      [[1], [100, 0, 0], [0.01, 0.02, 0.03, 0.04, 0.01]],
      [[1], [6, 0, 4], [0.01, 0.02, 0.03, 0.04, 0.01]],
    ]);
    expect(trafficSummary(series)).toMatchObject({ requests: 110, errors5xx: 4 });
    expect(trafficSummary(recentSteps(series, 30_000))).toMatchObject({ requests: 10, errors5xx: 4, errorRate: 0.4 });
    expect(trafficSummary(recentSteps(series, 60_000))).toEqual({ requests: 0, errors5xx: 0 });
    // Too few requests since then to judge: it reaches back a step at a time until it holds enough.
    expect(trafficSummary(recentSteps(series, 30_000, 20))).toMatchObject({ requests: 110 });
    expect(trafficSummary(recentSteps(series, 30_000, 10))).toMatchObject({ requests: 10 });
  });
});
