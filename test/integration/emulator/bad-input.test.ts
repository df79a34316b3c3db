import fc from 'fast-check';
import path from 'node:path';
import { request } from 'undici';
import { EmulatorControl } from '../../../src/emulator/control-client';
import { emulatorTeamName } from '../../../src/emulator/state/defaults';
import { startEmulatorCli, type EmulatorCli } from '../../support/emulator-cli';
import { tempDir } from '../../support/temp-dirs';
import { echoModel, writeTruss } from '../../support/trusses';
import { waitFor } from '../../support/wait-for';
import { badRequests, specOperations, type BadRequest, type SpecOperation } from './bad-requests';
import { conformanceProblems } from './openapi';
import { testApiKey } from '../../support/secrets';

// Property: whatever a client sends to an endpoint the emulator serves (malformed or mistyped bodies, bad query
// parameters, weird ids), the answer is a 4xx JSON error with a message or a 2xx the spec allows; never a 5xx,
// never a hang, never a crash. The emulator runs as its own process (the real CLI), so a crash is seen as an exit.
// Reproduce a failure with FC_SEED=<seed printed below> npx jest --runInBand <this file>.

const apiKey = testApiKey('bad-input');
/** A few hundred requests keep the run short; FC_RUNS asks for a longer hunt. */
const numRuns = Number(process.env.FC_RUNS ?? 300);
/** Far beyond any answer the emulator gives a bad request: past it, the request counts as a hang. */
const hangMs = 15_000;

let emulator: EmulatorCli;
let served: SpecOperation[];
let ids: Record<string, string[]>;

interface Answer {
  status: number;
  contentType: string | undefined;
  text: string;
}

async function send(req: BadRequest): Promise<Answer> {
  const response = await request(`${emulator.url}${req.path}${req.query ? `?${req.query}` : ''}`, {
    method: req.method as 'GET',
    headers: {
      authorization: `Api-Key ${apiKey}`,
      ...(req.contentType ? { 'content-type': req.contentType } : {}),
    },
    body: req.body,
    headersTimeout: hangMs,
    bodyTimeout: hangMs,
  });
  const text = await response.body.text();
  const contentType = response.headers['content-type'];
  return { status: response.statusCode, contentType: Array.isArray(contentType) ? contentType[0] : contentType, text };
}

/** What is wrong with an answer, if anything. */
function problemsWith(req: BadRequest, answer: Answer): string[] {
  if (answer.status >= 500) return [`HTTP ${answer.status}: ${answer.text.slice(0, 300)}`];
  if (!answer.contentType?.startsWith('application/json'))
    return [`HTTP ${answer.status} with content-type ${answer.contentType}: ${answer.text.slice(0, 300)}`];
  let body: unknown;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return [`HTTP ${answer.status} with a body that is not JSON: ${answer.text.slice(0, 300)}`];
  }
  // The same check as every emulator test's: error bodies carry error (and message), 2xx bodies match the spec.
  const pathname = new URL(`http://x${req.path}`).pathname;
  return conformanceProblems({ method: req.method, path: pathname, status: answer.status, body });
}

function summary(req: BadRequest): string {
  const body = req.body === undefined ? '(no body)' : `${req.body.slice(0, 200)}${req.body.length > 200 ? '…' : ''}`;
  return `${req.method} ${req.path.slice(0, 200)}?${req.query.slice(0, 200)} ${body}`;
}

beforeAll(async () => {
  const dir = tempDir('bad-input');
  emulator = await startEmulatorCli(['--api-key', apiKey, '--state-dir', path.join(dir, 'state')]);
  const control = new EmulatorControl({ url: emulator.url, apiKey });
  const { model, deployment } = await control.createDeployment({
    trussDir: writeTruss({ modelName: 'bad-input', modelPy: echoModel }),
  });
  await waitFor(
    'the fixture deployment to be ACTIVE',
    async () => (await control.deployment(deployment.id)).status === 'ACTIVE',
    { timeoutMs: 60_000, intervalMs: 100 },
  );
  const staging = await send({
    method: 'POST',
    path: `/v1/models/${model.id}/environments`,
    query: '',
    body: JSON.stringify({ name: 'staging' }),
    contentType: 'application/json',
  });
  expect(staging.status).toBe(200);
  ids = {
    model_id: [model.id],
    deployment_id: [deployment.id, 'production', 'development'],
    env_name: ['production', 'staging'],
    team_id: [emulatorTeamName],
  };

  // The operations the emulator serves: probed with made-up ids, which reach a handler (and a 4xx) without
  // changing anything; an operation it does not serve answers "No such endpoint" or 405.
  served = [];
  for (const op of specOperations()) {
    const probe = await send({ method: op.method, path: op.template.replace(/\{[^}]+\}/g, 'probe0'), query: '' });
    const unserved = probe.status === 405 || (probe.status === 404 && probe.text.includes('No such endpoint'));
    if (!unserved) served.push(op);
  }
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
});

test('the probe found the management API the emulator serves', () => {
  const names = served.map((op) => `${op.method} ${op.template}`);
  expect(names).toEqual(
    expect.arrayContaining([
      'GET /v1/models',
      'POST /v1/models/{model_id}/deployments/{deployment_id}/promote',
      'POST /v1/models/{model_id}/environments/{env_name}/promote',
      'PATCH /v1/models/{model_id}/deployments/{deployment_id}/autoscaling_settings',
      'GET /v1/models/{model_id}/deployments/{deployment_id}/logs',
      'POST /v1/prepare_model_upload',
    ]),
  );
  expect(served.length).toBeGreaterThanOrEqual(25);
});

test('bad requests to every served endpoint get a 4xx JSON error or a 2xx the spec allows; never a 5xx, hang or crash', async () => {
  const seed = Number(process.env.FC_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const seen = new Map<number, number>();
  const property = fc.asyncProperty(badRequests(served, ids), async (req) => {
    let answer: Answer;
    try {
      answer = await send(req);
    } catch (err) {
      throw new Error(`${summary(req)}: no answer (${err instanceof Error ? err.message : String(err)})`);
    }
    seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
    if (emulator.child.exitCode !== null || emulator.child.signalCode !== null)
      throw new Error(`${summary(req)}: the emulator exited\n${emulator.output().slice(-2000)}`);
    const problems = problemsWith(req, answer);
    if (problems.length > 0) throw new Error(`${summary(req)}: ${problems.join('; ')}`);
  });
  try {
    await fc.assert(property, { seed, numRuns });
  } catch (err) {
    throw new Error(`FC_SEED=${seed} reproduces this run.\n${err instanceof Error ? err.message : String(err)}`);
  }
  // The run reached deep: some requests were refused as bad input and some were accepted.
  expect([...seen.keys()].some((s) => s === 400)).toBe(true);
  expect([...seen.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
  expect((await send({ method: 'GET', path: '/v1/models', query: '' })).status).toBe(200);
}, 300_000);

test('a body over the 64 MiB limit gets a 413 JSON error, not a reset connection, and the emulator keeps serving', async () => {
  const huge = { method: 'POST', path: `/v1/models/${ids.model_id?.[0]}/environments`, query: '' };
  const answer = await send({ ...huge, body: 'x'.repeat(64 * 1024 * 1024 + 1), contentType: 'application/json' });
  expect(answer.status).toBe(413);
  expect(JSON.parse(answer.text)).toEqual({
    error: 'Payload too large',
    message: expect.stringContaining('exceeds') as unknown,
  });
  expect((await send({ method: 'GET', path: '/v1/models', query: '' })).status).toBe(200);
});
