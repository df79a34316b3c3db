import type { DeploymentV1, EnvironmentV1, ModelV1 } from '../../../src/emulator/state/views';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { closeConforming } from './openapi';
import { answeringModel, loadGate, writeTruss, type LoadGate } from '../../support/trusses';

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});

afterAll(() => closeConforming(t));

/** A model whose answers say which push they came from; with a gate, its load() waits until the gate opens. */
function trussAnswering(modelName: string, answer: string, gate?: LoadGate): string {
  return writeTruss({ modelName, modelPy: answeringModel(answer, gate) });
}

async function deployActive(modelName: string, answer: string, extra: { environmentName?: string } = {}) {
  const created = await t.control.createDeployment({
    trussDir: trussAnswering(modelName, answer),
    modelName,
    ...extra,
  });
  await t.waitForStatus(created.model.id, created.deployment.id, 'ACTIVE');
  return created;
}

const model = async (id: string) => (await t.call('GET', `/v1/models/${id}`)).body as ModelV1;
const environment = async (id: string, name: string) =>
  (await t.call('GET', `/v1/models/${id}/environments/${name}`)).body as EnvironmentV1;

test('the first published deployment of a new model becomes production once ACTIVE', async () => {
  const { model: created, deployment } = await t.control.createDeployment({ trussDir: trussAnswering('first', 'v1') });
  expect(created.production_deployment_id).toBeNull();
  const pending = await environment(created.id, 'production');
  expect(pending).toMatchObject({
    current_deployment: null,
    candidate_deployment: { id: deployment.id },
    in_progress_promotion: { status: 'RELEASING' },
  });
  await t.waitForStatus(created.id, deployment.id, 'ACTIVE');
  expect((await model(created.id)).production_deployment_id).toBe(deployment.id);
  const prod = await environment(created.id, 'production');
  expect(prod).toMatchObject({
    current_deployment: { id: deployment.id, is_production: true },
    candidate_deployment: null,
    in_progress_promotion: null,
  });
});

test('promoting a deployment by id makes that same deployment production and scales the old one to zero', async () => {
  const v1 = await deployActive('by-id', 'v1');
  const v2 = await t.control.createDeployment({ trussDir: trussAnswering('by-id', 'v2'), modelName: 'by-id' });
  await t.waitForStatus(v1.model.id, v2.deployment.id, 'ACTIVE');
  expect((await t.getDeployment(v1.model.id, v2.deployment.id)).is_production).toBe(false);

  const promoted = await t.call('POST', `/v1/models/${v1.model.id}/deployments/${v2.deployment.id}/promote`, {});
  expect(promoted.status).toBe(200);
  expect(promoted.body).toMatchObject({
    id: v2.deployment.id,
    is_production: true,
    environment: 'production',
    status: 'ACTIVE',
  });
  expect((await model(v1.model.id)).production_deployment_id).toBe(v2.deployment.id);
  expect((await t.call('POST', `/inference/${v1.model.id}/production/predict`, {})).body).toEqual({ from: 'v2' });
  const old = await t.waitForStatus(v1.model.id, v1.deployment.id, 'SCALED_TO_ZERO');
  expect(old).toMatchObject({ is_production: false, environment: null });
});

test('scale_down_previous_production: false keeps the previous production deployment running', async () => {
  const v1 = await deployActive('keep-previous', 'v1');
  const v2 = await deployActive('keep-previous', 'v2');
  const promoted = await t.call('POST', `/v1/models/${v1.model.id}/deployments/${v2.deployment.id}/promote`, {
    scale_down_previous_production: false,
  });
  expect(promoted.body).toMatchObject({ is_production: true });
  expect((await t.getDeployment(v1.model.id, v1.deployment.id)).status).toBe('ACTIVE');
  expect((await t.call('POST', `/inference/${v1.model.id}/deployment/${v1.deployment.id}/predict`, {})).body).toEqual({
    from: 'v1',
  });
});

test('promoting the development deployment builds a NEW published deployment and promotes it once ACTIVE', async () => {
  const prod = await deployActive('dev-promote', 'prod');
  const dev = await t.control.createDeployment({
    trussDir: trussAnswering('dev-promote', 'dev'),
    modelName: 'dev-promote',
    isDevelopment: true,
  });
  await t.waitForStatus(prod.model.id, dev.deployment.id, 'ACTIVE');

  const response = await t.call('POST', `/v1/models/${prod.model.id}/deployments/development/promote`);
  const created = response.body as DeploymentV1;
  expect(response.status).toBe(200);
  expect(created).toMatchObject({ status: 'BUILDING', is_development: false, is_production: false });
  expect(created.id).not.toBe(dev.deployment.id);
  expect((await environment(prod.model.id, 'production')).candidate_deployment).toMatchObject({ id: created.id });

  await t.waitForStatus(prod.model.id, created.id, 'ACTIVE');
  expect((await model(prod.model.id)).production_deployment_id).toBe(created.id);
  expect((await t.call('POST', `/inference/${prod.model.id}/production/predict`, {})).body).toEqual({ from: 'dev' });
});

test('promoting a deployment that is still building records it as the candidate and finishes when it is ACTIVE', async () => {
  const v1 = await deployActive('promote-early', 'v1');
  const v2 = await t.control.createDeployment({
    trussDir: trussAnswering('promote-early', 'v2'),
    modelName: 'promote-early',
  });
  const response = await t.call('POST', `/v1/models/${v1.model.id}/deployments/${v2.deployment.id}/promote`);
  expect(response.body).toMatchObject({ id: v2.deployment.id, is_production: false });
  expect(await environment(v1.model.id, 'production')).toMatchObject({
    current_deployment: { id: v1.deployment.id },
    candidate_deployment: { id: v2.deployment.id },
    in_progress_promotion: { status: 'RELEASING', percent_traffic_to_new_version: 0 },
  });
  await t.waitForStatus(v1.model.id, v2.deployment.id, 'ACTIVE');
  expect((await model(v1.model.id)).production_deployment_id).toBe(v2.deployment.id);
});

test('promoting a failed deployment is refused with 400 and production is unchanged', async () => {
  const v1 = await deployActive('promote-failed', 'v1');
  await t.control.failNextBuild('no disk left');
  const broken = await t.control.createDeployment({
    trussDir: trussAnswering('promote-failed', 'v2'),
    modelName: 'promote-failed',
  });
  await t.waitForStatus(v1.model.id, broken.deployment.id, 'BUILD_FAILED');
  const refused = await t.call('POST', `/v1/models/${v1.model.id}/deployments/${broken.deployment.id}/promote`);
  expect(refused.status).toBe(400);
  expect((refused.body as { message: string }).message).toContain('BUILD_FAILED');
  expect((await model(v1.model.id)).production_deployment_id).toBe(v1.deployment.id);
});

test('environments: production exists and cannot be created again or deleted; custom ones are created, promoted into, deleted', async () => {
  const v1 = await deployActive('envs', 'v1');
  const id = v1.model.id;
  expect((await t.call('POST', `/v1/models/${id}/environments`, { name: 'production' })).status).toBe(409);
  expect((await t.call('DELETE', `/v1/models/${id}/environments/production`)).status).toBe(400);

  const created = await t.call('POST', `/v1/models/${id}/environments`, {
    name: 'staging',
    promotion_settings: { promotion_cleanup_strategy: 'DEACTIVATE' },
  });
  expect(created.status).toBe(200);
  expect(created.body).toMatchObject({
    name: 'staging',
    current_deployment: null,
    promotion_settings: { promotion_cleanup_strategy: 'DEACTIVATE' },
  });
  expect((await t.call('POST', `/v1/models/${id}/environments`, { name: 'staging' })).status).toBe(409);
  const names = (
    (await t.call('GET', `/v1/models/${id}/environments`)).body as { environments: EnvironmentV1[] }
  ).environments.map((e) => e.name);
  expect(names.sort()).toEqual(['production', 'staging']);

  const v2 = await deployActive('envs', 'v2');
  const v3 = await deployActive('envs', 'v3');
  const into = await t.call('POST', `/v1/models/${id}/environments/staging/promote`, {
    deployment_id: v2.deployment.id,
  });
  expect(into.body).toMatchObject({ id: v2.deployment.id, environment: 'staging', is_production: false });
  expect((await t.call('POST', `/inference/${id}/environments/staging/predict`, {})).body).toEqual({ from: 'v2' });

  // The environment's cleanup strategy applies to the deployment it replaces.
  await t.call('POST', `/v1/models/${id}/environments/staging/promote`, { deployment_id: v3.deployment.id });
  await t.waitForStatus(id, v2.deployment.id, 'INACTIVE');
  expect((await environment(id, 'staging')).current_deployment).toMatchObject({ id: v3.deployment.id });

  const patched = await t.call('PATCH', `/v1/models/${id}/environments/staging`, {
    autoscaling_settings: { max_replica: 3 },
  });
  expect(patched.body).toMatchObject({ status: 'ACCEPTED' });
  expect((await environment(id, 'staging')).autoscaling_settings.max_replica).toBe(3);

  const deleted = await t.call('DELETE', `/v1/models/${id}/environments/staging`);
  expect(deleted.body).toEqual({ name: 'staging', model_id: id, deleted: true });
  expect((await t.call('GET', `/v1/models/${id}/environments/staging`)).status).toBe(404);
  await t.waitForStatus(id, v3.deployment.id, 'SCALED_TO_ZERO');
});

test('a push into a new environment creates it and makes the deployment current there once ACTIVE', async () => {
  const v1 = await deployActive('push-env', 'v1');
  const canary = await deployActive('push-env', 'canary', { environmentName: 'canary' });
  expect(await environment(v1.model.id, 'canary')).toMatchObject({
    current_deployment: { id: canary.deployment.id, environment: 'canary' },
  });
  expect((await model(v1.model.id)).production_deployment_id).toBe(v1.deployment.id);
});

/** v1 in production, and v2 promoted while its load() waits behind a gate: a promotion pending until the gate opens. */
async function pendingPromotion(modelName: string) {
  const v1 = await deployActive(modelName, 'v1');
  const id = v1.model.id;
  const gate = loadGate();
  const v2 = await t.control.createDeployment({ trussDir: trussAnswering(modelName, 'v2', gate), modelId: id });
  await t.call('POST', `/v1/models/${id}/deployments/${v2.deployment.id}/promote`);
  expect((await environment(id, 'production')).candidate_deployment).toMatchObject({ id: v2.deployment.id });
  return { id, v1: v1.deployment.id, v2: v2.deployment.id, gate };
}

describe('canceling a promotion that is still pending', () => {
  test('cancel_promotion of a candidate still building answers CANCELED at once, and production stays on the previous deployment after the candidate is ACTIVE', async () => {
    const { id, v1, v2, gate } = await pendingPromotion('cancel-building');
    const since = new Date().toISOString();

    const canceled = await t.call('POST', `/v1/models/${id}/environments/production/cancel_promotion`);
    expect(canceled).toMatchObject({
      status: 200,
      body: { status: 'CANCELED', message: expect.stringContaining(v1) as unknown },
    });
    expect(await environment(id, 'production')).toMatchObject({
      current_deployment: { id: v1 },
      candidate_deployment: null,
      in_progress_promotion: { status: 'CANCELED', percent_traffic_to_new_version: 0 },
    });
    expect((await t.getDeployment(id, v2)).status).not.toBe('ACTIVE');

    gate.open();
    await t.waitForStatus(id, v2, 'ACTIVE');
    expect((await model(id)).production_deployment_id).toBe(v1);
    expect(await t.getDeployment(id, v2)).toMatchObject({ is_production: false, environment: null });
    expect((await t.call('POST', `/inference/${id}/production/predict`, {})).body).toEqual({ from: 'v1' });
    const calls = await t.control.requests({ method: 'POST', path: `/v1/models/${id}/environments/`, since });
    expect(calls.map((c) => `${c.path} ${c.status}`)).toEqual([
      `/v1/models/${id}/environments/production/cancel_promotion 200`,
    ]);
  });

  test('canceling the development promotion in flight leaves production alone when the new deployment is ACTIVE', async () => {
    const prod = await deployActive('cancel-dev', 'prod');
    const id = prod.model.id;
    const gate = loadGate();
    gate.open();
    const dev = await t.control.createDeployment({
      trussDir: trussAnswering('cancel-dev', 'dev', gate),
      modelName: 'cancel-dev',
      isDevelopment: true,
    });
    await t.waitForStatus(id, dev.deployment.id, 'ACTIVE');
    // The deployment the promote builds from the same source waits in LOADING_MODEL until the test lets it go.
    gate.close();
    const built = (await t.call('POST', `/v1/models/${id}/deployments/development/promote`)).body as DeploymentV1;
    expect(built.status).toBe('BUILDING');

    const canceled = await t.call('POST', `/v1/models/${id}/environments/production/cancel_promotion`);
    expect(canceled.body).toMatchObject({ status: 'CANCELED' });
    gate.open();
    await t.waitForStatus(id, built.id, 'ACTIVE');
    expect((await model(id)).production_deployment_id).toBe(prod.deployment.id);
    expect((await environment(id, 'production')).in_progress_promotion).toMatchObject({ status: 'CANCELED' });
    expect((await t.call('POST', `/inference/${id}/production/predict`, {})).body).toEqual({ from: 'prod' });
  });

  test('force_cancel_promotion cancels a building candidate too; pause, resume and force roll forward do not apply to one', async () => {
    const { id, v1, v2, gate } = await pendingPromotion('force-cancel-building');
    const signal = async (name: string) =>
      (await t.call('POST', `/v1/models/${id}/environments/production/${name}_promotion`)).body;
    expect(await signal('pause')).toEqual({ success: false });
    expect(await signal('resume')).toEqual({ success: false });
    expect(await signal('force_roll_forward')).toEqual({ success: false });
    expect((await environment(id, 'production')).in_progress_promotion).toMatchObject({ status: 'RELEASING' });
    expect(await signal('force_cancel')).toEqual({ success: true });
    gate.open();
    await t.waitForStatus(id, v2, 'ACTIVE');
    expect((await model(id)).production_deployment_id).toBe(v1);
  });

  test('with no promotion in progress, cancel answers CANCELED saying there was nothing to cancel, and the signals answer success: false', async () => {
    const v1 = await deployActive('nothing-to-cancel', 'v1');
    const base = `/v1/models/${v1.model.id}/environments/production`;
    const canceled = await t.call('POST', `${base}/cancel_promotion`);
    expect(canceled).toMatchObject({
      status: 200,
      body: { status: 'CANCELED', message: expect.stringContaining('No promotion in progress') as unknown },
    });
    for (const name of ['force_cancel', 'pause', 'resume', 'force_roll_forward'])
      expect({ name, body: (await t.call('POST', `${base}/${name}_promotion`)).body }).toEqual({
        name,
        body: { success: false },
      });
    expect((await environment(v1.model.id, 'production')).current_deployment).toMatchObject({ id: v1.deployment.id });
    expect((await t.call('POST', `/v1/models/${v1.model.id}/environments/nope/cancel_promotion`)).status).toBe(404);
  });
});
