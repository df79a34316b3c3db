import { rmSync } from 'node:fs';
import { trafficSummary } from '../../../src/baseten';
import type { EnvironmentV1, ModelV1 } from '../../../src/emulator/state/views';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { closeConforming } from './openapi';
import { answeringModel, loadGate, writeTruss, type LoadGate } from '../../support/trusses';
import { waitFor } from '../../support/wait-for';
import { testApiKey } from '../../support/secrets';

// Rolling promotions on the real emulator: two real model processes that answer "v1" and "v2", so every request
// says which deployment served it. Steps last the emulator's fast rollingStepMs (100 ms) unless a test sets a
// stabilization time; the split is checked where the ramp holds still (PAUSED), so no assertion races a step.
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});

afterAll(() => closeConforming(t));

interface RollingSetup {
  on: TestEmulator;
  modelId: string;
  v1: string;
  v2: string;
  env: (name?: string) => Promise<EnvironmentV1>;
  control: (name: string) => Promise<unknown>;
  promote: (deploymentId: string) => Promise<{ status: number; body: unknown }>;
}

/** v1 in production with rolling promotions of `surge`% steps, and v2 ACTIVE beside it (or loading behind a gate). */
async function rollingModel(
  modelName: string,
  settings: { surge?: number; stabilizationSeconds?: number; cleanup?: string; v2Gate?: LoadGate } = {},
  on: TestEmulator = t,
): Promise<RollingSetup> {
  const first = await on.control.createDeployment({
    trussDir: writeTruss({ modelName, modelPy: answeringModel('v1') }),
  });
  const modelId = first.model.id;
  await on.waitForStatus(modelId, first.deployment.id, 'ACTIVE');
  const patched = await on.call('PATCH', `/v1/models/${modelId}/environments/production`, {
    promotion_settings: {
      rolling_deploy: true,
      ...(settings.cleanup ? { promotion_cleanup_strategy: settings.cleanup } : {}),
      rolling_deploy_config: {
        max_surge_percent: settings.surge ?? 25,
        stabilization_time_seconds: settings.stabilizationSeconds ?? 0,
      },
    },
  });
  expect(patched.body).toMatchObject({ status: 'ACCEPTED' });
  const second = await on.control.createDeployment({
    trussDir: writeTruss({ modelName, modelPy: answeringModel('v2', settings.v2Gate) }),
    modelId,
  });
  if (!settings.v2Gate) await on.waitForStatus(modelId, second.deployment.id, 'ACTIVE');
  const base = `/v1/models/${modelId}/environments`;
  return {
    on,
    modelId,
    v1: first.deployment.id,
    v2: second.deployment.id,
    env: async (name = 'production') => (await on.call('GET', `${base}/${name}`)).body as EnvironmentV1,
    control: async (name) => (await on.call('POST', `${base}/production/${name}_promotion`)).body,
    promote: (deploymentId) => on.call('POST', `${base}/production/promote`, { deployment_id: deploymentId }),
  };
}

/** Sends `n` predictions to production (alternating its two prefixes) and counts who answered. */
async function split(m: RollingSetup, n: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const prefix = i % 2 === 0 ? 'production' : 'environments/production';
    const response = await m.on.call('POST', `/inference/${m.modelId}/${prefix}/predict`, { i });
    expect(response.status).toBe(200);
    const from = (response.body as { from: string }).from;
    counts[from] = (counts[from] ?? 0) + 1;
  }
  return counts;
}

async function waitForPromotion(m: RollingSetup, status: string): Promise<EnvironmentV1> {
  let last: unknown;
  return waitFor(
    () => `in_progress_promotion ${status} (last: ${JSON.stringify(last)})`,
    async () => {
      const env = await m.env();
      last = env.in_progress_promotion;
      return env.in_progress_promotion?.status === status && env;
    },
  );
}

/** Promotes v2 and pauses at once: the ramp holds at the percentage of the step it was in. Returns that. */
async function pausedRamp(m: RollingSetup): Promise<number> {
  expect((await m.promote(m.v2)).status).toBe(200);
  expect(await m.control('pause')).toEqual({ success: true });
  return (await waitForPromotion(m, 'PAUSED')).in_progress_promotion!.percent_traffic_to_new_version;
}

/** The percentages the ramp reached, from the candidate's deployment log. */
async function stepsLogged(modelId: string, deploymentId: string): Promise<number[]> {
  const logs = (await t.call('GET', `/v1/models/${modelId}/deployments/${deploymentId}/logs?limit=1000&direction=asc`))
    .body as { logs: Array<{ message: string }> };
  return logs.logs.flatMap((l) => {
    const match = /^Promotion to production(?: ramping down)?: (\d+)% on the candidate/.exec(l.message);
    return match ? [Number(match[1])] : [];
  });
}

test('a rolling promotion ramps 25% a step with traffic really split between both model processes, then succeeds and scales the previous deployment to zero', async () => {
  const m = await rollingModel('ramp');
  const since = Date.now() - 1;
  const promoted = await m.promote(m.v2);
  expect(promoted).toMatchObject({ status: 200, body: { id: m.v2, is_production: false } });
  expect(await m.env()).toMatchObject({
    current_deployment: { id: m.v1 },
    candidate_deployment: { id: m.v2 },
    in_progress_promotion: { status: 'RELEASING', percent_traffic_to_new_version: 0, rolling_deploy: true },
  });
  // Pause takes effect at the end of the step in progress: the ramp holds at a step's percentage.
  expect(await m.control('pause')).toEqual({ success: true });
  const paused = await waitForPromotion(m, 'PAUSED');
  const first = paused.in_progress_promotion!.percent_traffic_to_new_version;
  expect([25, 50, 75, 100]).toContain(first);
  expect(paused).toMatchObject({ current_deployment: { id: m.v1 }, candidate_deployment: { id: m.v2 } });
  const both = await Promise.all([t.control.deployment(m.v1), t.control.deployment(m.v2)]);
  expect(both.map((d) => [d.status, d.pid !== null])).toEqual([
    ['ACTIVE', true],
    ['ACTIVE', true],
  ]);

  const counts = await split(m, 20);
  expect(counts).toEqual({ ...(first < 100 ? { v1: 20 - first / 5 } : {}), v2: first / 5 });
  // The metrics endpoint attributes each request to the deployment that served it.
  const [old, candidate] = await Promise.all(
    [m.v1, m.v2].map(async (d) =>
      trafficSummary(await t.client.getDeploymentMetrics(m.modelId, d, { mode: 'SUMMARY', startEpochMillis: since })),
    ),
  );
  expect([old!.requests, candidate!.requests]).toEqual([counts.v1 ?? 0, counts.v2]);

  expect(await m.control('resume')).toEqual({ success: true });
  if (first < 100) {
    expect((await m.env()).in_progress_promotion).toMatchObject({ status: 'RAMPING_UP' });
    expect(await m.control('pause')).toEqual({ success: true });
    const again = (await waitForPromotion(m, 'PAUSED')).in_progress_promotion!.percent_traffic_to_new_version;
    expect(again).toBeGreaterThan(first);
    const later = await split(m, 20);
    expect(later).toEqual({ ...(again < 100 ? { v1: 20 - again / 5 } : {}), v2: again / 5 });
    expect(await m.control('resume')).toEqual({ success: true });
  }

  const done = await waitForPromotion(m, 'SUCCEEDED');
  expect(done).toMatchObject({
    current_deployment: { id: m.v2, is_production: true },
    candidate_deployment: null,
    in_progress_promotion: { status: 'SUCCEEDED', percent_traffic_to_new_version: 100, rolling_deploy: true },
  });
  expect(((await t.call('GET', `/v1/models/${m.modelId}`)).body as ModelV1).production_deployment_id).toBe(m.v2);
  expect(await stepsLogged(m.modelId, m.v2)).toEqual([25, 50, 75, 100]);
  await t.waitForStatus(m.modelId, m.v1, 'SCALED_TO_ZERO');
  expect(await split(m, 4)).toEqual({ v2: 4 });
});

test('a graceful cancel moves traffic back step by step (RAMPING_DOWN), then ends CANCELED with production unchanged', async () => {
  const m = await rollingModel('ramp-back');
  const at = await pausedRamp(m);

  expect(await m.control('cancel')).toEqual({
    status: 'RAMPING_DOWN',
    message: expect.stringContaining(m.v1) as unknown,
  });
  expect((await m.env()).in_progress_promotion).toMatchObject({
    status: 'RAMPING_DOWN',
    percent_traffic_to_new_version: at,
  });
  // A second cancel while it ramps down says so again rather than failing.
  expect(await m.control('cancel')).toMatchObject({ status: 'RAMPING_DOWN' });
  // Pausing a rollback is not offered.
  expect(await m.control('pause')).toEqual({ success: false });

  const canceled = await waitForPromotion(m, 'CANCELED');
  expect(canceled).toMatchObject({
    current_deployment: { id: m.v1 },
    candidate_deployment: null,
    in_progress_promotion: { status: 'CANCELED', percent_traffic_to_new_version: 0 },
  });
  // Up to where it paused, then back down a step at a time (reaching 0% is the CANCELED itself).
  const up = Array.from({ length: at / 25 }, (_, i) => 25 * (i + 1));
  expect(await stepsLogged(m.modelId, m.v2)).toEqual([...up, ...up.slice(0, -1).reverse()]);
  expect(await split(m, 8)).toEqual({ v1: 8 });
  expect(((await t.call('GET', `/v1/models/${m.modelId}`)).body as ModelV1).production_deployment_id).toBe(m.v1);
  // The candidate is left as it was (not cleaned up); a later promotion may use it again.
  expect((await t.getDeployment(m.modelId, m.v2)).status).toBe('ACTIVE');
});

test('force cancel rolls back at once; force roll forward completes at once, even in the middle of a rollback', async () => {
  const m = await rollingModel('forced');
  await pausedRamp(m);
  expect(await m.control('force_cancel')).toEqual({ success: true });
  expect(await m.env()).toMatchObject({
    current_deployment: { id: m.v1 },
    candidate_deployment: null,
    in_progress_promotion: { status: 'CANCELED', percent_traffic_to_new_version: 0 },
  });
  expect(await split(m, 8)).toEqual({ v1: 8 });

  await pausedRamp(m);
  expect(await m.control('cancel')).toMatchObject({ status: 'RAMPING_DOWN' });
  expect(await m.control('force_roll_forward')).toEqual({ success: true });
  expect(await m.env()).toMatchObject({
    current_deployment: { id: m.v2 },
    candidate_deployment: null,
    in_progress_promotion: { status: 'SUCCEEDED', percent_traffic_to_new_version: 100 },
  });
  expect(await split(m, 8)).toEqual({ v2: 8 });
  await t.waitForStatus(m.modelId, m.v1, 'SCALED_TO_ZERO');
});

test('a step lasts the stabilization time: pause waits for its end, resume withdraws it, cancel before any traffic moved is CANCELED at once; a second promote is refused with 409', async () => {
  const m = await rollingModel('slow-steps', { stabilizationSeconds: 3600 });
  const third = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'slow-steps', modelPy: answeringModel('v3') }),
    modelId: m.modelId,
  });
  await t.waitForStatus(m.modelId, third.deployment.id, 'ACTIVE');
  await m.promote(m.v2);
  // The promote of the ramp's own candidate again is the same promotion; another deployment is refused.
  expect((await m.promote(m.v2)).status).toBe(200);
  const refused = await m.promote(third.deployment.id);
  expect(refused.status).toBe(409);
  expect((refused.body as { message: string }).message).toMatch(/rolling promotion of deployment .* in progress/);
  const byDeployment = await t.call('POST', `/v1/models/${m.modelId}/deployments/${third.deployment.id}/promote`);
  expect(byDeployment.status).toBe(409);

  expect(await m.control('pause')).toEqual({ success: true });
  expect((await m.env()).in_progress_promotion).toMatchObject({ status: 'RELEASING' });
  expect(await m.control('resume')).toEqual({ success: true });
  expect(await split(m, 4)).toEqual({ v1: 4 });

  expect(await m.control('cancel')).toEqual({ status: 'CANCELED', message: expect.any(String) as unknown });
  expect(await m.env()).toMatchObject({
    current_deployment: { id: m.v1 },
    candidate_deployment: null,
    in_progress_promotion: { status: 'CANCELED' },
  });
  // Nothing is in progress any more.
  expect(await m.control('resume')).toEqual({ success: false });
  expect((await m.promote(third.deployment.id)).status).toBe(200);
  expect(await m.control('force_roll_forward')).toEqual({ success: true });
  expect((await m.env()).current_deployment).toMatchObject({ id: third.deployment.id });
});

test('a candidate promoted while still building ramps once ACTIVE, and the previous deployment is cleaned up per the environment strategy', async () => {
  const gate = loadGate();
  const m = await rollingModel('ramp-later', { surge: 50, cleanup: 'DEACTIVATE', v2Gate: gate });
  await m.promote(m.v2);
  expect((await m.env()).in_progress_promotion).toMatchObject({ status: 'RELEASING', rolling_deploy: true });
  gate.open();
  const done = await waitForPromotion(m, 'SUCCEEDED');
  expect(done.current_deployment).toMatchObject({ id: m.v2 });
  expect(await stepsLogged(m.modelId, m.v2)).toEqual([50, 100]);
  await t.waitForStatus(m.modelId, m.v1, 'INACTIVE');
});

test('a candidate that fails during the ramp ends it FAILED, with every request back on the previous deployment', async () => {
  const m = await rollingModel('ramp-fails');
  await pausedRamp(m);
  await t.control.fail(m.v2, 'node lost');
  const failed = await waitForPromotion(m, 'FAILED');
  expect(failed).toMatchObject({
    current_deployment: { id: m.v1 },
    candidate_deployment: null,
    in_progress_promotion: {
      percent_traffic_to_new_version: 0,
      error_message: expect.stringContaining('FAILED') as unknown,
    },
  });
  expect(await split(m, 4)).toEqual({ v1: 4 });
});

test('the typed client drives a rolling promotion: settings, promote, pause, resume, cancel and force roll forward', async () => {
  const m = await rollingModel('client-driven', { surge: 50 });
  const { client } = t;
  await expect(
    client.updateEnvironment(m.modelId, 'production', {
      promotion_settings: { rolling_deploy_config: { stabilization_time_seconds: 3600 } },
    }),
  ).resolves.toEqual({ status: 'ACCEPTED', message: expect.any(String) as unknown });
  const production = await client.getEnvironment(m.modelId, 'production');
  expect(production.promotion_settings).toMatchObject({
    rolling_deploy: true,
    rolling_deploy_config: { max_surge_percent: 50, stabilization_time_seconds: 3600 },
  });

  await client.promoteToEnvironment(m.modelId, 'production', { deployment_id: m.v2 });
  expect(await client.pausePromotion(m.modelId, 'production')).toEqual({ success: true });
  expect(await client.resumePromotion(m.modelId, 'production')).toEqual({ success: true });
  expect((await client.getEnvironment(m.modelId, 'production')).in_progress_promotion).toMatchObject({
    status: 'RELEASING',
  });
  expect(await client.cancelPromotion(m.modelId, 'production')).toMatchObject({ status: 'CANCELED' });
  expect(await client.forceCancelPromotion(m.modelId, 'production')).toEqual({ success: false });

  await client.promoteToEnvironment(m.modelId, 'production', { deployment_id: m.v2 });
  expect(await client.forceRollForwardPromotion(m.modelId, 'production')).toEqual({ success: true });
  expect((await client.getDeployment(m.modelId, 'production')).id).toBe(m.v2);
});

test('a paused ramp survives an emulator restart and carries on from its step when resumed', async () => {
  const stateDir = `${t.emulator.stateDir}-restart`;
  const restartKey = testApiKey('restart');
  const first = await startTestEmulator({ stateDir, apiKey: restartKey });
  let before: RollingSetup;
  let at: number;
  try {
    before = await rollingModel('durable-ramp', {}, first);
    at = await pausedRamp(before);
  } finally {
    await closeConforming(first);
  }
  const second = await startTestEmulator({ stateDir, apiKey: restartKey });
  try {
    const base = `/v1/models/${before.modelId}/environments/production`;
    const m: RollingSetup = {
      ...before,
      on: second,
      env: async () => (await second.call('GET', base)).body as EnvironmentV1,
      control: async (name) => (await second.call('POST', `${base}/${name}_promotion`)).body,
    };
    expect(await m.env()).toMatchObject({
      current_deployment: { id: m.v1 },
      candidate_deployment: { id: m.v2 },
      in_progress_promotion: { status: 'PAUSED', percent_traffic_to_new_version: at },
    });
    // Both deployments come back scaled to zero; the requests of the split wake them.
    expect(await split(m, 20)).toEqual({ ...(at < 100 ? { v1: 20 - at / 5 } : {}), v2: at / 5 });
    expect(await m.control('resume')).toEqual({ success: true });
    expect((await waitForPromotion(m, 'SUCCEEDED')).current_deployment).toMatchObject({ id: m.v2 });
  } finally {
    await closeConforming(second);
    rmSync(stateDir, { recursive: true, force: true });
  }
});
