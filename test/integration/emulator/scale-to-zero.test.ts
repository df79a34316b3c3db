import { rmSync } from 'node:fs';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { closeConforming } from './openapi';
import { echoModel, writeTruss } from '../../support/trusses';
import { waitFor } from '../../support/wait-for';
import { testApiKey } from '../../support/secrets';

// Deployments here scale to zero after half a second idle, and wake slowly enough to see WAKING_UP.
const options = { scaleToZeroAfterMs: 500, timings: { wakeMs: 300 } };
let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator(options);
});

afterAll(() => closeConforming(t));

/** Records every status the deployment passes through until `until` is seen. */
async function statusesUntil(modelId: string, deploymentId: string, until: string): Promise<string[]> {
  const seen: string[] = [];
  await waitFor(
    () => `${until} (saw ${seen.join(' → ')})`,
    async () => {
      const { status } = await t.getDeployment(modelId, deploymentId);
      if (seen[seen.length - 1] !== status) seen.push(status);
      return status === until;
    },
    { timeoutMs: 60_000, intervalMs: 10 },
  );
  return seen;
}

test('a deployment never shows SCALED_TO_ZERO before its first ACTIVE, then scales to zero when idle', async () => {
  const slowLoad = echoModel.replace(
    'def load(self):\n        pass',
    'def load(self):\n        import time; time.sleep(1)',
  );
  const { model, deployment } = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'slow-load', modelPy: slowLoad }),
  });
  const seen = await statusesUntil(model.id, deployment.id, 'ACTIVE');
  expect(seen).toEqual(['BUILDING', 'DEPLOYING', 'LOADING_MODEL', 'ACTIVE']);
  await t.waitForStatus(model.id, deployment.id, 'SCALED_TO_ZERO');
  expect((await t.control.deployment(deployment.id)).pid).toBeNull();
  expect((await t.getDeployment(model.id, deployment.id)).active_replica_count).toBe(0);
});

test('POST /wake answers 202 and brings a scaled-to-zero deployment through WAKING_UP and LOADING_MODEL to ACTIVE', async () => {
  const { model, deployment } = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'wake-me', modelPy: echoModel }),
  });
  await t.waitForStatus(model.id, deployment.id, 'SCALED_TO_ZERO');
  const woken = await t.call('POST', `/inference/${model.id}/production/wake`);
  expect(woken.status).toBe(202);
  expect(await statusesUntil(model.id, deployment.id, 'ACTIVE')).toEqual(['WAKING_UP', 'LOADING_MODEL', 'ACTIVE']);
});

test('a prediction to a scaled-to-zero deployment waits for the cold start and is answered', async () => {
  const { model, deployment } = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'cold', modelPy: echoModel }),
  });
  await t.waitForStatus(model.id, deployment.id, 'SCALED_TO_ZERO');
  const answer = await t.call('POST', `/inference/${model.id}/deployment/${deployment.id}/predict`, { cold: true });
  expect(answer.status).toBe(200);
  expect(answer.body).toEqual({ echo: { cold: true } });
  const logs = await t.call('GET', `/v1/models/${model.id}/deployments/${deployment.id}/logs`);
  expect(JSON.stringify(logs.body)).toContain('Deployment status: WAKING_UP');
});

test('min_replica 1 set through the autoscaling settings keeps the deployment from scaling to zero', async () => {
  const { model, deployment } = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'warm', modelPy: echoModel }),
  });
  const patched = await t.call('PATCH', `/v1/models/${model.id}/deployments/${deployment.id}/autoscaling_settings`, {
    min_replica: 1,
  });
  expect(patched.body).toMatchObject({ status: 'ACCEPTED' });
  const unchanged = await t.call('PATCH', `/v1/models/${model.id}/deployments/${deployment.id}/autoscaling_settings`, {
    min_replica: 1,
  });
  expect(unchanged.body).toMatchObject({ status: 'UNCHANGED' });
  await t.waitForStatus(model.id, deployment.id, 'ACTIVE');
  // A sibling pushed at the same time, without min_replica, scales to zero meanwhile.
  const sibling = await t.control.createDeployment({
    trussDir: writeTruss({ modelName: 'warm', modelPy: echoModel }),
    modelName: 'warm',
  });
  await t.waitForStatus(model.id, sibling.deployment.id, 'SCALED_TO_ZERO');
  expect(await t.getDeployment(model.id, deployment.id)).toMatchObject({
    status: 'ACTIVE',
    autoscaling_settings: { min_replica: 1 },
  });
});

test('after a restart, deployments that were serving come back SCALED_TO_ZERO and wake on demand', async () => {
  const restartKey = testApiKey('restart');
  const first = await startTestEmulator({ stateDir: t.emulator.stateDir + '-restart', apiKey: restartKey });
  const { model, deployment } = await first.control.createDeployment({
    trussDir: writeTruss({ modelName: 'durable', modelPy: echoModel }),
  });
  await first.waitForStatus(model.id, deployment.id, 'ACTIVE');
  await first.close();

  const second = await startTestEmulator({ stateDir: first.emulator.stateDir, apiKey: restartKey });
  try {
    expect(await second.getDeployment(model.id, deployment.id)).toMatchObject({
      status: 'SCALED_TO_ZERO',
      is_production: true,
    });
    const answer = await second.call('POST', `/inference/${model.id}/production/predict`, 'back');
    expect(answer.body).toEqual({ echo: 'back' });
  } finally {
    await second.close();
    rmSync(first.emulator.stateDir, { recursive: true, force: true });
  }
});
