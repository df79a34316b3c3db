import { trafficSummary, type DeploymentMetrics } from '../../../src/baseten';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { closeConforming } from './openapi';
import { echoModel, writeTruss } from '../../support/trusses';

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});

afterAll(() => closeConforming(t));

async function activeModel(modelName: string) {
  const { model, deployment } = await t.control.createDeployment({
    trussDir: writeTruss({ modelName, modelPy: echoModel }),
  });
  await t.waitForStatus(model.id, deployment.id, 'ACTIVE');
  return { modelId: model.id, deploymentId: deployment.id };
}

/** The values of one metric's series in one value set, keyed by their labels (`status=2xx`, `quantile=0.5`). */
function seriesOf(metrics: DeploymentMetrics, name: string, set = 0): Record<string, number | null> {
  const index = metrics.metric_descriptors.findIndex((d) => d.name === name);
  expect(index).toBeGreaterThanOrEqual(0);
  const descriptor = metrics.metric_descriptors[index]!;
  const values = metrics.metric_values[set]!.values[index]!;
  return Object.fromEntries(
    descriptor.label_sets.map((labels, j) => [
      Object.entries(labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',') || '-',
      values[j] ?? null,
    ]),
  );
}

const metricsPath = (modelId: string, deploymentId: string, query = '') =>
  `/v1/models/${modelId}/deployments/${deploymentId}/metrics${query}`;

test('every request is counted against the deployment that served it, by status class, with its end-to-end latency', async () => {
  const { modelId, deploymentId } = await activeModel('metered');
  const dev = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'metered', modelPy: echoModel }),
    modelName: 'metered',
    isDevelopment: true,
  });
  await t.waitForStatus(modelId, dev.deployment.id, 'ACTIVE');
  const since = Date.now() - 1;
  const predict = (prefix: string, body: unknown = { ok: true }) =>
    t.call('POST', `/inference/${modelId}/${prefix}/predict`, body);

  // 6 quick successes over every prefix that reaches the production deployment...
  for (const prefix of ['production', `deployment/${deploymentId}`, 'environments/production'])
    for (let i = 0; i < 2; i++) expect((await predict(prefix)).status).toBe(200);
  // ...2 injected errors among 4 requests, 1 bad request, 4 slow successes...
  await t.control.setPredictionFaults(deploymentId, { errorRate: 0.5 });
  const faulty = [];
  for (let i = 0; i < 4; i++) faulty.push((await predict('production')).status);
  expect(faulty).toEqual([200, 500, 200, 500]);
  await t.control.setPredictionFaults(deploymentId, { errorRate: 0, latencyMs: 250 });
  for (let i = 0; i < 4; i++) expect((await predict('production')).status).toBe(200);
  await t.control.clearDeploymentFaults(deploymentId);
  expect((await t.call('POST', `/inference/${modelId}/production/predict`, undefined, { raw: '{nope' })).status).toBe(
    400,
  );
  // ...and 3 to the development deployment, which must not count here.
  for (let i = 0; i < 3; i++) expect((await predict('development')).status).toBe(200);

  const response = await t.call('GET', metricsPath(modelId, deploymentId, `?mode=SUMMARY&start_epoch_millis=${since}`));
  expect(response.status).toBe(200);
  const summary = response.body as DeploymentMetrics;
  expect(summary).toMatchObject({ mode: 'SUMMARY', step_seconds: null, start_epoch_millis: since });
  expect(summary.metric_descriptors).toEqual([
    { name: 'baseten_replicas_active', unit_hint: 'COUNT', kind: 'GAUGE', label_sets: [{}] },
    {
      name: 'baseten_inference_requests_total',
      unit_hint: 'COUNT',
      kind: 'COUNTER',
      label_sets: [{ status: '2xx' }, { status: '3xx' }, { status: '4xx' }, { status: '5xx' }],
    },
    {
      name: 'baseten_end_to_end_response_time_seconds',
      unit_hint: 'SECONDS',
      kind: 'HISTOGRAM',
      label_sets: [
        { quantile: '0.5' },
        { quantile: '0.9' },
        { quantile: '0.95' },
        { quantile: '0.99' },
        { stat: 'avg' },
      ],
    },
  ]);
  expect(summary.metric_values).toHaveLength(1);
  expect(seriesOf(summary, 'baseten_replicas_active')).toEqual({ '-': 1 });
  expect(seriesOf(summary, 'baseten_inference_requests_total')).toEqual({
    'status=2xx': 12,
    'status=3xx': 0,
    'status=4xx': 1,
    'status=5xx': 2,
  });
  // 4 of the 15 requests took at least the injected 250 ms: the median is below the slow tail.
  const latency = seriesOf(summary, 'baseten_end_to_end_response_time_seconds');
  expect(latency['quantile=0.5']).toBeLessThan(latency['quantile=0.9'] ?? 0);
  expect(latency['quantile=0.9']).toBeGreaterThanOrEqual(0.25);
  expect(latency['quantile=0.99']).toBeGreaterThanOrEqual(0.25);
  expect(latency['stat=avg']).toBeGreaterThanOrEqual((4 * 0.25) / 15);

  const devMetrics = await t.client.getDeploymentMetrics(modelId, dev.deployment.id, {
    mode: 'SUMMARY',
    startEpochMillis: since,
  });
  expect(trafficSummary(devMetrics)).toMatchObject({ requests: 3, errors5xx: 0, errorRate: 0 });

  // The typed client and the summary a watcher judges.
  const viaClient = await t.client.getDeploymentMetrics(modelId, deploymentId, {
    mode: 'SUMMARY',
    startEpochMillis: since,
  });
  const judged = trafficSummary(viaClient);
  expect(judged).toMatchObject({ requests: 15, errors5xx: 2, errorRate: 2 / 15, replicasActive: 1 });
  expect(judged.p50Ms).toBeLessThan(judged.p95Ms ?? 0);
  expect(judged.p95Ms).toBeGreaterThanOrEqual(250);
  expect(judged.p99Ms).toBeGreaterThanOrEqual(250);

  // CURRENT reports the last minute, which holds all of this traffic.
  const current = await t.client.getDeploymentMetrics(modelId, deploymentId);
  expect(current.mode).toBe('CURRENT');
  expect(current.end_epoch_millis - current.start_epoch_millis).toBe(60_000);
  expect(trafficSummary(current)).toMatchObject({ requests: 15, errors5xx: 2 });

  // SERIES over the default hour: 30 s steps, the traffic in the last steps, nothing before the deployment existed.
  const series = await t.client.getDeploymentMetrics(modelId, deploymentId, { mode: 'SERIES' });
  expect(series).toMatchObject({ mode: 'SERIES', step_seconds: 30 });
  expect(series.end_epoch_millis - series.start_epoch_millis).toBe(3600_000);
  expect(series.metric_values).toHaveLength(120);
  expect(series.metric_values[1]!.start_epoch_millis - series.metric_values[0]!.start_epoch_millis).toBe(30_000);
  expect(series.metric_values[0]!.values).toEqual([[null], [null, null, null, null], [null, null, null, null, null]]);
  expect(trafficSummary(series)).toMatchObject({ requests: 15, errors5xx: 2, replicasActive: 1 });
});

test('a deployment with no traffic reports zero requests, no latency, and its replica count', async () => {
  const { modelId, deploymentId } = await activeModel('quiet');
  const since = Date.now() - 60_000;
  const response = await t.client.getDeploymentMetrics(modelId, deploymentId, {
    mode: 'SUMMARY',
    startEpochMillis: since,
  });
  expect(response.metric_values[0]!.values).toEqual([[1], [0, 0, 0, 0], [null, null, null, null, null]]);
  expect(trafficSummary(response)).toEqual({ requests: 0, errors5xx: 0, replicasActive: 1 });

  const one = await t.client.getDeploymentMetrics(modelId, 'production', {
    mode: 'SUMMARY',
    metrics: ['baseten_inference_requests_total'],
  });
  expect(one.metric_descriptors.map((d) => d.name)).toEqual(['baseten_inference_requests_total']);
  expect(one.metric_values[0]!.values).toEqual([[0, 0, 0, 0]]);
});

test('bad metrics queries are refused with 400 and a message naming the problem', async () => {
  const { modelId, deploymentId } = await activeModel('strict-metrics');
  const now = Date.now();
  const cases: Array<[string, RegExp]> = [
    ['?mode=BOGUS', /mode/],
    [`?start_epoch_millis=${now - 1000}`, /CURRENT .*takes no start_epoch_millis/],
    ['?mode=SUMMARY&end_epoch_millis=yesterday', /end_epoch_millis: must be an integer/],
    [`?mode=SERIES&start_epoch_millis=${now}&end_epoch_millis=${now - 1}`, /must be before end_epoch_millis/],
    [`?mode=SUMMARY&start_epoch_millis=${now - 8 * 86_400_000}&end_epoch_millis=${now}`, /must not exceed 7 days/],
    ['?metrics=baseten_replicas_active&metrics=gpu_magic', /unknown metric "gpu_magic"/],
  ];
  for (const [query, message] of cases) {
    const response = await t.call('GET', metricsPath(modelId, deploymentId, query));
    expect({ query, status: response.status }).toEqual({ query, status: 400 });
    expect(response.body).toMatchObject({ error: 'Bad request', message: expect.stringMatching(message) as unknown });
  }
  expect((await t.call('GET', metricsPath(modelId, 'nosuchdep'))).status).toBe(404);
});
