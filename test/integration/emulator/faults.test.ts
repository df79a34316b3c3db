import { EmulatorControlError } from '../../../src/emulator/control-client';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { closeConforming } from './openapi';
import { echoModel, writeTruss } from '../../support/trusses';
import { waitFor } from '../../support/wait-for';

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});

afterAll(() => closeConforming(t));

afterEach(async () => {
  await t.control.clearFaults();
});

async function activeDeployment(modelName: string) {
  const { model, deployment } = await t.control.createDeployment({
    trussDir: writeTruss({ modelName, modelPy: echoModel }),
  });
  await t.waitForStatus(model.id, deployment.id, 'ACTIVE');
  const predict = (body: unknown) => t.call('POST', `/inference/${model.id}/deployment/${deployment.id}/predict`, body);
  return { modelId: model.id, id: deployment.id, predict };
}

test('a model error passes through as a 500 with its message, and mostly failing predictions make the deployment UNHEALTHY until it recovers', async () => {
  const dep = await activeDeployment('flaky');
  const failed = await dep.predict({ fail: true });
  expect(failed.status).toBe(500);
  expect(failed.body).toMatchObject({ error: expect.stringContaining('asked to fail') as unknown });
  for (let i = 0; i < 3; i++) await dep.predict({ fail: true });
  expect((await t.getDeployment(dep.modelId, dep.id)).status).toBe('UNHEALTHY');
  for (let i = 0; i < 5; i++) expect((await dep.predict({ ok: i })).status).toBe(200);
  expect((await t.getDeployment(dep.modelId, dep.id)).status).toBe('ACTIVE');
});

test('the UNHEALTHY fault holds while the deployment keeps serving, and clearing it restores ACTIVE', async () => {
  const dep = await activeDeployment('forced-unhealthy');
  await t.control.makeUnhealthy(dep.id);
  expect((await t.getDeployment(dep.modelId, dep.id)).status).toBe('UNHEALTHY');
  expect((await dep.predict(1)).body).toEqual({ echo: 1 });
  await t.control.clearDeploymentFaults(dep.id);
  expect((await t.getDeployment(dep.modelId, dep.id)).status).toBe('ACTIVE');
});

test('a killed model process is restarted once; a second crash leaves the deployment FAILED', async () => {
  const dep = await activeDeployment('crashy');
  const firstPid = await t.control.killModelProcess(dep.id);
  let last: unknown;
  const restarted = await waitFor(
    () => `a new model process (last seen: ${JSON.stringify(last)})`,
    async () => {
      const d = await t.control.deployment(dep.id);
      last = d;
      return d.status === 'ACTIVE' && d.pid !== null && d.pid !== firstPid && d;
    },
  );
  expect((await dep.predict('again')).body).toEqual({ echo: 'again' });
  expect(await t.control.killModelProcess(dep.id)).toBe(restarted.pid);
  await t.waitForStatus(dep.modelId, dep.id, 'FAILED');
  const refused = await dep.predict(1);
  expect(refused.status).toBe(503);
  expect(refused.body).toMatchObject({ error_code: 'model_unavailable' });
  await expect(t.control.killModelProcess(dep.id)).rejects.toBeInstanceOf(EmulatorControlError);
});

test('the FAILED fault stops the model process; activate brings the deployment back', async () => {
  const dep = await activeDeployment('fail-fault');
  await t.control.fail(dep.id, 'node lost');
  await t.waitForStatus(dep.modelId, dep.id, 'FAILED');
  expect((await t.control.deployment(dep.id)).pid).toBeNull();
  const logs = await t.call('GET', `/v1/models/${dep.modelId}/deployments/${dep.id}/logs?min_level=ERROR`);
  expect(JSON.stringify(logs.body)).toContain('node lost');
  await t.call('POST', `/v1/models/${dep.modelId}/deployments/${dep.id}/activate`);
  await t.waitForStatus(dep.modelId, dep.id, 'ACTIVE');
});

test('added latency delays every prediction by at least that much', async () => {
  const dep = await activeDeployment('slow');
  await t.control.setPredictionFaults(dep.id, { latencyMs: 300 });
  const started = Date.now();
  expect((await dep.predict(1)).status).toBe(200);
  expect(Date.now() - started).toBeGreaterThanOrEqual(300);
});

test('an error rate of 0.5 fails exactly every second prediction with a 500, before the model sees it', async () => {
  const dep = await activeDeployment('half-broken');
  await t.control.setPredictionFaults(dep.id, { errorRate: 0.5 });
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await dep.predict(i)).status);
  expect(statuses).toEqual([200, 500, 200, 500, 200, 500]);
  await t.control.clearDeploymentFaults(dep.id);
  expect((await dep.predict('ok')).status).toBe(200);
});

test('the next build fails with the given message, and only the next one', async () => {
  await t.control.failNextBuild('registry unreachable');
  const broken = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'build-fault', modelPy: echoModel }),
  });
  await t.waitForStatus(broken.model.id, broken.deployment.id, 'BUILD_FAILED');
  const logs = await t.call('GET', `/v1/models/${broken.model.id}/deployments/${broken.deployment.id}/logs`);
  expect(JSON.stringify(logs.body)).toContain('registry unreachable');
  await activeDeployment('build-fault');
});

test('the management API answers 503 for the next N calls, then recovers; each call is in the request log', async () => {
  await t.control.clearRequests();
  await t.control.failManagement({ status: 503, count: 2 });
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await t.call('GET', '/v1/models')).status);
  expect(statuses).toEqual([503, 503, 200]);
  const log = await t.control.requests({ method: 'GET', path: '/v1/models' });
  expect(log.map((e) => e.status)).toEqual([503, 503, 200]);
});

test('the management API answers 429 with retry_after for a while', async () => {
  await t.control.failManagement({ status: 429, durationMs: 60_000, retryAfterSeconds: 7 });
  const limited = await t.call('GET', '/v1/models');
  expect(limited.status).toBe(429);
  expect(limited.body).toEqual({ error: 'Rate limit exceeded. Please try again later.', retry_after: 7 });
  expect(limited.headers['retry-after']).toBe('7');
  await t.control.clearFaults();
  expect((await t.call('GET', '/v1/models')).status).toBe(200);
});

test('the request log filters by method, path and time, and can be cleared', async () => {
  const dep = await activeDeployment('logged');
  const since = new Date().toISOString();
  await t.call('POST', `/v1/models/${dep.modelId}/deployments/${dep.id}/promote`);
  await t.call('GET', `/v1/models/${dep.modelId}`);
  const promotes = await t.control.requests({ path: '/promote', since });
  expect(promotes).toEqual([expect.objectContaining({ method: 'POST', status: 200 })]);
  expect(await t.control.requests({ method: 'GET', since })).toHaveLength(1);
  await t.control.clearRequests();
  expect(await t.control.requests()).toEqual([]);
});
