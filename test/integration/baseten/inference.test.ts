import {
  APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  type InferenceTarget,
} from '../../../src/baseten';
import { sendJson, startHttpTestServer, type HttpTestServer } from '../../support/http-test-server';
import { apiKey, clientFor } from './fixtures';

let server: HttpTestServer;

beforeEach(async () => {
  server = await startHttpTestServer();
});
afterEach(() => server.close());

describe('BasetenClient.predict', () => {
  it.each<[InferenceTarget, string]>([
    [{ kind: 'production' }, '/model-abc1d2ef/production/predict'],
    [{ kind: 'development' }, '/model-abc1d2ef/development/predict'],
    [{ kind: 'deployment', deploymentId: 'q48rmd3' }, '/model-abc1d2ef/deployment/q48rmd3/predict'],
    [{ kind: 'environment', name: 'staging' }, '/model-abc1d2ef/environments/staging/predict'],
  ])('posts the JSON input to the %j target at %s', async (target, path) => {
    server.handle((_req, res) =>
      sendJson(res, 200, { label: 'positive', score: 0.93 }, { 'x-baseten-request-id': 'r-9' }),
    );
    const result = await clientFor(server).predict('abc1d2ef', target, { text: 'I love this phone' });
    expect(result).toMatchObject({ status: 200, body: { label: 'positive', score: 0.93 }, requestId: 'r-9' });
    expect(result.latencyMs).toBeGreaterThan(0);
    const req = server.requests[0]!;
    expect(req).toMatchObject({ method: 'POST', url: path });
    expect(req.headers.authorization).toBe(`Api-Key ${apiKey}`);
    expect(req.json()).toEqual({ text: 'I love this phone' });
  });

  it('returns a non-2xx status as a result, with the error body, instead of throwing', async () => {
    server.handle((_req, res) => sendJson(res, 503, { error: 'Model is not ready', error_code: 'model_not_ready' }));
    const result = await clientFor(server).predict('abc1d2ef', { kind: 'production' }, {});
    expect(result).toMatchObject({ status: 503, body: { error: 'Model is not ready', error_code: 'model_not_ready' } });
    expect(result.requestId).toBeUndefined();
  });

  it('returns a non-JSON body as text', async () => {
    server.handle((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal Server Error');
    });
    const result = await clientFor(server).predict('abc1d2ef', { kind: 'production' }, {});
    expect(result).toMatchObject({ status: 500, body: 'Internal Server Error' });
  });

  it('is never retried, even with a retry budget', async () => {
    server.handle((_req, res) => sendJson(res, 502, { error: 'model crashed' }));
    await clientFor(server, { maxRetries: 3 }).predict('abc1d2ef', { kind: 'production' }, {});
    expect(server.requests).toHaveLength(1);
  });

  it('times out after the per-call timeoutMs with APIConnectionTimeoutError', async () => {
    server.handle(() => undefined);
    const call = clientFor(server).predict('abc1d2ef', { kind: 'production' }, {}, { timeoutMs: 200 });
    await expect(call).rejects.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it("stops when the caller's signal aborts, with APIUserAbortError", async () => {
    const controller = new AbortController();
    // The server never answers, and aborts the call once the request has arrived: the abort hits a request in flight.
    server.handle(() => controller.abort());
    const call = clientFor(server).predict('abc1d2ef', { kind: 'production' }, {}, { signal: controller.signal });
    await expect(call).rejects.toBeInstanceOf(APIUserAbortError);
    await expect(call).rejects.toThrow(
      `POST ${server.url}/model-abc1d2ef/production/predict was aborted by the caller`,
    );
  });
});

describe('BasetenClient.wake', () => {
  it('posts to the wake route of the target and accepts 202', async () => {
    server.handle((_req, res) => {
      res.writeHead(202);
      res.end();
    });
    await clientFor(server).wake('abc1d2ef', { kind: 'deployment', deploymentId: 'q48rmd3' });
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      url: '/model-abc1d2ef/deployment/q48rmd3/wake',
      body: '',
    });
  });

  it('throws the typed APIError for an error status', async () => {
    server.handle((_req, res) => sendJson(res, 401, { error: 'Invalid API key' }));
    const call = clientFor(server).wake('abc1d2ef', { kind: 'production' });
    await expect(call).rejects.toBeInstanceOf(AuthenticationError);
    await expect(call).rejects.toThrow('401 Invalid API key (POST /model-abc1d2ef/production/wake)');
  });
});
