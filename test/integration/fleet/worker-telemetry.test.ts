import type { Worker } from '@temporalio/worker';
import { request } from 'undici';
import type { NotificationPayload } from '../../../src/activities/notify';
import { freePort } from '../../../src/temporal/dev-server';
import { validationSpecSchema } from '../../../src/validation/schema';
import type { deployModel } from '../../../src/workflows/deploy';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { fleetWorkerEnv } from '../../support/fleet-worker';
import { expectNoSecretInHistory } from '../../support/history-scan';
import { sendJson, startHttpTestServer, type HttpTestServer } from '../../support/http-test-server';
import { assertNoSecretIn, testApiKey } from '../../support/secrets';
import { connectTemporal, uniqueId, type TemporalTestContext } from '../../support/temporal';
import { waitFor } from '../../support/wait-for';
import { startWorkerProcess, stopProcess, type WorkerProcess } from '../../support/worker-process';
import { createEmulatorPushWorker } from '../release/emulator-push';
import { releaseInput } from '../release/release-harness';

/**
 * The real `baseten-cd worker` process with BASETEN_CD_METRICS_PORT and BASETEN_CD_WEBHOOK_URL set (a child
 * process: Temporal's Core runtime, which serves the metrics, is one per process), real releases through it,
 * a real HTTP receiver for the notifications, and a scrape of its Prometheus endpoint.
 */
describe('the fleet worker: notifications and metrics', () => {
  let temporal: TemporalTestContext;
  let emu: TestEmulator;
  let receiver: HttpTestServer;
  let worker: WorkerProcess;
  let pushWorker: Worker;
  let pushRun: Promise<void>;
  let metricsPort: number;
  const taskQueue = uniqueId('fleet-telemetry');
  const pushTaskQueue = uniqueId('push-telemetry');
  const uiUrl = 'http://temporal-ui.test:8080';
  // The webhook URL usually embeds a token: a secret, so it carries the marker the scans look for.
  const hookPath = `/hooks/${testApiKey('webhook-token')}`;

  beforeAll(async () => {
    temporal = await connectTemporal();
    emu = await startTestEmulator();
    receiver = await startHttpTestServer((_req, res) => sendJson(res, 200, { ok: true }));
    metricsPort = await freePort();
    worker = await startWorkerProcess({
      ...fleetWorkerEnv(emu.emulator, taskQueue),
      BASETEN_CD_METRICS_PORT: String(metricsPort),
      BASETEN_CD_WEBHOOK_URL: `${receiver.url}${hookPath}`,
      TEMPORAL_UI_URL: uiUrl,
    });
    pushWorker = await createEmulatorPushWorker(temporal.nativeConnection, emu.control, pushTaskQueue);
    pushRun = pushWorker.run();
  }, 120_000);

  afterAll(async () => {
    pushWorker?.shutdown();
    await pushRun;
    if (worker) await stopProcess(worker.child);
    await receiver?.close();
    await emu?.close();
    await temporal?.close();
  });

  async function release(modelName: string, overrides: Parameters<typeof releaseInput>[1] = {}) {
    const handle = await temporal.client.workflow.start<typeof deployModel>('deployModel', {
      args: [releaseInput(pushTaskQueue, { modelName, ...overrides })],
      taskQueue,
      workflowId: uniqueId(`release-${modelName}`),
    });
    return { handle, result: await handle.result() };
  }

  const posts = (model: string) =>
    receiver.requests.filter((r) => r.method === 'POST' && (r.json() as NotificationPayload).model === model);

  it('POSTs a Slack-compatible JSON notification when a release promotes', async () => {
    const model = uniqueId('notify-promoted');
    const { handle, result } = await release(model);
    expect(result.status).toBe('promoted');

    const [post, ...more] = posts(model);
    expect(more).toHaveLength(0);
    expect(post?.path).toBe(hookPath);
    expect(post?.headers['content-type']).toBe('application/json');
    const body = post?.json() as NotificationPayload;
    expect(body).toMatchObject({
      kind: 'promoted',
      model,
      environment: 'production',
      modelId: result.modelId,
      deploymentId: result.candidateDeploymentId,
      productionDeploymentId: result.candidateDeploymentId,
      workflowId: handle.workflowId,
      runId: handle.firstExecutionRunId,
      namespace: 'default',
      uiUrl: `${uiUrl}/namespaces/default/workflows/${handle.workflowId}/${handle.firstExecutionRunId}/history`,
    });
    expect(body.text).toContain(`${model}: promoted deployment ${result.candidateDeploymentId} to production`);
    expect(body.text).toContain(body.uiUrl);
    assertNoSecretIn('the webhook body', post?.body ?? '');
    // Neither the API key nor the webhook URL is anywhere in the release's history.
    await expectNoSecretInHistory(handle, { mustSee: model });
  });

  it('notifies a rejected release with its reason', async () => {
    const model = uniqueId('notify-rejected');
    const validation = validationSpecSchema.parse({
      cases: [{ name: 'wrong', input: { text: 'a b' }, expect: { values: [{ path: 'word_count', equals: 9 }] } }],
    });
    const { result } = await release(model, { validation });
    expect(result.status).toBe('rejected');
    const bodies = posts(model).map((p) => p.json() as NotificationPayload);
    expect(bodies).toEqual([
      expect.objectContaining({
        kind: 'rejected',
        model,
        reason: result.reason,
        deploymentId: result.candidateDeploymentId,
      }),
    ]);
    expect(bodies[0]?.text).toContain('rejected');
  });

  it('still promotes when the receiver answers 500: the notification is retried, then given up', async () => {
    receiver.handle((_req, res) => sendJson(res, 500, { error: 'receiver broken' }));
    try {
      const model = uniqueId('notify-broken');
      const { result } = await release(model);
      expect(result.status).toBe('promoted');
      expect(posts(model).length).toBeGreaterThan(1);
    } finally {
      receiver.handle((_req, res) => sendJson(res, 200, { ok: true }));
    }
  }, 120_000);

  it("serves Temporal's worker metrics and the release counter by outcome on the metrics port", async () => {
    const scrape = async () => {
      const response = await request(`http://127.0.0.1:${metricsPort}/metrics`, { headersTimeout: 10_000 });
      return response.body.text();
    };
    const metrics = await waitFor(
      'the metrics endpoint to count the releases',
      async () => {
        const text = await scrape();
        return /baseten_cd_releases\{[^}]*outcome="rejected"/.test(text) && text;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(metrics).toMatch(/^temporal_\w+/m);
    expect(metrics).toMatch(/temporal_workflow_completed\{[^}]*workflow_type="deployModel"/);
    const releases = (outcome: string) =>
      metrics
        .split('\n')
        .filter((line) => line.startsWith('baseten_cd_releases') && line.includes(`outcome="${outcome}"`))
        .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
    expect(releases('promoted')).toBe(2);
    expect(releases('rejected')).toBe(1);
  });
});
