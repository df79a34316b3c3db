import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { closeConforming } from './openapi';
import { echoModel, writeTruss } from '../../support/trusses';

let t: TestEmulator;
let modelId: string;
let deploymentId: string;

beforeAll(async () => {
  t = await startTestEmulator();
  const { model, deployment } = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'api', modelPy: echoModel }),
  });
  modelId = model.id;
  deploymentId = deployment.id;
  await t.waitForStatus(modelId, deploymentId, 'ACTIVE');
});

afterAll(() => closeConforming(t));

/** What a client behind HTTP_PROXY sends: the absolute URL as the request target. */
function viaProxy(method: string, absoluteUrl: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: t.emulator.port,
        method,
        path: absoluteUrl,
        headers: {
          host: new URL(absoluteUrl).host,
          authorization: `Bearer ${t.emulator.apiKey}`,
          'content-type': 'application/json',
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined }),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

test('management and inference answer 401 JSON without a valid key, and accept both Api-Key and Bearer', async () => {
  const none = await t.call('GET', '/v1/models', undefined, { apiKey: null });
  expect(none.status).toBe(401);
  expect(none.body).toMatchObject({ error: 'Unauthorized' });
  expect((await t.call('GET', '/v1/models', undefined, { apiKey: 'wrong' })).status).toBe(401);
  const inference = await t.call('POST', `/inference/${modelId}/production/predict`, {}, { apiKey: 'wrong' });
  expect(inference.status).toBe(401);
  expect(inference.body).toMatchObject({ error_code: 'unauthorized' });
  const bearer = await viaProxy('GET', `${t.emulator.url}/v1/models?name=api`);
  expect(bearer.body).toMatchObject({ models: [{ id: modelId, name: 'api' }] });
});

test('the 21st activate within a minute gets 429 with retry_after; deactivate is counted separately', async () => {
  const activate = () => t.call('POST', `/v1/models/${modelId}/deployments/${deploymentId}/activate`);
  for (let i = 0; i < 20; i++) expect((await activate()).status).toBe(200);
  const limited = await activate();
  expect(limited.status).toBe(429);
  const body = limited.body as { error: string; retry_after: number };
  expect(body.error).toBe('Rate limit exceeded. Please try again later.');
  expect(body.retry_after).toBeGreaterThanOrEqual(1);
  expect(body.retry_after).toBeLessThanOrEqual(60);
  expect(limited.headers['retry-after']).toBe(String(body.retry_after));
  // The alias counts against the same endpoint; deactivate has its own budget.
  expect((await t.call('POST', `/v1/models/${modelId}/deployments/production/activate`)).status).toBe(429);
  const other = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'api', modelPy: echoModel }),
    modelName: 'api',
  });
  expect((await t.call('POST', `/v1/models/${modelId}/deployments/${other.deployment.id}/deactivate`)).status).toBe(
    200,
  );
});

test('absolute-form requests through a proxy reach the management API on api.localhost and inference on model-ID.localhost', async () => {
  const models = await viaProxy('GET', 'http://api.localhost:8000/v1/models');
  expect(models.status).toBe(200);
  expect(models.body).toMatchObject({
    models: expect.arrayContaining([expect.objectContaining({ id: modelId })]) as unknown,
  });
  const predict = await viaProxy('POST', `http://model-${modelId}.localhost:8000/production/predict`, { via: 'proxy' });
  expect(predict).toEqual({ status: 200, body: { echo: { via: 'proxy' } } });
  const byDeployment = await viaProxy(
    'POST',
    `http://model-${modelId}.localhost/deployment/${deploymentId}/predict`,
    2,
  );
  expect(byDeployment.body).toEqual({ echo: 2 });
  const wake = await viaProxy('POST', `http://model-${modelId}.localhost:8000/environments/production/wake`);
  expect(wake.status).toBe(202);
});

test('CONNECT is refused at once with 502 (the emulator is not a tunnelling proxy)', async () => {
  const reply = await new Promise<string>((resolve, reject) => {
    const socket = connect(t.emulator.port, '127.0.0.1', () =>
      socket.write('CONNECT api.localhost:443 HTTP/1.1\r\nHost: api.localhost:443\r\n\r\n'),
    );
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  expect(reply).toMatch(/^HTTP\/1\.1 502/);
});

test.each([
  ['an unknown model', 'GET', '/v1/models/nope0000', undefined, 404],
  ['an unknown deployment', 'GET', () => `/v1/models/${modelId}/deployments/nope000`, undefined, 404],
  ['an unknown environment', 'GET', () => `/v1/models/${modelId}/environments/nope`, undefined, 404],
  ['an unknown endpoint', 'GET', '/v1/nothing-here', undefined, 404],
  ['a missing required field', 'POST', () => `/v1/models/${modelId}/environments/production/promote`, {}, 400],
  [
    'a field of the wrong type',
    'POST',
    () => `/v1/models/${modelId}/deployments/${deploymentId}/promote`,
    { scale_down_previous_production: 'yes' },
    400,
  ],
  [
    'an unknown autoscaling field',
    'PATCH',
    () => `/v1/models/${modelId}/deployments/${deploymentId}/autoscaling_settings`,
    { min_replicas: 1 },
    400,
  ],
  [
    'an environment without a name',
    'POST',
    () => `/v1/models/${modelId}/environments`,
    { promotion_settings: null },
    400,
  ],
] as const)('%s gets a 4xx JSON error naming the problem, never a 500', async (_what, method, pathOf, body, status) => {
  const path = typeof pathOf === 'function' ? pathOf() : pathOf;
  const result = await t.call(method, path, body);
  expect(result.status).toBe(status);
  expect(result.body).toEqual({ error: expect.any(String) as unknown, message: expect.any(String) as unknown });
});

test('malformed JSON gets 400 from the management API and from inference', async () => {
  const management = await t.call('POST', `/v1/models/${modelId}/environments`, undefined, { raw: '{"name": ' });
  expect(management.status).toBe(400);
  expect((management.body as { message: string }).message).toMatch(/Malformed JSON/);
  const inference = await t.call('POST', `/inference/${modelId}/production/predict`, undefined, { raw: '{oops' });
  expect(inference.status).toBe(400);
  expect(inference.body).toMatchObject({ error_code: 'client_error' });
});

test('inference for an unknown model or deployment is 404 model_does_not_exist', async () => {
  for (const path of [
    '/inference/nope0000/production/predict',
    `/inference/${modelId}/deployment/nope000/predict`,
    `/inference/${modelId}/environments/nope/predict`,
  ]) {
    const result = await t.call('POST', path, {});
    expect(result.status).toBe(404);
    expect(result.body).toMatchObject({ error_code: 'model_does_not_exist' });
  }
});

test('deployments can be renamed and deleted, but not the production one; models can be deleted', async () => {
  const extra = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'api', modelPy: echoModel }),
    modelName: 'api',
    deploymentName: 'candidate',
  });
  expect(
    (await t.call('PATCH', `/v1/models/${modelId}/deployments/${extra.deployment.id}`, { name: 'renamed.v2' })).body,
  ).toMatchObject({ name: 'renamed.v2' });
  expect(
    (await t.call('PATCH', `/v1/models/${modelId}/deployments/${extra.deployment.id}`, { name: 'bad name!' })).status,
  ).toBe(400);
  const listed = await t.call('GET', `/v1/models/${modelId}/deployments?name=renamed.v2`);
  expect(listed.body).toEqual({ deployments: [expect.objectContaining({ id: extra.deployment.id })] });
  expect((await t.call('DELETE', `/v1/models/${modelId}/deployments/production`)).status).toBe(400);
  expect((await t.call('DELETE', `/v1/models/${modelId}/deployments/${extra.deployment.id}`)).body).toEqual({
    id: extra.deployment.id,
    deleted: true,
    model_id: modelId,
  });
  const retried = await t.call('POST', `/v1/models/${modelId}/deployments/${deploymentId}/retry`);
  expect(retried.body).toMatchObject({ retried: false, deployment: { id: deploymentId } });

  const doomed = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'doomed', modelPy: echoModel }),
  });
  expect((await t.call('DELETE', `/v1/models/${doomed.model.id}`)).body).toEqual({
    id: doomed.model.id,
    deleted: true,
  });
  expect((await t.call('GET', `/v1/models/${doomed.model.id}`)).status).toBe(404);
});
