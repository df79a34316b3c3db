import { approveUpdate, progressQuery } from '../../../src/workflows/messages';
import { expectNoSecretInHistory } from '../../support/history-scan';
import { waitForStage } from '../../support/release-stage';
import { startReleaseHarness, type ReleaseHarness } from './release-harness';

// Baseten scales an idle deployment with the default autoscaling to zero (after 15 minutes): a candidate waiting at
// the approval gate for longer is scaled to zero when it is approved. That is not a failure.
describe('a candidate that scaled to zero while it waited for approval', () => {
  let h: ReleaseHarness;
  beforeAll(async () => {
    h = await startReleaseHarness({ emulator: { scaleToZeroAfterMs: 1_500 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is woken, promoted and verified, not reverted', async () => {
    const previous = await h.seed('tt-cold-candidate');
    const handle = await h.start({
      modelName: 'tt-cold-candidate',
      approval: { required: true, timeoutMs: 120_000 },
    });
    await waitForStage(handle, 'awaiting-approval');
    const { candidateDeploymentId = '' } = await handle.query(progressQuery);
    await h.emu.waitForStatus(previous.modelId, candidateDeploymentId, 'SCALED_TO_ZERO');

    await handle.executeUpdate(approveUpdate, { args: [{ by: 'late reviewer' }] });
    const result = await handle.result();

    expect(result).toMatchObject({ status: 'promoted', productionDeploymentId: candidateDeploymentId });
    expect(await h.emu.productionOf(previous.modelId)).toBe(candidateDeploymentId);
    expect(await h.emu.promoteCalls(previous.modelId)).toHaveLength(1);
    // It was woken from zero before it took production's traffic, not promoted cold.
    const logs = await h.emu.call('GET', `/v1/models/${previous.modelId}/deployments/${candidateDeploymentId}/logs`);
    const lines = (logs.body as { logs: Array<{ message: string }> }).logs.map((l) => l.message);
    const scaled = lines.indexOf('Deployment status: SCALED_TO_ZERO');
    const active = lines.indexOf('Deployment status: ACTIVE', scaled);
    expect(scaled).toBeGreaterThan(-1);
    expect(lines.indexOf('Deployment status: WAKING_UP', scaled)).toBeGreaterThan(scaled);
    expect(lines.indexOf('Promoted to production')).toBeGreaterThan(active);
    await expectNoSecretInHistory(handle, { mustSee: 'text-transform' });
  });
});
