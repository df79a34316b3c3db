import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { closeConforming } from './openapi';
import { processExists } from '../../support/processes';
import { copyExample, echoModel, writeTruss } from '../../support/trusses';
import { waitFor } from '../../support/wait-for';

let t: TestEmulator;

beforeAll(async () => {
  // Longer DEPLOYING and DEACTIVATING phases, so a poll right after the call sees them.
  t = await startTestEmulator({ timings: { deployMs: 400, deactivateMs: 400 } });
});

afterAll(() => closeConforming(t));

test('a pushed deployment goes BUILDING → DEPLOYING → LOADING_MODEL → ACTIVE and serves the model', async () => {
  const { model, deployment } = await t.control.createDeployment({ trussDir: copyExample('text-transform') });
  expect(deployment).toMatchObject({ status: 'BUILDING', autoscaling_settings: null, name: 'deployment-1' });
  expect(model.name).toBe('text-transform');
  const seen: string[] = [];
  await waitFor(
    () => `ACTIVE (saw ${seen.join(' → ')})`,
    async () => {
      const dep = await t.getDeployment(model.id, deployment.id);
      if (seen[seen.length - 1] !== dep.status) seen.push(dep.status);
      if (dep.status === 'ACTIVE') return true;
      expect(['BUILDING', 'DEPLOYING', 'LOADING_MODEL']).toContain(dep.status);
      return false;
    },
    { timeoutMs: 60_000, intervalMs: 10 },
  );
  expect(seen.slice(0, 2)).toEqual(['BUILDING', 'DEPLOYING']);
  const active = await t.getDeployment(model.id, deployment.id);
  expect(active.autoscaling_settings).toMatchObject({ min_replica: 0, max_replica: 1, scale_down_delay: 900 });
  expect(active).toMatchObject({ is_production: true, environment: 'production', active_replica_count: 1 });

  const result = await t.call('POST', `/inference/${model.id}/production/predict`, { text: '  hi   there ' });
  expect(result.status).toBe(200);
  expect(result.body).toEqual({ text: 'hi there', upper: 'HI THERE', word_count: 2, postprocessed: true });
  expect(result.headers['x-baseten-request-id']).toEqual(expect.any(String));

  const logs = await t.call('GET', `/v1/models/${model.id}/deployments/${deployment.id}/logs`);
  const messages = (logs.body as { logs: { message: string }[] }).logs.map((l) => l.message);
  expect(messages).toEqual(
    expect.arrayContaining(['Deployment status: ACTIVE', expect.stringContaining('text-transform loaded')]),
  );
});

test('predictions come from the Truss as pushed: editing model.py and pushing again changes the answer', async () => {
  const dir = writeTruss({ modelName: 'editable', modelPy: echoModel });
  const first = await t.control.createDeployment({ trussDir: dir });
  await t.waitForStatus(first.model.id, first.deployment.id, 'ACTIVE');
  const modelPy = path.join(dir, 'model', 'model.py');
  writeFileSync(modelPy, readFileSync(modelPy, 'utf8').replace('{"echo": model_input}', '{"edited": model_input}'));
  const second = await t.control.createDeployment({ trussDir: dir });
  expect(second.model.id).toBe(first.model.id);
  expect(second.deployment.name).toBe('deployment-2');
  await t.waitForStatus(first.model.id, second.deployment.id, 'ACTIVE');

  const old = await t.call('POST', `/inference/${first.model.id}/deployment/${first.deployment.id}/predict`, 7);
  const edited = await t.call('POST', `/inference/${first.model.id}/deployment/${second.deployment.id}/predict`, 7);
  expect(old.body).toEqual({ echo: 7 });
  expect(edited.body).toEqual({ edited: 7 });
  // The second push is not promoted on its own: production still answers with the first.
  expect((await t.call('POST', `/inference/${first.model.id}/production/predict`, 7)).body).toEqual({ echo: 7 });
});

test('a config that breaks the truss schema ends in BUILD_FAILED with the reason in the logs', async () => {
  const dir = writeTruss({ modelName: 'bad-config', modelPy: echoModel, configExtra: 'resources: { cpu: [1, 2] }\n' });
  const { model, deployment } = await t.control.createDeployment({ trussDir: dir });
  await t.waitForStatus(model.id, deployment.id, 'BUILD_FAILED');
  const logs = await t.call('POST', `/v1/models/${model.id}/deployments/${deployment.id}/logs`, { min_level: 'ERROR' });
  expect(JSON.stringify(logs.body)).toContain('Build failed');
  const env = await t.call('GET', `/v1/models/${model.id}/environments/production`);
  expect(env.body).toMatchObject({ current_deployment: null, in_progress_promotion: { status: 'FAILED' } });
});

test('a requirement pip cannot install ends in BUILD_FAILED', async () => {
  const dir = writeTruss({ modelName: 'bad-requirement', modelPy: echoModel });
  const config = path.join(dir, 'config.yaml');
  writeFileSync(
    config,
    readFileSync(config, 'utf8').replace('requirements: []', 'requirements: ["./no-such-local-package-dir"]'),
  );
  const { model, deployment } = await t.control.createDeployment({ trussDir: dir });
  await t.waitForStatus(model.id, deployment.id, 'BUILD_FAILED', { timeoutMs: 120_000 });
});

test('load() raising ends in DEPLOY_FAILED with the traceback in the logs', async () => {
  const dir = writeTruss({
    modelName: 'load-fails',
    modelPy: echoModel.replace(
      'def load(self):\n        pass',
      'def load(self):\n        raise ValueError("weights missing")',
    ),
  });
  const { model, deployment } = await t.control.createDeployment({ trussDir: dir });
  await t.waitForStatus(model.id, deployment.id, 'DEPLOY_FAILED');
  const logs = await t.call('GET', `/v1/models/${model.id}/deployments/${deployment.id}/logs`);
  expect(JSON.stringify(logs.body)).toContain('weights missing');
  const predict = await t.call('POST', `/inference/${model.id}/deployment/${deployment.id}/predict`, {});
  expect(predict.status).toBe(503);
  expect(predict.body).toMatchObject({ error_code: 'model_unavailable' });
});

test('deactivate goes DEACTIVATING → INACTIVE (not serving), and activate brings it back to ACTIVE', async () => {
  const { model, deployment } = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'toggle', modelPy: echoModel }),
  });
  await t.waitForStatus(model.id, deployment.id, 'ACTIVE');
  const before = await t.control.deployment(deployment.id);
  expect(before.pid).toEqual(expect.any(Number));

  expect((await t.call('POST', `/v1/models/${model.id}/deployments/${deployment.id}/deactivate`)).body).toEqual({
    success: true,
  });
  expect((await t.getDeployment(model.id, deployment.id)).status).toBe('DEACTIVATING');
  await t.waitForStatus(model.id, deployment.id, 'INACTIVE');
  expect((await t.control.deployment(deployment.id)).pid).toBeNull();
  expect(processExists(before.pid as number)).toBe(false);
  const refused = await t.call('POST', `/inference/${model.id}/production/predict`, 1);
  expect(refused.status).toBe(503);
  expect(refused.body).toMatchObject({ error_code: 'model_unavailable' });

  expect((await t.call('POST', `/v1/models/${model.id}/deployments/production/activate`)).body).toEqual({
    success: true,
  });
  expect((await t.getDeployment(model.id, deployment.id)).status).toBe('DEPLOYING');
  await t.waitForStatus(model.id, deployment.id, 'ACTIVE');
  expect((await t.call('POST', `/inference/${model.id}/production/predict`, 1)).body).toEqual({ echo: 1 });
});

test('a development deployment fills the model’s single dev slot; a second one replaces it', async () => {
  const dir = writeTruss({ modelName: 'dev-slot', modelPy: echoModel });
  const first = await t.control.createDeployment({ trussDir: dir, isDevelopment: true });
  expect(first.deployment).toMatchObject({ is_development: true, name: 'development', is_production: false });
  await t.waitForStatus(first.model.id, first.deployment.id, 'ACTIVE');
  expect((await t.call('POST', `/inference/${first.model.id}/development/predict`, 'x')).body).toEqual({ echo: 'x' });

  const second = await t.control.createDeployment({ trussDir: dir, isDevelopment: true });
  const model = await t.call('GET', `/v1/models/${first.model.id}`);
  expect(model.body).toMatchObject({ development_deployment_id: second.deployment.id, production_deployment_id: null });
  expect((await t.call('GET', `/v1/models/${first.model.id}/deployments/${first.deployment.id}`)).status).toBe(404);
  const dev = await t.call('GET', `/v1/models/${first.model.id}/deployments/development`);
  expect(dev.body).toMatchObject({ id: second.deployment.id });
});
