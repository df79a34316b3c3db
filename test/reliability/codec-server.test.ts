import { defaultPayloadConverter } from '@temporalio/common';
import { request } from 'undici';
import { startCodecServer, type CodecServer } from '../../src/temporal/encryption/codec-server';
import { temporalSettingsFromEnv } from '../../src/temporal/settings';
import { startCli } from '../e2e/support/cli';
import { testEncryptionEnv } from '../support/encryption';
import { testApiKey } from '../support/secrets';
import { waitFor } from '../support/wait-for';

// The remote codec endpoint the Temporal UI and CLI call: POST /encode and /decode on {payloads: [...]} with base64
// fields, a bearer token, and CORS for the UI's origin alone.
const uiOrigin = 'http://temporal-ui.test:8080';
const token = testApiKey('codec-token');

interface WirePayload {
  metadata: Record<string, string>;
  data: string;
}

function wire(value: unknown): WirePayload {
  const payload = defaultPayloadConverter.toPayload(value);
  return {
    metadata: Object.fromEntries(
      Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    ),
    data: Buffer.from(payload.data ?? []).toString('base64'),
  };
}

function valueOf(payload: WirePayload): unknown {
  return defaultPayloadConverter.fromPayload({
    metadata: Object.fromEntries(Object.entries(payload.metadata).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(payload.data, 'base64'),
  });
}

async function call(
  url: string,
  path: string,
  options: { method?: 'POST' | 'OPTIONS'; token?: string; origin?: string; body?: unknown; headers?: object } = {},
) {
  const response = await request(`${url}${path}`, {
    method: options.method ?? 'POST',
    headers: {
      'content-type': 'application/json',
      'x-namespace': 'default',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.origin ? { origin: options.origin } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    body: text ? (JSON.parse(text) as unknown) : undefined,
  };
}

describe('the codec server', () => {
  let server: CodecServer;
  const keys = temporalSettingsFromEnv(testEncryptionEnv('test-key-2026-b')).encryption!;

  beforeAll(async () => {
    server = await startCodecServer({ keys, token, allowedOrigin: uiOrigin, port: 0 });
  });
  afterAll(() => server?.close());

  it('seals payloads and opens them again (a round trip through /encode and /decode)', async () => {
    const original = [wire({ reason: 'validation failed: label' }), wire('second')];
    const encoded = await call(server.url, '/encode', { token, body: { payloads: original } });
    expect(encoded.status).toBe(200);
    const sealed = (encoded.body as { payloads: WirePayload[] }).payloads;
    expect(sealed).toHaveLength(2);
    expect(Buffer.from(sealed[0]?.metadata.encoding ?? '', 'base64').toString()).toBe('binary/encrypted');
    expect(Buffer.from(sealed[0]?.data ?? '', 'base64').toString()).not.toContain('validation failed');

    const decoded = await call(server.url, '/decode', { token, body: { payloads: sealed } });
    expect(decoded.status).toBe(200);
    expect((decoded.body as { payloads: WirePayload[] }).payloads.map(valueOf)).toEqual([
      { reason: 'validation failed: label' },
      'second',
    ]);
  });

  it('refuses a missing or wrong token with 401, and opens nothing', async () => {
    const body = { payloads: [wire('x')] };
    for (const attempt of [undefined, 'wrong-token-of-enough-length', `${token}x`]) {
      const refused = await call(server.url, '/decode', { token: attempt, body });
      expect(refused.status).toBe(401);
      expect(refused.headers['www-authenticate']).toBe('Bearer');
      expect(refused.body).toEqual({ error: 'a valid token is required: Authorization: Bearer <token>' });
    }
    const basic = await call(server.url, '/encode', { headers: { authorization: `Basic ${token}` }, body });
    expect(basic.status).toBe(401);
  });

  it('gives the UI origin its CORS allowance, preflight included (the UI sends x-namespace)', async () => {
    const preflight = await call(server.url, '/decode', {
      method: 'OPTIONS',
      origin: uiOrigin,
      headers: {
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,x-namespace',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers).toMatchObject({
      'access-control-allow-origin': uiOrigin,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type, x-namespace',
    });
    const decoded = await call(server.url, '/decode', { token, origin: uiOrigin, body: { payloads: [] } });
    expect(decoded.status).toBe(200);
    expect(decoded.headers['access-control-allow-origin']).toBe(uiOrigin);
    // A refusal still carries the allowance, so the UI can show why.
    const refused = await call(server.url, '/decode', { origin: uiOrigin, body: { payloads: [] } });
    expect(refused.status).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(uiOrigin);
  });

  it('takes the token as the endpoint path too, for the Temporal UI (which cannot send a header of its own)', async () => {
    const sealed = await call(server.url, `/${encodeURIComponent(token)}/encode`, {
      origin: uiOrigin,
      body: { payloads: [wire('from the UI')] },
    });
    expect(sealed.status).toBe(200);
    const opened = await call(server.url, `/${encodeURIComponent(token)}/decode`, {
      origin: uiOrigin,
      body: sealed.body,
    });
    expect(opened.status).toBe(200);
    expect(opened.headers['access-control-allow-origin']).toBe(uiOrigin);
    expect((opened.body as { payloads: WirePayload[] }).payloads.map(valueOf)).toEqual(['from the UI']);
    for (const wrong of ['/not-the-token/decode', '/%E0%A4%A/decode']) {
      expect((await call(server.url, wrong, { origin: uiOrigin, body: sealed.body })).status).toBe(401);
    }
    const deeper = await call(server.url, `/x/${encodeURIComponent(token)}/decode`, { body: sealed.body });
    expect(deeper).toMatchObject({ status: 404, body: { error: 'no such endpoint: POST /encode or /decode' } });
  });

  it('gives any other origin no CORS allowance, even with the token', async () => {
    const foreign = 'http://evil.test';
    const preflight = await call(server.url, '/decode', {
      method: 'OPTIONS',
      origin: foreign,
      headers: { 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const posted = await call(server.url, '/decode', { token, origin: foreign, body: { payloads: [] } });
    expect(posted.status).toBe(403);
    expect(posted.headers['access-control-allow-origin']).toBeUndefined();
    expect(posted.body).toEqual({ error: `origin ${foreign} is not allowed` });
  });

  it('answers a bad body with 400, an unknown key with 422, and other paths with 404', async () => {
    expect((await call(server.url, '/decode', { token, body: { payload: [] } })).status).toBe(400);
    expect((await call(server.url, '/decode', { token, body: { payloads: [{ data: 'not base64!' }] } })).status).toBe(
      400,
    );
    const foreign = {
      metadata: { encoding: Buffer.from('binary/encrypted').toString('base64'), 'encryption-key-id': 'bW9vbg==' },
      data: Buffer.alloc(40).toString('base64'),
    };
    const unknown = await call(server.url, '/decode', { token, body: { payloads: [foreign] } });
    expect(unknown).toMatchObject({ status: 422, body: { error: expect.stringContaining('key moon') as unknown } });
    expect((await call(server.url, '/nope', { token, body: {} })).status).toBe(404);
  });
});

describe('baseten-cd codec-server', () => {
  it('refuses to start without its token or a key: one line per problem, exit 2', async () => {
    const run = await startCli(['codec-server', '--port', '0'], {
      BASETEN_CD_CODEC_TOKEN: '',
      BASETEN_CD_ENCRYPTION_KEY: '',
      BASETEN_CD_ENCRYPTION_KEY_ID: '',
    }).done;
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'baseten-cd: BASETEN_CD_CODEC_TOKEN is required (the bearer token callers must send)',
    ]);
    const keyless = await startCli(['codec-server', '--port', '0'], { BASETEN_CD_CODEC_TOKEN: token }).done;
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toMatch(/^baseten-cd: BASETEN_CD_ENCRYPTION_KEY is required/);
  });

  it('serves the endpoint for the UI at TEMPORAL_UI_URL, and stops on SIGTERM', async () => {
    const cli = startCli(['codec-server', '--port', '0'], {
      ...testEncryptionEnv('test-key-2026-a'),
      BASETEN_CD_CODEC_TOKEN: token,
      TEMPORAL_UI_URL: `${uiOrigin}/some/path`,
    });
    const url = await waitFor(
      () => `the codec server to listen: ${cli.output()}`,
      () => /listening on (http:\/\/\S+) /.exec(cli.output())?.[1],
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    expect(cli.output()).toContain(`allowed origin ${uiOrigin};`);
    const sealed = await call(url, '/encode', { token, body: { payloads: [wire('through the CLI')] } });
    const opened = await call(url, '/decode', { token, origin: uiOrigin, body: sealed.body });
    expect((opened.body as { payloads: WirePayload[] }).payloads.map(valueOf)).toEqual(['through the CLI']);
    if (cli.pid !== undefined) process.kill(cli.pid, 'SIGTERM');
    expect((await cli.done).code).toBe(0);
  });
});
