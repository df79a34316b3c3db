import { validationSpecSchema } from '../../../src/validation/schema';
import { activityAttempts } from '../../support/history-events';
import { expectNoSecretInHistory } from '../../support/history-scan';
import { recordHistory } from './histories';
import { startReleaseHarness, type ReleaseHarness } from './release-harness';

describe('deployModel on a real Temporal server and the emulator', () => {
  let h: ReleaseHarness;
  beforeAll(async () => {
    h = await startReleaseHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('promotes a published candidate and verifies that production serves it', async () => {
    const previous = await h.seed('tt-published');
    const handle = await h.start({ modelName: 'tt-published', gitCommit: 'abc123' });
    const result = await handle.result();

    expect(result).toMatchObject({
      status: 'promoted',
      modelId: previous.modelId,
      previousProductionDeploymentId: previous.deploymentId,
    });
    expect(result.candidateDeploymentId).not.toBe(previous.deploymentId);
    expect(result.productionDeploymentId).toBe(result.candidateDeploymentId);
    expect(result.validation?.passed).toBe(true);
    expect(await h.emu.productionOf(previous.modelId)).toBe(result.candidateDeploymentId);
    expect(await h.emu.promoteCalls(previous.modelId)).toHaveLength(1);
    await recordHistory(handle, 'published-promoted');
  });

  it('a first release has nothing to revert to: the first deployment becomes production by itself', async () => {
    const result = await (await h.start()).result();
    expect(result.status).toBe('promoted');
    expect(result.previousProductionDeploymentId).toBeUndefined();
    expect(await h.emu.productionOf(result.modelId ?? '')).toBe(result.candidateDeploymentId);
    expect(await h.emu.promoteCalls(result.modelId ?? '')).toHaveLength(0);
  });

  it('promotes a development candidate: the promotion builds a new deployment, which becomes production', async () => {
    const previous = await h.seed('tt-development');
    const result = await (await h.start({ modelName: 'tt-development', candidate: { kind: 'development' } })).result();

    expect(result.status).toBe('promoted');
    expect(result.productionDeploymentId).toBeDefined();
    expect(result.productionDeploymentId).not.toBe(result.candidateDeploymentId);
    expect(result.productionDeploymentId).not.toBe(previous.deploymentId);
    expect(await h.emu.productionOf(previous.modelId)).toBe(result.productionDeploymentId);
    const promotes = await h.emu.promoteCalls(previous.modelId);
    expect(promotes.map((r) => r.path)).toEqual([`/v1/models/${previous.modelId}/deployments/development/promote`]);
  });

  it('promotes a candidate pushed into staging through the environment promote endpoint', async () => {
    const previous = await h.seed('tt-staging');
    const result = await (
      await h.start({ modelName: 'tt-staging', candidate: { kind: 'environment', name: 'staging' } })
    ).result();

    expect(result.status).toBe('promoted');
    expect(await h.emu.productionOf(previous.modelId)).toBe(result.candidateDeploymentId);
    const promotes = await h.emu.promoteCalls(previous.modelId);
    expect(promotes.map((r) => r.path)).toEqual([`/v1/models/${previous.modelId}/environments/production/promote`]);
  });

  it('rejects a candidate that fails validation without touching production, and deactivates it on request', async () => {
    const previous = await h.seed('tt-rejected');
    const validation = validationSpecSchema.parse({
      cases: [
        { name: 'too many words', input: { text: 'a b c' }, expect: { values: [{ path: 'word_count', equals: 99 }] } },
      ],
    });
    const handle = await h.start({ modelName: 'tt-rejected', validation, cleanupOnReject: true });
    const result = await handle.result();

    expect(result.status).toBe('rejected');
    expect(result.reason).toMatch(/^validation failed: .*word_count/);
    expect(result.reason).toMatch(/deactivated/);
    expect(result.validation?.passed).toBe(false);
    expect(await h.emu.productionOf(previous.modelId)).toBe(previous.deploymentId);
    expect(await h.emu.promoteCalls(previous.modelId)).toHaveLength(0);
    await h.emu.waitForStatus(previous.modelId, result.candidateDeploymentId ?? '', 'INACTIVE');
    await recordHistory(handle, 'validation-rejected');
  });

  it('fails fast in the building stage when the candidate does not build, naming the status', async () => {
    const previous = await h.seed('tt-build-failure');
    await h.emu.control.failNextBuild('ERROR: No matching distribution found for nosuchpackage==9.9');
    const handle = await h.start({ modelName: 'tt-build-failure' });
    const result = await handle.result();

    expect(result).toMatchObject({ status: 'failed', failedStage: 'building', reverted: false });
    expect(result.reason).toMatch(/BUILD_FAILED/);
    expect(result.reason).toMatch(/nosuchpackage/);
    // Fast means final: the wait for ACTIVE gave up at the failure status, on its first attempt, with no retry.
    expect(activityAttempts(await handle.fetchHistory(), 'awaitDeploymentActive')).toEqual([1]);
    expect(await h.emu.productionOf(previous.modelId)).toBe(previous.deploymentId);
  });

  it('never writes the Baseten API key into any workflow history', async () => {
    expect(h.handles.length).toBeGreaterThanOrEqual(6);
    for (const handle of h.handles) await expectNoSecretInHistory(handle, { mustSee: 'text-transform' });
  });
});
