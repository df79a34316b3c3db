import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { copyExample } from './trusses';

let t: TestEmulator;

beforeAll(async () => {
  t = await startTestEmulator();
});

afterAll(async () => {
  await t.close();
});

test('a pushed deployment goes BUILDING → DEPLOYING → LOADING_MODEL → ACTIVE and serves the model', async () => {
  const { model, deployment } = await t.control.createDeployment({ trussDir: copyExample('text-transform') });
  expect(deployment.status).toBe('BUILDING');
  expect(deployment.autoscaling_settings).toBeNull();
  const seen = new Set<string>();
  for (;;) {
    const dep = await t.getDeployment(model.id, deployment.id);
    seen.add(dep.status);
    if (dep.status === 'ACTIVE') break;
    expect(['BUILDING', 'DEPLOYING', 'LOADING_MODEL']).toContain(dep.status);
    await new Promise((r) => setTimeout(r, 10));
  }
  expect([...seen]).toEqual(expect.arrayContaining(['BUILDING', 'DEPLOYING', 'ACTIVE']));
  const active = await t.getDeployment(model.id, deployment.id);
  expect(active.autoscaling_settings).toMatchObject({ min_replica: 0, scale_down_delay: 900 });
  expect(active.is_production).toBe(true);

  const result = await t.call('POST', `/inference/${model.id}/production/predict`, { text: '  hi   there ' });
  expect(result.status).toBe(200);
  expect(result.body).toEqual({ text: 'hi there', upper: 'HI THERE', word_count: 2, postprocessed: true });
  expect(result.headers['x-baseten-request-id']).toEqual(expect.any(String));
});
