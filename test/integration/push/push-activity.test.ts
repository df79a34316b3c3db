import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createPushActivities, type PushHeartbeat } from '../../../src/activities/push';
import type { PushInput } from '../../../src/activities/push-types';
import { prepareTrussEnvironment } from '../../../src/emulator/push/truss-env';
import { trussCliPath } from '../../../src/tools/paths';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { assertNoSecretIn } from '../../support/secrets';
import { uniqueId } from '../../support/temporal';
import { copyExample } from '../../support/trusses';
import { quietActivityEnvironment, runActivity, runCli } from './support';

/** The push activity driving the real truss CLI (and SDK) against a real emulator. */
describe('push activity', () => {
  let te: TestEmulator;
  let work: string;
  let trussEnv: Record<string, string>;
  let activities: ReturnType<typeof createPushActivities>;

  beforeAll(async () => {
    te = await startTestEmulator();
    work = await mkdtemp(path.join(tmpdir(), 'push-activity-'));
    trussEnv = await prepareTrussEnvironment(te.emulator, work);
    activities = createPushActivities({ trussCliPath: trussCliPath(), remote: 'local', env: trussEnv });
  });
  afterAll(async () => {
    await te?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('pushes a published candidate and returns its ids, heartbeating truss progress', async () => {
    const env = quietActivityEnvironment();
    const beats: PushHeartbeat[] = [];
    env.on('heartbeat', (beat: PushHeartbeat) => beats.push(beat));
    const modelName = uniqueId('tt');
    const input: PushInput = {
      trussDir: copyExample('text-transform'),
      modelName,
      candidate: { kind: 'published' },
      labels: { pipeline: 'ci' },
      gitCommit: '0123abcd',
    };

    const result = await runActivity(env, activities.pushCandidate, input);

    expect(result).toEqual({
      modelId: expect.any(String) as unknown,
      deploymentId: expect.any(String) as unknown,
      modelName,
      candidate: { kind: 'published' },
    });
    const deployment = await te.waitForStatus(result.modelId, result.deploymentId, 'ACTIVE');
    expect(deployment.labels).toEqual({ pipeline: 'ci', git_commit: '0123abcd' });
    expect(beats.map((b) => b.line)).toContain(
      'Deploying as a published deployment. Use --watch for a development deployment.',
    );
    assertNoSecretIn('the push heartbeats', JSON.stringify(beats));
  });

  it('creates a development deployment that truss predict --model reaches', async () => {
    const input: PushInput = { trussDir: copyExample('text-transform'), candidate: { kind: 'development' } };
    const result = await runActivity(quietActivityEnvironment(), activities.pushCandidate, input);

    expect(result.modelName).toBe('text-transform');
    const deployment = await te.waitForStatus(result.modelId, result.deploymentId, 'ACTIVE');
    expect(deployment).toMatchObject({ is_development: true, is_production: false });

    // truss predict --model calls the model's /development/predict (its documented quirk).
    const predicted = await runCli(
      trussCliPath(),
      ['predict', '--remote', 'local', '--model', result.modelId, '-d', '{"text": "via truss predict"}'],
      { ...process.env, ...trussEnv },
    );
    expect(predicted.code).toBe(0);
    expect(predicted.stdout).toContain(`Calling predict on development deployment ID ${result.deploymentId}`);
    expect(predicted.stdout).toMatch(/"upper":\s*"VIA TRUSS PREDICT"/);
  });

  it('pushes an environment candidate into that environment', async () => {
    const input: PushInput = {
      trussDir: copyExample('text-transform'),
      modelName: uniqueId('tt'),
      candidate: { kind: 'environment', name: 'staging' },
    };
    const result = await runActivity(quietActivityEnvironment(), activities.pushCandidate, input);
    await te.waitForStatus(result.modelId, result.deploymentId, 'ACTIVE');
    const staging = await te.call('GET', `/v1/models/${result.modelId}/environments/staging`);
    expect(staging.body).toMatchObject({ current_deployment: { id: result.deploymentId } });
  });
});
