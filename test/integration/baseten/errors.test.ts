import {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BasetenError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
  ResponseValidationError,
} from '../../../src/baseten';
import { freePort } from '../../../src/temporal/dev-server';
import { sendJson, startHttpTestServer, type HttpTestServer } from '../../support/http-test-server';
import { apiKey, clientFor, deployment, model } from './fixtures';

let server: HttpTestServer;

beforeEach(async () => {
  server = await startHttpTestServer();
});
afterEach(() => server.close());

/** The rejection of `promise`, asserting that it did reject and never leaked the API key into its message. */
async function failure(promise: Promise<unknown>): Promise<BasetenError> {
  const err = await promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BasetenError);
  const error = err as BasetenError;
  expect(error.message).not.toContain(apiKey);
  expect(String(error.stack)).not.toContain(apiKey);
  return error;
}

const rateLimited = { error: 'Rate limit exceeded. Please try again later.', retry_after: 37 };

describe('BasetenClient HTTP errors', () => {
  it("maps 401 to AuthenticationError saying Baseten refused the API key, with Baseten's message, status and request id", async () => {
    server.handle((_req, res) => sendJson(res, 401, { error: 'Invalid API key' }, { 'x-baseten-request-id': 'req-1' }));
    const err = await failure(clientFor(server).getModel('abc1d2ef'));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ name: 'AuthenticationError', status: 401, requestId: 'req-1' });
    expect(err.message).toBe('Baseten refused the API key: 401 Invalid API key (GET /v1/models/abc1d2ef)');
  });

  it('maps 404 to NotFoundError, reading a FastAPI-style "detail" message', async () => {
    server.handle((_req, res) => sendJson(res, 404, { detail: 'Deployment not found' }));
    const err = await failure(clientFor(server).getDeployment('abc1d2ef', 'nope'));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.message).toBe('404 Deployment not found (GET /v1/models/abc1d2ef/deployments/nope)');
  });

  it('maps 429 to RateLimitError with retry_after converted to milliseconds', async () => {
    server.handle((_req, res) => sendJson(res, 429, rateLimited));
    const err = await failure(clientFor(server).listModels());
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ status: 429, retryAfterMs: 37_000, body: rateLimited });
    expect(err.message).toContain('Rate limit exceeded. Please try again later.');
  });

  it('waits as long as retry_after asks, then succeeds, logging the retry with its attempt count', async () => {
    let calls = 0;
    server.handle((_req, res) => (++calls === 1 ? sendJson(res, 429, rateLimited) : sendJson(res, 200, model)));
    const sleeps: number[] = [];
    const warnings: string[] = [];
    const client = clientFor(server, {
      maxRetries: 2,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      logger: { warn: (message) => warnings.push(message) },
    });
    await expect(client.getModel('abc1d2ef')).resolves.toEqual(model);
    expect(calls).toBe(2);
    expect(sleeps).toEqual([37_000]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('retry 1 of 2');
    expect(warnings[0]).not.toContain(apiKey);
  });

  it('holds the endpoint a 429 came from, for every later caller, until retry_after has passed; no other endpoint', async () => {
    const deploymentPath = `/v1/models/${model.id}/deployments/${deployment.id}`;
    let refused = false;
    server.handle((req, res) => {
      if (req.path !== deploymentPath) return sendJson(res, 200, model);
      if (refused) return sendJson(res, 200, deployment);
      refused = true;
      return sendJson(res, 429, { ...rateLimited, retry_after: 2 });
    });
    const sleeps: number[] = [];
    const client = clientFor(server, { sleep: async (ms) => void sleeps.push(ms) });
    expect(await failure(client.getDeployment(model.id, deployment.id))).toBeInstanceOf(RateLimitError);
    // Another endpoint is counted on its own: it goes at once.
    await expect(client.getModel(model.id)).resolves.toEqual(model);
    expect(sleeps).toEqual([]);
    // A new call to the refused endpoint (no retry of the first: maxRetries 0) waits out the rest of the 2 s.
    await expect(client.getDeployment(model.id, deployment.id)).resolves.toMatchObject({ id: deployment.id });
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThan(1_000);
    expect(sleeps[0]).toBeLessThanOrEqual(2_000);
    expect(server.requests.map((r) => r.path)).toEqual([deploymentPath, `/v1/models/${model.id}`, deploymentPath]);
  });

  it('retries a 5xx maxRetries times, then surfaces InternalServerError', async () => {
    server.handle((_req, res) => sendJson(res, 503, { detail: 'upstream unavailable' }));
    const sleeps: number[] = [];
    const client = clientFor(server, { maxRetries: 2, sleep: async (ms) => void sleeps.push(ms) });
    const err = await failure(client.getDeployment('abc1d2ef', 'q48rmd3'));
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err).toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('does not retry a 404, whatever the retry budget', async () => {
    server.handle((_req, res) => sendJson(res, 404, { error: 'not found' }));
    await failure(clientFor(server, { maxRetries: 3 }).getModel('missing'));
    expect(server.requests).toHaveLength(1);
  });

  it('with maxRetries 0 makes exactly one attempt (Temporal owns retries in activities)', async () => {
    server.handle((_req, res) => sendJson(res, 500, { error: 'boom' }));
    await failure(clientFor(server, { maxRetries: 0 }).getModel('abc1d2ef'));
    expect(server.requests).toHaveLength(1);
  });

  it('never shows the API key even when the server echoes it back', async () => {
    server.handle((req, res) => sendJson(res, 400, { error: `bad header ${req.headers.authorization}` }));
    const err = await failure(clientFor(server).getModel('abc1d2ef'));
    expect(err.message).toBe('400 bad header Api-Key [redacted] (GET /v1/models/abc1d2ef)');
  });
});

describe('BasetenClient response validation', () => {
  it('turns a malformed JSON body into ResponseValidationError naming the call', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id": "abc1d2ef", ');
    });
    const err = await failure(clientFor(server).getModel('abc1d2ef'));
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.message).toMatch(/^Baseten's response to getModel \(GET \/v1\/models\/abc1d2ef\) is not JSON/);
  });

  it('turns a schema-violating body into ResponseValidationError naming each bad field', async () => {
    const { model_id: _dropped, ...withoutModelId } = deployment;
    server.handle((_req, res) => sendJson(res, 200, { ...withoutModelId, status: 'EXPLODED' }));
    const err = await failure(clientFor(server).getDeployment('abc1d2ef', 'q48rmd3'));
    expect(err).toBeInstanceOf(ResponseValidationError);
    const validation = err as ResponseValidationError;
    expect(validation.call).toBe('getDeployment');
    expect(validation.issues.map((i) => i.path.join('.')).sort()).toEqual(['model_id', 'status']);
    expect(err.message).toContain('getDeployment (GET /v1/models/abc1d2ef/deployments/q48rmd3)');
    expect(err.message).toContain('model_id: Invalid input: expected string, received undefined (got missing)');
    expect(err.message).toContain('status: Invalid option');
    expect(err.message).toContain('(got "EXPLODED")');
  });
});

describe('BasetenClient transport failures', () => {
  it('gives up on a server that never answers with APIConnectionTimeoutError once timeoutMs has passed', async () => {
    server.handle(() => undefined);
    const started = Date.now();
    const err = await failure(clientFor(server, { timeoutMs: 300 }).getModel('abc1d2ef'));
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(err.message).toBe(`GET ${server.url}/v1/models/abc1d2ef timed out after 300 ms`);
    // It waited for the timeout (how much longer a busy machine takes is the benchmark's business).
    expect(elapsed).toBeGreaterThanOrEqual(290);
  });

  it("never waits longer than the client's timeoutMs, whatever a call asks for", async () => {
    server.handle(() => undefined);
    const err = await failure(clientFor(server, { timeoutMs: 300 }).getModel('abc1d2ef', { timeoutMs: 60_000 }));
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
    expect(err.message).toBe(`GET ${server.url}/v1/models/abc1d2ef timed out after 300 ms`);
  });

  it('also times out a response that stalls halfway through its body', async () => {
    server.handle((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id": "abc1d2ef", ');
    });
    const err = await failure(clientFor(server, { timeoutMs: 300 }).getModel('abc1d2ef'));
    expect(err).toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('reports a refused connection as APIConnectionError, and retries it within the budget', async () => {
    const port = await freePort();
    const sleeps: number[] = [];
    const client = clientFor(server, {
      managementUrl: `http://127.0.0.1:${port}`,
      maxRetries: 1,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const err = await failure(client.getModel('abc1d2ef'));
    expect(sleeps).toHaveLength(1);
    expect(err).toBeInstanceOf(APIConnectionError);
    expect(err).not.toBeInstanceOf(APIConnectionTimeoutError);
    expect(err.message).toContain(`Could not reach Baseten: GET http://127.0.0.1:${port}/v1/models/abc1d2ef`);
    expect(err.message).toContain('ECONNREFUSED');
  });
});
