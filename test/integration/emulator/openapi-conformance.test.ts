import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { conformanceProblems, expectConformingResponses } from './openapi';
import { echoModel, writeTruss } from '../../support/trusses';

// Every other emulator test file also checks its own responses in afterAll; this one walks every
// management endpoint the emulator serves, so each response shape is checked at least once.
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});

afterAll(async () => {
  await t.close();
});

test('the checker itself rejects a body that breaks the spec', () => {
  const broken = {
    method: 'GET',
    path: '/v1/models/abc/deployments/def',
    status: 200,
    body: { id: 'def', status: 'RUNNING' },
  };
  expect(conformanceProblems(broken).join()).toMatch(
    /must have required property|must be equal to one of the allowed values/,
  );
  expect(conformanceProblems({ method: 'GET', path: '/v1/models', status: 201, body: { models: [] } })).toHaveLength(1);
  const metrics = {
    start_epoch_millis: 1,
    end_epoch_millis: 2,
    mode: 'SUMMARY',
    step_seconds: null,
    metric_descriptors: [{ name: 'baseten_replicas_active', unit_hint: 'COUNT', kind: 'GAUGE', label_sets: [{}] }],
    metric_values: [{ start_epoch_millis: 1, values: [[1]] }],
  };
  const metricsAt = (body: unknown) => ({
    method: 'GET',
    path: '/v1/models/a/deployments/b/metrics',
    status: 200,
    body,
  });
  expect(conformanceProblems(metricsAt(metrics))).toEqual([]);
  const { step_seconds: _step, ...withoutStep } = metrics;
  expect(conformanceProblems(metricsAt(withoutStep)).join()).toMatch(/step_seconds/);
  expect(
    conformanceProblems(metricsAt({ ...metrics, metric_values: [{ start_epoch_millis: 1, values: [['1']] }] })),
  ).toHaveLength(1);
  expect(
    conformanceProblems(
      metricsAt({ ...metrics, metric_descriptors: [{ ...metrics.metric_descriptors[0], kind: 'RATE' }] }),
    ),
  ).toHaveLength(1);
  const control = (name: string, body: unknown) => ({
    method: 'POST',
    path: `/v1/models/a/environments/production/${name}_promotion`,
    status: 200,
    body,
  });
  expect(conformanceProblems(control('cancel', { status: 'RAMPING_DOWN', message: 'ok' }))).toEqual([]);
  expect(conformanceProblems(control('cancel', { status: 'DONE', message: 'ok' }))).toHaveLength(1);
  expect(conformanceProblems(control('cancel', { status: 'CANCELED' })).join()).toMatch(/message/);
  expect(conformanceProblems(control('pause', { success: true }))).toEqual([]);
  expect(conformanceProblems(control('force_roll_forward', {})).join()).toMatch(/success/);
});

test('every management endpoint answers with the status and body shape the official spec declares', async () => {
  const truss = writeTruss({ modelName: 'conformance', modelPy: echoModel });
  const first = await t.control.createDeployment({ trussDir: truss });
  const m = first.model.id;
  const d1 = first.deployment.id;
  await t.waitForStatus(m, d1, 'ACTIVE');
  const second = await t.control.createDeployment({
    trussDir: truss,
    modelName: 'conformance',
    labels: { git_sha: 'abc' },
  });
  const d2 = second.deployment.id;
  const dev = await t.control.createDeployment({ trussDir: truss, modelName: 'conformance', isDevelopment: true });
  await t.waitForStatus(m, d2, 'ACTIVE');
  await t.waitForStatus(m, dev.deployment.id, 'ACTIVE');

  expect((await t.call('POST', `/inference/${m}/production/predict`, { hello: 1 })).status).toBe(200);

  const calls: Array<[string, string, unknown?]> = [
    ['GET', `/v1/models/${m}/deployments/${d1}/metrics`],
    ['GET', `/v1/models/${m}/deployments/${d1}/metrics?mode=SUMMARY`],
    ['GET', `/v1/models/${m}/deployments/production/metrics?mode=SERIES&metrics=baseten_inference_requests_total`],
    ['GET', '/v1/models'],
    ['GET', '/v1/models?name=conformance'],
    ['GET', `/v1/models/${m}`],
    ['GET', `/v1/models/${m}/deployments`],
    ['GET', `/v1/models/${m}/deployments/${d1}`],
    ['GET', `/v1/models/${m}/deployments/production`],
    ['GET', `/v1/models/${m}/deployments/development`],
    ['PATCH', `/v1/models/${m}/deployments/${d2}`, { name: 'second' }],
    ['PATCH', `/v1/models/${m}/deployments/${d2}/autoscaling_settings`, { scale_down_delay: 60 }],
    ['PATCH', `/v1/models/${m}/deployments/production/autoscaling_settings`, { max_replica: 2 }],
    ['GET', `/v1/models/${m}/deployments/${d1}/logs?limit=5&direction=desc`],
    ['POST', `/v1/models/${m}/deployments/${d1}/logs`, { limit: 5, includes: ['status'] }],
    ['POST', `/v1/models/${m}/deployments/${d2}/retry`],
    ['GET', `/v1/models/${m}/environments`],
    ['POST', `/v1/models/${m}/environments`, { name: 'staging', autoscaling_settings: { min_replica: 0 } }],
    ['GET', `/v1/models/${m}/environments/staging`],
    [
      'PATCH',
      `/v1/models/${m}/environments/staging`,
      { promotion_settings: { rolling_deploy_config: { max_surge_percent: 50 } } },
    ],
    [
      'POST',
      `/v1/models/${m}/environments/staging/promote`,
      { deployment_id: d2, scale_down_previous_deployment: false },
    ],
    ['GET', `/v1/models/${m}/environments/staging`],
    ['POST', `/v1/models/${m}/environments/staging/deactivate`],
    ['POST', `/v1/models/${m}/environments/staging/activate`],
    // Promotion moves d2 out of staging (a deployment belongs to one environment).
    ['POST', `/v1/models/${m}/deployments/${d2}/promote`, { scale_down_previous_production: false }],
    ['GET', `/v1/models/${m}/environments/production`],
    ['POST', `/v1/models/${m}/environments/production/promote`, { deployment_id: d1 }],
    ['POST', `/v1/models/${m}/deployments/development/promote`],
    ['POST', `/v1/models/${m}/deployments/production/deactivate`],
    ['POST', `/v1/models/${m}/deployments/development/activate`],
    // The promotion controls, with nothing in progress (rollout.test.ts and promotion.test.ts record them mid-promotion).
    ['POST', `/v1/models/${m}/environments/production/cancel_promotion`],
    ['POST', `/v1/models/${m}/environments/production/force_cancel_promotion`],
    ['POST', `/v1/models/${m}/environments/production/pause_promotion`],
    ['POST', `/v1/models/${m}/environments/production/resume_promotion`],
    ['POST', `/v1/models/${m}/environments/production/force_roll_forward_promotion`],
    ['DELETE', `/v1/models/${m}/environments/staging`],
    ['DELETE', `/v1/models/${m}/deployments/${dev.deployment.id}`],
  ];
  for (const [method, path, body] of calls) {
    const result = await t.call(method, path, body);
    expect({ call: `${method} ${path}`, status: result.status }).toEqual({ call: `${method} ${path}`, status: 200 });
  }
  expect((await t.call('DELETE', `/v1/models/${m}`)).status).toBe(200);
  // Every call above, and the status polls before them, were recorded and are checked here.
  expect(t.responses.length).toBeGreaterThan(calls.length);
  expectConformingResponses(t.responses);
});
