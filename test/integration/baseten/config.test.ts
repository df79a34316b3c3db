import { BasetenClient } from '../../../src/baseten';
import { freePort } from '../../../src/temporal/dev-server';
import { sendJson, startHttpTestServer, type HttpTestServer } from '../../support/http-test-server';
import { model } from './fixtures';

const envNames = ['BASETEN_API_KEY', 'BASETEN_API_URL', 'BASETEN_INFERENCE_URL'] as const;
const saved = Object.fromEntries(envNames.map((name) => [name, process.env[name]]));
let server: HttpTestServer;

beforeEach(async () => {
  server = await startHttpTestServer((_req, res) => sendJson(res, 200, model));
});
afterEach(async () => {
  for (const name of envNames) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await server.close();
});

const quiet = { logger: { warn: () => undefined }, maxRetries: 0 };

describe('BasetenClient configuration: explicit option > environment > default', () => {
  it('takes the API key and URLs from the environment when no option is given', async () => {
    process.env.BASETEN_API_KEY = '  env-key  ';
    process.env.BASETEN_API_URL = `${server.url}/`;
    process.env.BASETEN_INFERENCE_URL = `${server.url}/m/{model_id}`;
    const client = new BasetenClient(quiet);
    await client.getModel('abc1d2ef');
    await client.predict('abc1d2ef', { kind: 'production' }, {});
    expect(server.requests.map((r) => r.url)).toEqual(['/v1/models/abc1d2ef', '/m/abc1d2ef/production/predict']);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Api-Key env-key', 'Api-Key env-key']);
  });

  it('prefers explicit options over the environment', async () => {
    const deadUrl = `http://127.0.0.1:${await freePort()}`;
    process.env.BASETEN_API_KEY = 'env-key';
    process.env.BASETEN_API_URL = deadUrl;
    process.env.BASETEN_INFERENCE_URL = `${deadUrl}/{model_id}`;
    const client = new BasetenClient({
      ...quiet,
      apiKey: 'explicit-key',
      managementUrl: server.url,
      inferenceUrl: `${server.url}/explicit/{model_id}`,
    });
    await client.getModel('abc1d2ef');
    await client.wake('abc1d2ef', { kind: 'development' });
    expect(server.requests.map((r) => r.url)).toEqual(['/v1/models/abc1d2ef', '/explicit/abc1d2ef/development/wake']);
    expect(server.requests[0]!.headers.authorization).toBe('Api-Key explicit-key');
  });
});
