import { BasetenClient } from '../../../src/baseten';
import { EmulatorControlError } from '../../../src/emulator/control-client';
import type { DeploymentV1 } from '../../../src/emulator/state/views';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { echoModel, writeTruss } from '../../support/trusses';
import { waitFor } from '../../support/wait-for';
import { closeConforming } from './openapi';

let t: TestEmulator;
let modelId: string;
let production: string;
let candidate: string;

beforeAll(async () => {
  t = await startTestEmulator();
  const trussDir = writeTruss({ modelName: 'faulted', modelPy: echoModel });
  const first = await t.control.createDeployment({ trussDir });
  modelId = first.model.id;
  production = first.deployment.id;
  const second = await t.control.createDeployment({ trussDir, modelId });
  candidate = second.deployment.id;
  await t.waitForStatus(modelId, production, 'ACTIVE');
  await t.waitForStatus(modelId, candidate, 'ACTIVE');
});

afterAll(() => closeConforming(t));

beforeEach(async () => {
  await t.control.clearFaults();
  await t.control.clearRequests();
});

const promotePath = () => `/v1/models/${modelId}/deployments/${candidate}/promote`;
const renamePath = () => `/v1/models/${modelId}/deployments/${candidate}`;
const nameOf = async () => (await t.getDeployment(modelId, candidate)).name;
/** Promote back, so every test starts with `production` in production. */
async function resetProduction() {
  if ((await t.productionOf(modelId)) === production) return;
  await t.call('POST', `/v1/models/${modelId}/deployments/${production}/promote`, {
    scale_down_previous_production: false,
  });
}

describe('failManagement', () => {
  test('with a method and path it fails only POST …/promote, which is not applied; other calls pass', async () => {
    await resetProduction();
    const rule = await t.control.failManagement({ status: 503, method: 'POST', path: '**/promote', count: 1 });
    expect(rule).toMatchObject({ method: 'POST', path: '**/promote', remaining: 1, effect: { kind: 'error' } });
    expect((await t.call('GET', `/v1/models/${modelId}`)).status).toBe(200);
    const body = { scale_down_previous_production: false };
    const failed = await t.call('POST', promotePath(), body);
    expect(failed.status).toBe(503);
    expect(failed.body).toEqual({ error: 'Service unavailable', message: 'Injected fault: HTTP 503' });
    expect(await t.productionOf(modelId)).toBe(production);
    expect((await t.call('POST', promotePath(), body)).status).toBe(200);
    expect(await t.productionOf(modelId)).toBe(candidate);
    const promotes = await t.control.requests({ path: '/promote' });
    expect(promotes.map((e) => [e.status, e.fault, e.outcome])).toEqual([
      [503, 'error', 'answered'],
      [200, undefined, 'answered'],
    ]);
  });

  test('a permanent 4xx answers with the given message, as Baseten words it, and changes nothing', async () => {
    await resetProduction();
    const message = 'You do not have permission to promote this deployment';
    await t.control.failManagement({ status: 403, message, method: 'POST', path: '**/promote', count: 1 });
    const refused = await t.call('POST', promotePath(), { scale_down_previous_production: false });
    expect(refused).toMatchObject({ status: 403, body: { error: 'Forbidden', message } });
    expect(await t.productionOf(modelId)).toBe(production);
  });

  test('a rate of 0.1 fails exactly the 10th and 20th of 20 matching calls with a 5xx', async () => {
    await t.control.failManagement({ status: 502, method: 'GET', path: '/v1/models', rate: 0.1 });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await t.call('GET', '/v1/models')).status);
    expect(statuses.flatMap((s, i) => (s === 502 ? [i + 1] : []))).toEqual([10, 20]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(18);
    expect(await t.control.managementFaults()).toEqual([expect.objectContaining({ matched: 20, faulted: 2 })]);
  });

  test('a 429 share answers with Baseten’s body and Retry-After, and the log records each retry_after', async () => {
    await t.control.failManagement({ status: 429, rate: 0.3, retryAfterSeconds: 4, path: '/v1/models/{model_id}' });
    const results = [];
    for (let i = 0; i < 10; i++) results.push(await t.call('GET', `/v1/models/${modelId}`));
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(3);
    expect(limited[0]?.body).toEqual({ error: 'Rate limit exceeded. Please try again later.', retry_after: 4 });
    expect(limited[0]?.headers['retry-after']).toBe('4');
    const log = await t.control.requests({ path: `/v1/models/${modelId}` });
    expect(log.filter((e) => e.status === 429).map((e) => e.retryAfterSeconds)).toEqual([4, 4, 4]);
    expect(log.filter((e) => e.status === 200).every((e) => e.retryAfterSeconds === undefined)).toBe(true);
  });

  test('the log’s arrival times show the Baseten client never retries sooner than retry_after asks', async () => {
    await t.control.failManagement({ status: 429, count: 2, retryAfterSeconds: 1, path: '/v1/models/*' });
    const client = new BasetenClient({
      apiKey: t.emulator.apiKey,
      managementUrl: t.emulator.managementUrl,
      maxRetries: 2,
      logger: { warn: () => undefined },
    });
    expect((await client.getModel(modelId)).id).toBe(modelId);
    const calls = await t.control.requests({ path: `/v1/models/${modelId}` });
    expect(calls.map((c) => c.status)).toEqual([429, 429, 200]);
    for (let i = 1; i < calls.length; i++) {
      const previous = calls[i - 1] as (typeof calls)[number];
      const waited = Date.parse((calls[i] as (typeof calls)[number]).time) - Date.parse(previous.time);
      expect(waited).toBeGreaterThanOrEqual((previous.retryAfterSeconds ?? 0) * 1000);
    }
  });
});

describe('slowManagement', () => {
  test('on-arrival: the change is applied at once while the answer comes too late for the client', async () => {
    await t.control.slowManagement({ delayMs: 2000, method: 'PATCH', path: renamePath(), count: 1 });
    const gaveUp = t.call('PATCH', renamePath(), { name: 'renamed-early' }, { signal: AbortSignal.timeout(200) });
    await expect(gaveUp).rejects.toThrow();
    expect(await nameOf()).toBe('renamed-early');
    const [entry] = await waitFor('the slow call to end', async () => {
      const log = await t.control.requests({ method: 'PATCH' });
      return log[0]?.outcome !== 'in-flight' && log;
    });
    expect(entry).toMatchObject({ fault: 'slow', status: 200, outcome: 'client-closed' });
  });

  test('after-delay: the change lands only when the delay is over, after the client has given up', async () => {
    await t.control.slowManagement({ delayMs: 3000, apply: 'after-delay', method: 'PATCH', count: 1 });
    const gaveUp = t.call('PATCH', renamePath(), { name: 'renamed-late' }, { signal: AbortSignal.timeout(200) });
    await expect(gaveUp).rejects.toThrow();
    expect(await nameOf()).not.toBe('renamed-late');
    await waitFor('the late rename to land', async () => (await nameOf()) === 'renamed-late', { timeoutMs: 15_000 });
  });

  test('a client that waits long enough gets the answer', async () => {
    await t.control.slowManagement({ delayMs: 300, method: 'GET', count: 1 });
    const started = Date.now();
    expect((await t.call('GET', '/v1/models')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(await t.control.requests()).toEqual([expect.objectContaining({ fault: 'slow', outcome: 'answered' })]);
  });
});

describe('dropManagement', () => {
  const environments = () => `/v1/models/${modelId}/environments`;

  test('before-apply: the connection is destroyed with no answer, and nothing changes', async () => {
    await t.control.dropManagement({ when: 'before-apply', method: 'POST', path: '**/environments', count: 1 });
    await expect(t.call('POST', environments(), { name: 'lost-on-the-way-in' })).rejects.toThrow(/other side closed/);
    expect((await t.call('GET', `${environments()}/lost-on-the-way-in`)).status).toBe(404);
    const [entry] = await t.control.requests({ method: 'POST' });
    expect(entry).toMatchObject({ fault: 'drop', status: null, outcome: 'dropped' });
  });

  test('after-apply: the change is made and only the answer is lost', async () => {
    await t.control.dropManagement({ when: 'after-apply', method: 'POST', path: '**/environments', count: 1 });
    await expect(t.call('POST', environments(), { name: 'lost-on-the-way-out' })).rejects.toThrow(/other side closed/);
    expect((await t.call('GET', `${environments()}/lost-on-the-way-out`)).status).toBe(200);
    const [entry] = await t.control.requests({ method: 'POST' });
    expect(entry).toMatchObject({ fault: 'drop', status: 200, outcome: 'dropped' });
  });
});

describe('holdManagement', () => {
  test('a promote is applied and its answer held, observably, until released', async () => {
    await resetProduction();
    await t.control.holdManagement({ method: 'POST', path: '**/deployments/*/promote', count: 1 });
    let settled = false;
    const promote = t.call('POST', promotePath(), { scale_down_previous_production: false }).finally(() => {
      settled = true;
    });
    const [held] = await waitFor('the promote to be applied and held', async () => {
      const list = await t.control.heldRequests();
      return list.length > 0 && list;
    });
    expect(held).toMatchObject({
      method: 'POST',
      path: promotePath(),
      status: 200,
      clientClosed: false,
      releaseAt: null,
    });
    expect(await t.productionOf(modelId)).toBe(candidate);
    expect(await t.control.requests({ path: promotePath() })).toEqual([
      expect.objectContaining({ fault: 'hold', status: 200, outcome: 'held', durationMs: null }),
    ]);
    expect(settled).toBe(false);
    expect(await t.control.releaseHeld(held?.id)).toEqual([expect.objectContaining({ id: held?.id })]);
    const answer = await promote;
    expect(answer.status).toBe(200);
    expect((answer.body as DeploymentV1).id).toBe(candidate);
    expect(await t.control.heldRequests()).toEqual([]);
    expect(await t.control.requests({ path: promotePath() })).toEqual([
      expect.objectContaining({ fault: 'hold', status: 200, outcome: 'answered' }),
    ]);
  });

  test('a client that hangs up while held is seen as gone; its released answer is logged client-closed', async () => {
    await t.control.holdManagement({ method: 'GET', path: '/v1/models', count: 1 });
    const client = new AbortController();
    const abandoned = t.call('GET', '/v1/models', undefined, { signal: client.signal });
    await waitFor('the call to be held', async () => (await t.control.heldRequests()).length === 1);
    client.abort();
    await expect(abandoned).rejects.toThrow();
    await waitFor('the emulator to notice the client left', async () => {
      const [held] = await t.control.heldRequests();
      return held?.clientClosed === true;
    });
    await t.control.releaseHeld();
    await waitFor('the released call to be logged', async () => {
      const [entry] = await t.control.requests({ path: '/v1/models' });
      return entry?.outcome === 'client-closed';
    });
  });

  test('holdMs releases the answer on its own; clearFaults releases every held answer', async () => {
    await t.control.holdManagement({ method: 'GET', holdMs: 300, count: 1 });
    const started = Date.now();
    expect((await t.call('GET', '/v1/models')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);

    await t.control.holdManagement({ method: 'GET', path: '/v1/models' });
    const pending = [t.call('GET', '/v1/models'), t.call('GET', '/v1/models')];
    await waitFor('both calls to be held', async () => (await t.control.heldRequests()).length === 2);
    await t.control.clearFaults();
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual([200, 200]);
  });
});

describe('control bodies', () => {
  test.each([
    [{ status: 503, rate: 0 }, /rate/],
    [{ status: 503, rate: 1.5 }, /rate/],
    [{ status: 503, count: 1, durationMs: 10 }, /at most one of count and durationMs/],
    [{ status: 503, paths: '**' }, /paths/],
    [{ status: 503, path: 'promote' }, /path pattern/],
    [{ status: 503, method: 'PO ST' }, /HTTP method/],
    [{ status: 409 }, /429, a 5xx status, or one of 400, 401, 403, 404, 422/],
    [{ status: 403, message: '' }, /message/],
  ])('a bad management fault %j is refused with 400 and says why', async (body, message) => {
    const refused = t.control.failManagement(body);
    await expect(refused).rejects.toBeInstanceOf(EmulatorControlError);
    await expect(refused).rejects.toMatchObject({ status: 400, message });
  });

  test('slow needs delayMs, drop needs when, and unknown ids are 404s', async () => {
    await expect(t.control.slowManagement({} as never)).rejects.toMatchObject({ status: 400, message: /delayMs/ });
    await expect(t.control.dropManagement({} as never)).rejects.toMatchObject({ status: 400, message: /when/ });
    await expect(t.control.holdManagement({ holdMs: -1 })).rejects.toMatchObject({ status: 400, message: /holdMs/ });
    await expect(t.control.releaseHeld('held-404')).rejects.toMatchObject({ status: 404 });
    await expect(t.control.removeManagementFault('mf-404')).rejects.toMatchObject({ status: 404 });
    expect(await t.control.managementFaults()).toEqual([]);
  });

  test('removeManagementFault disarms one fault', async () => {
    const rule = await t.control.failManagement({ status: 500, path: '/v1/models' });
    await t.control.removeManagementFault(rule.id);
    expect((await t.call('GET', '/v1/models')).status).toBe(200);
  });
});
