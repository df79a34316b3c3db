import type { BasetenClient } from '../../../src/baseten';
import { sendJson, startHttpTestServer, type HttpTestServer } from '../../support/http-test-server';
import { apiKey, clientFor, deployment, environment, model } from './fixtures';

let server: HttpTestServer;
let client: BasetenClient;

beforeEach(async () => {
  server = await startHttpTestServer();
  client = clientFor(server);
});
afterEach(() => server.close());

/** Answers every request with `body` and returns what the client sent. */
function answer(body: unknown, status = 200): void {
  server.handle((_req, res) => sendJson(res, status, body));
}

function onlyRequest() {
  expect(server.requests).toHaveLength(1);
  return server.requests[0]!;
}

describe('BasetenClient management calls', () => {
  it('sends the API key as "Api-Key <key>" and identifies itself as baseten-cd', async () => {
    answer(model);
    await client.getModel('abc1d2ef');
    const req = onlyRequest();
    expect(req.headers.authorization).toBe(`Api-Key ${apiKey}`);
    expect(req.headers['user-agent']).toMatch(/^baseten-cd\/\d+\.\d+\.\d+/);
  });

  it('gets a model by id and returns the parsed model', async () => {
    answer(model);
    await expect(client.getModel('abc1d2ef')).resolves.toEqual(model);
    expect(onlyRequest()).toMatchObject({ method: 'GET', url: '/v1/models/abc1d2ef' });
  });

  it('lists models, filtering by exact name when asked', async () => {
    answer({ models: [model] });
    await expect(client.listModels({ name: 'sentiment v2' })).resolves.toEqual([model]);
    const req = onlyRequest();
    expect(req).toMatchObject({ method: 'GET', path: '/v1/models' });
    expect(req.query.get('name')).toBe('sentiment v2');
  });

  it('lists deployments of a model, with and without a name filter', async () => {
    answer({ deployments: [deployment] });
    await expect(client.listDeployments('abc1d2ef')).resolves.toEqual([deployment]);
    await client.listDeployments('abc1d2ef', { name: 'deployment-3' });
    expect(server.requests.map((r) => r.url)).toEqual([
      '/v1/models/abc1d2ef/deployments',
      '/v1/models/abc1d2ef/deployments?name=deployment-3',
    ]);
  });

  it('gets a deployment by id or by the development/production alias', async () => {
    answer(deployment);
    await expect(client.getDeployment('abc1d2ef', 'q48rmd3')).resolves.toEqual(deployment);
    await client.getDeployment('abc1d2ef', 'production');
    await client.getDeployment('abc1d2ef', 'development');
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v1/models/abc1d2ef/deployments/q48rmd3',
      'GET /v1/models/abc1d2ef/deployments/production',
      'GET /v1/models/abc1d2ef/deployments/development',
    ]);
  });

  it('encodes ids so that a hostile id cannot change the path', async () => {
    answer(deployment);
    await client.getDeployment('abc1d2ef', '../../secrets');
    expect(onlyRequest().url).toBe('/v1/models/abc1d2ef/deployments/..%2F..%2Fsecrets');
  });

  it('promotes a deployment to production with the given flags and returns the deployment', async () => {
    answer({ ...deployment, is_production: true });
    const promoted = await client.promoteDeployment('abc1d2ef', 'q48rmd3', { scale_down_previous_production: false });
    expect(promoted.is_production).toBe(true);
    const req = onlyRequest();
    expect(req).toMatchObject({ method: 'POST', url: '/v1/models/abc1d2ef/deployments/q48rmd3/promote' });
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.json()).toEqual({ scale_down_previous_production: false });
  });

  it('promotes with an empty JSON body when no flags are given (Baseten defaults apply)', async () => {
    answer(deployment);
    await client.promoteDeployment('abc1d2ef', 'development');
    expect(onlyRequest()).toMatchObject({ url: '/v1/models/abc1d2ef/deployments/development/promote', body: '{}' });
  });

  it('promotes a deployment into a named environment', async () => {
    answer({ ...deployment, environment: 'staging' });
    const body = { deployment_id: 'q48rmd3', scale_down_previous_deployment: true };
    await expect(client.promoteToEnvironment('abc1d2ef', 'staging', body)).resolves.toMatchObject({
      environment: 'staging',
    });
    const req = onlyRequest();
    expect(req).toMatchObject({ method: 'POST', url: '/v1/models/abc1d2ef/environments/staging/promote' });
    expect(req.json()).toEqual(body);
  });

  it('lists, gets and creates environments', async () => {
    server.handle((req, res) =>
      sendJson(
        res,
        200,
        req.method === 'GET' && req.path.endsWith('/environments') ? { environments: [environment] } : environment,
      ),
    );
    await expect(client.listEnvironments('abc1d2ef')).resolves.toEqual([environment]);
    await expect(client.getEnvironment('abc1d2ef', 'production')).resolves.toEqual(environment);
    await client.createEnvironment('abc1d2ef', { name: 'staging', promotion_settings: { rolling_deploy: true } });
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v1/models/abc1d2ef/environments',
      'GET /v1/models/abc1d2ef/environments/production',
      'POST /v1/models/abc1d2ef/environments',
    ]);
    expect(server.requests[2]!.json()).toEqual({ name: 'staging', promotion_settings: { rolling_deploy: true } });
  });

  it('activates and deactivates a deployment with a bodiless POST', async () => {
    answer({ success: true });
    await expect(client.activateDeployment('abc1d2ef', 'q48rmd3')).resolves.toEqual({ success: true });
    await expect(client.deactivateDeployment('abc1d2ef', 'production')).resolves.toEqual({ success: true });
    expect(server.requests.map((r) => `${r.method} ${r.url} [${r.body}]`)).toEqual([
      'POST /v1/models/abc1d2ef/deployments/q48rmd3/activate []',
      'POST /v1/models/abc1d2ef/deployments/production/deactivate []',
    ]);
  });

  it('treats an activate answer without "success" as success (the spec default)', async () => {
    answer({});
    await expect(client.activateDeployment('abc1d2ef', 'q48rmd3')).resolves.toEqual({ success: true });
  });

  it('patches autoscaling settings with only the fields given', async () => {
    answer({ status: 'ACCEPTED', message: 'Autoscaling settings are being updated' });
    const result = await client.updateAutoscalingSettings('abc1d2ef', 'q48rmd3', { min_replica: 1 });
    expect(result.status).toBe('ACCEPTED');
    const req = onlyRequest();
    expect(req).toMatchObject({ method: 'PATCH', url: '/v1/models/abc1d2ef/deployments/q48rmd3/autoscaling_settings' });
    expect(req.json()).toEqual({ min_replica: 1 });
  });

  it('reads deployment logs with GET and the window as query parameters', async () => {
    const line = { timestamp: '1754049600000000000', message: 'Model loaded', replica: 'x7k2p', level: 'INFO' };
    answer({ logs: [line] });
    const logs = await client.getDeploymentLogs('abc1d2ef', 'q48rmd3', {
      limit: 50,
      startEpochMillis: 1_754_049_000_000,
      endEpochMillis: 1_754_049_600_000,
    });
    expect(logs).toEqual([line]);
    const req = onlyRequest();
    expect(req).toMatchObject({ method: 'GET', path: '/v1/models/abc1d2ef/deployments/q48rmd3/logs', body: '' });
    expect(Object.fromEntries(req.query)).toEqual({
      limit: '50',
      start_epoch_millis: '1754049000000',
      end_epoch_millis: '1754049600000',
    });
  });

  it('reads deployment metrics with the mode, window and repeated metric names as query parameters', async () => {
    const metrics = {
      start_epoch_millis: 1_754_049_000_000,
      end_epoch_millis: 1_754_049_600_000,
      mode: 'SUMMARY',
      step_seconds: null,
      metric_descriptors: [
        {
          name: 'baseten_inference_requests_total',
          unit_hint: 'COUNT',
          kind: 'COUNTER',
          label_sets: [{ status: '2xx' }],
        },
      ],
      metric_values: [{ start_epoch_millis: 1_754_049_000_000, values: [[42]] }],
    };
    answer(metrics);
    const got = await client.getDeploymentMetrics('abc1d2ef', 'q48rmd3', {
      mode: 'SUMMARY',
      startEpochMillis: 1_754_049_000_000,
      endEpochMillis: 1_754_049_600_000,
      metrics: ['baseten_inference_requests_total', 'baseten_replicas_active'],
    });
    expect(got).toEqual(metrics);
    const req = onlyRequest();
    expect(req).toMatchObject({ method: 'GET', path: '/v1/models/abc1d2ef/deployments/q48rmd3/metrics', body: '' });
    expect(req.query.get('mode')).toBe('SUMMARY');
    expect(req.query.get('start_epoch_millis')).toBe('1754049000000');
    expect(req.query.get('end_epoch_millis')).toBe('1754049600000');
    expect(req.query.getAll('metrics')).toEqual(['baseten_inference_requests_total', 'baseten_replicas_active']);
  });

  it('asks for the metrics with no query at all by default (CURRENT, the default set)', async () => {
    answer({
      start_epoch_millis: 1,
      end_epoch_millis: 2,
      mode: 'CURRENT',
      step_seconds: null,
      metric_descriptors: [],
      metric_values: [],
    });
    await client.getDeploymentMetrics('abc1d2ef', 'q48rmd3');
    expect(onlyRequest().url).toBe('/v1/models/abc1d2ef/deployments/q48rmd3/metrics');
  });

  it('rejects a metrics answer whose values are not numbers or null, naming the field', async () => {
    answer({
      start_epoch_millis: 1,
      end_epoch_millis: 2,
      mode: 'SUMMARY',
      step_seconds: null,
      metric_descriptors: [],
      metric_values: [{ start_epoch_millis: 1, values: [['many']] }],
    });
    await expect(client.getDeploymentMetrics('abc1d2ef', 'q48rmd3')).rejects.toThrow(/metric_values\.0\.values\.0\.0/);
  });

  it('updates an environment with only the settings given, and returns the status answer', async () => {
    answer({ status: 'ACCEPTED', message: 'Environment settings updated' });
    const body = { promotion_settings: { rolling_deploy: true, rolling_deploy_config: { max_surge_percent: 25 } } };
    await expect(client.updateEnvironment('abc1d2ef', 'production', body)).resolves.toEqual({
      status: 'ACCEPTED',
      message: 'Environment settings updated',
    });
    const req = onlyRequest();
    expect(req).toMatchObject({ method: 'PATCH', url: '/v1/models/abc1d2ef/environments/production' });
    expect(req.json()).toEqual(body);
  });

  it('cancels a promotion with a bodiless POST and returns CANCELED or RAMPING_DOWN', async () => {
    answer({ status: 'RAMPING_DOWN', message: 'moving traffic back' });
    await expect(client.cancelPromotion('abc1d2ef', 'production')).resolves.toEqual({
      status: 'RAMPING_DOWN',
      message: 'moving traffic back',
    });
    expect(onlyRequest()).toMatchObject({
      method: 'POST',
      url: '/v1/models/abc1d2ef/environments/production/cancel_promotion',
      body: '',
    });
  });

  it('rejects a cancel answer with a status the spec does not define', async () => {
    answer({ status: 'DONE', message: 'x' });
    await expect(client.cancelPromotion('abc1d2ef', 'production')).rejects.toThrow(/status/);
  });

  it('sends each promotion signal to its own endpoint and returns whether it was taken', async () => {
    answer({ success: false });
    const calls: Array<[string, () => Promise<{ success: boolean }>]> = [
      ['force_cancel_promotion', () => client.forceCancelPromotion('abc1d2ef', 'staging')],
      ['pause_promotion', () => client.pausePromotion('abc1d2ef', 'staging')],
      ['resume_promotion', () => client.resumePromotion('abc1d2ef', 'staging')],
      ['force_roll_forward_promotion', () => client.forceRollForwardPromotion('abc1d2ef', 'staging')],
    ];
    for (const [, call] of calls) await expect(call()).resolves.toEqual({ success: false });
    expect(server.requests.map((r) => `${r.method} ${r.url} [${r.body}]`)).toEqual(
      calls.map(([action]) => `POST /v1/models/abc1d2ef/environments/staging/${action} []`),
    );
  });

  it('rejects a signal answer without "success" (the spec requires it)', async () => {
    answer({});
    await expect(client.pausePromotion('abc1d2ef', 'production')).rejects.toThrow(/success/);
  });

  it('keeps fields Baseten adds later instead of failing on them', async () => {
    answer({ ...deployment, request_backpressure_settings: { policy: 'QUEUE_ON_FULL' } });
    const got = await client.getDeployment('abc1d2ef', 'q48rmd3');
    expect(got).toMatchObject({ request_backpressure_settings: { policy: 'QUEUE_ON_FULL' } });
  });

  it('refuses an empty model id before sending anything', async () => {
    await expect(client.getModel(' ')).rejects.toThrow('Baseten client: modelId must not be empty');
    expect(server.requests).toHaveLength(0);
  });
});

describe('BasetenClient rate limit (rateLimitPerSecond)', () => {
  it('spreads concurrent calls to one endpoint over time, leaves other endpoints alone, and never delays predict', async () => {
    const arrivals: Array<{ path: string; at: number }> = [];
    server.handle((req, res) => {
      arrivals.push({ path: req.path, at: performance.now() });
      if (req.path.endsWith('/predict')) sendJson(res, 200, { ok: true });
      else if (req.path.includes('/environments/')) sendJson(res, 200, environment);
      else sendJson(res, 200, model);
    });
    const limited = clientFor(server, { rateLimitPerSecond: 20 });
    const startedAt = performance.now();
    await Promise.all([
      ...Array.from({ length: 5 }, () => limited.getModel('abc1d2ef')),
      limited.getEnvironment('abc1d2ef', 'production'),
      ...Array.from({ length: 5 }, () => limited.predict('abc1d2ef', { kind: 'production' }, {})),
    ]);
    const models = arrivals.filter((a) => a.path === '/v1/models/abc1d2ef').map((a) => a.at);
    expect(models).toHaveLength(5);
    // 20 a second is one every 50 ms: the fifth call cannot leave before 200 ms after the first, and arrives later
    // still (measured from the start, not from the first arrival, which a busy event loop may delay).
    expect((models[4] as number) - startedAt).toBeGreaterThan(190);
    // The environment read and the predictions did not queue behind the model reads.
    const others = arrivals.filter((a) => a.path !== '/v1/models/abc1d2ef');
    expect(others).toHaveLength(6);
    for (const other of others) expect(other.at).toBeLessThan(models[4] as number);
  });

  it('counts the wait for a slot against the call timeout', async () => {
    answer(model);
    const limited = clientFor(server, { rateLimitPerSecond: 1 });
    await limited.getModel('abc1d2ef');
    await expect(limited.getModel('abc1d2ef', { timeoutMs: 50 })).rejects.toThrow('timed out after 50 ms');
    expect(server.requests).toHaveLength(1);
  });
});
