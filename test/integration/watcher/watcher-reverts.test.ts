import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { validationSpecSchema } from '../../../src/validation/schema';
import { startReleaseHarness, type ReleaseHarness } from '../release/release-harness';
import { tempDir } from '../../support/temp-dirs';
import { uniqueId } from '../../support/temporal';
import {
  fastWatch,
  probeFailingTruss,
  productionAnswer,
  release,
  sendTraffic,
  twoVersions,
  watcherWhen,
} from './watcher-harness';

// Each way production turns bad, on the emulator with real model processes and real traffic: the watcher decides
// from what it observes (status, the metrics endpoint, the probe) and reverts onto capacity.
describe('the production watcher reverts production when it turns bad', () => {
  let h: ReleaseHarness;
  beforeAll(async () => {
    h = await startReleaseHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  async function reverted(model: string) {
    return watcherWhen(h.temporal.client, model, 'the revert', (s) => s.incidents.at(-1)?.outcome === 'reverted');
  }

  it('UNHEALTHY: reverts to the previous deployment, woken from zero first', async () => {
    const { model, modelId, v1, v2 } = await twoVersions(h, 'unhealthy');
    // The promotion scaled the previous deployment to zero (Baseten's default cleanup).
    await h.emu.waitForStatus(modelId, v1, 'SCALED_TO_ZERO');
    await h.emu.control.makeUnhealthy(v2);
    const state = await reverted(model);

    expect(state).toMatchObject({ stage: 'reverted', watchedDeploymentId: v1 });
    expect(state.incidents.at(-1)).toMatchObject({ kind: 'automatic', from: v2, to: v1 });
    expect(state.incidents.at(-1)?.reason).toContain('status UNHEALTHY');
    expect(await h.emu.productionOf(modelId)).toBe(v1);
    expect(await productionAnswer(h, modelId)).toEqual({ from: 'v1' });
    // Woken and ACTIVE before it was promoted back, so production never pointed at a cold deployment.
    const logs = await h.emu.call('GET', `/v1/models/${modelId}/deployments/${v1}/logs`);
    const lines = (logs.body as { logs: Array<{ message: string }> }).logs.map((l) => l.message);
    const wake = lines.lastIndexOf('Deployment status: WAKING_UP');
    expect(wake).toBeGreaterThan(-1);
    expect(lines.indexOf('Deployment status: ACTIVE', wake)).toBeLessThan(lines.lastIndexOf('Promoted to production'));
  }, 180_000);

  it('FAILED: reverts to the previous deployment', async () => {
    const { model, modelId, v2 } = await twoVersions(h, 'failed');
    await h.emu.control.fail(v2, 'the node went away');
    const state = await reverted(model);
    expect(state.incidents.at(-1)?.reason).toContain('status FAILED');
    expect(await productionAnswer(h, modelId)).toEqual({ from: 'v1' });
  }, 180_000);

  it('activates an INACTIVE previous deployment, then promotes it', async () => {
    const model = uniqueId('inactive');
    const v1 = await release(h, model, 'v1');
    const modelId = v1.modelId ?? '';
    // This environment deactivates what it replaces.
    await h.emu.call('PATCH', `/v1/models/${modelId}/environments/production`, {
      promotion_settings: { promotion_cleanup_strategy: 'DEACTIVATE' },
    });
    const v2 = await release(h, model, 'v2');
    const previous = v1.candidateDeploymentId ?? '';
    await h.emu.waitForStatus(modelId, previous, 'INACTIVE');
    await h.emu.control.makeUnhealthy(v2.candidateDeploymentId ?? '');
    await reverted(model);

    const calls = await h.emu.control.requests({
      method: 'POST',
      path: `/v1/models/${modelId}/deployments/${previous}/`,
    });
    const order = calls.map((c) => c.path.split('/').pop());
    expect(order.indexOf('activate')).toBeGreaterThan(-1);
    expect(order.indexOf('activate')).toBeLessThan(order.lastIndexOf('promote'));
    expect(await productionAnswer(h, modelId)).toEqual({ from: 'v1' });
  }, 180_000);

  it('an error rate of real traffic over the limit: decided from the metrics endpoint', async () => {
    const { model, modelId, v2 } = await twoVersions(h, 'errors');
    const traffic = sendTraffic(h, modelId);
    try {
      // A fifth of requests fail: too few for the emulator to call the deployment UNHEALTHY, too many for us.
      await h.emu.control.setPredictionFaults(v2, { errorRate: 0.2 });
      const state = await reverted(model);
      const reason = state.incidents.at(-1)?.reason ?? '';
      expect(reason).toMatch(/^5xx share \d+(\.\d+)?% of \d+ requests over the last \d+ s, over 5%$/);
      expect(state.incidents.at(-1)?.evidence.every((o) => o.status === 'ACTIVE')).toBe(true);
    } finally {
      await traffic.stop();
    }
    expect(await productionAnswer(h, modelId)).toEqual({ from: 'v1' });
  }, 180_000);

  it('a p95 over maxP95: decided from the metrics endpoint', async () => {
    const { model, modelId, v2 } = await twoVersions(h, 'slow', { watch: { ...fastWatch, maxP95Ms: 200 } });
    const traffic = sendTraffic(h, modelId);
    try {
      await h.emu.control.setPredictionFaults(v2, { latencyMs: 400 });
      const state = await reverted(model);
      expect(state.incidents.at(-1)?.reason).toMatch(/^p95 \d+ ms over the last \d+ s, over 200 ms$/);
    } finally {
      await traffic.stop();
    }
    expect(await productionAnswer(h, modelId)).toEqual({ from: 'v1' });
  }, 180_000);

  it('a failing probe: reverts although the status and the (absent) traffic look fine', async () => {
    const model = uniqueId('probe');
    const broken = path.join(tempDir('probe'), 'broken');
    const validation = validationSpecSchema.parse({
      warmup: { requests: 1, timeout: '1m' },
      cases: [
        { name: 'answers', input: { text: 'hi' } },
        { name: 'probe', input: { probe: true } },
      ],
      watch: { probe: { case: 'probe', maxLatency: '5s' } },
    });
    const options = { validation };
    const v1 = await h.start({
      modelName: model,
      trussDir: probeFailingTruss(model, 'v1', broken),
      watch: fastWatch,
      ...options,
    });
    await v1.result();
    const v2 = await (
      await h.start({
        modelName: model,
        trussDir: probeFailingTruss(model, 'v2', `${broken}-v2`),
        watch: fastWatch,
        ...options,
      })
    ).result();
    expect(v2.status).toBe('promoted');
    writeFileSync(`${broken}-v2`, '');
    const state = await reverted(model);
    expect(state.incidents.at(-1)?.reason).toContain('probe failed: smoke case "probe" on production: HTTP 500');
    expect(await productionAnswer(h, v2.modelId ?? '')).toEqual({ from: 'v1' });
  }, 180_000);
});
