import { WorkflowUpdateFailedError } from '@temporalio/client';
import { approveUpdate, progressQuery, rejectUpdate } from '../../../src/workflows/messages';
import { expectNoSecretInHistory } from '../../support/history-scan';
import { recordHistory } from './histories';
import { waitForStage } from '../../support/release-stage';
import { startReleaseHarness, type ReleaseHarness } from './release-harness';

describe('deployModel approval gate and revert', () => {
  let h: ReleaseHarness;
  beforeAll(async () => {
    h = await startReleaseHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  const gated = { approval: { required: true, timeoutMs: 60_000 } } as const;

  it('waits at the gate and promotes once approved', async () => {
    const previous = await h.seed('tt-approved');
    const handle = await h.start({ modelName: 'tt-approved', ...gated });
    await waitForStage(handle, 'awaiting-approval');
    const progress = await handle.query(progressQuery);
    expect(progress.approvalDeadline).toBeGreaterThan(Date.now());
    expect(await h.emu.productionOf(previous.modelId)).toBe(previous.deploymentId);

    const decision = await handle.executeUpdate(approveUpdate, { args: [{ by: 'ana', reason: 'looks good' }] });
    expect(decision).toMatchObject({ approved: true, by: 'ana', reason: 'looks good' });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'promoted', approval: { approved: true, by: 'ana' } });
    expect(await h.emu.productionOf(previous.modelId)).toBe(result.candidateDeploymentId);
  });

  it('refuses an approval sent before the release reaches the gate', async () => {
    const handle = await h.start({ approval: { required: true, timeoutMs: 1000 } });
    // Sent right after the start: the candidate cannot have been pushed, built and validated yet (which of those
    // stages the release is in by then depends on the machine's speed).
    const early = await handle.executeUpdate(approveUpdate, { args: [{ by: 'eager' }] }).catch((err: unknown) => err);
    expect(early).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((early as WorkflowUpdateFailedError).cause?.message).toMatch(
      /^the release is not awaiting approval \(stage: (pushing|building|validating)\)$/,
    );
    // The refused approval left no trace: the gate still times out.
    expect(await handle.result()).toMatchObject({ status: 'rejected', reason: 'not approved within 1 s' });
  });

  it('ends as rejected, without promoting, when a reviewer rejects it', async () => {
    const previous = await h.seed('tt-reviewer-rejects');
    const handle = await h.start({ modelName: 'tt-reviewer-rejects', ...gated });
    await waitForStage(handle, 'awaiting-approval');
    await handle.executeUpdate(rejectUpdate, { args: [{ by: 'ben', reason: 'not during the freeze' }] });
    const result = await handle.result();

    expect(result).toMatchObject({
      status: 'rejected',
      reason: 'rejected at the approval gate by ben: not during the freeze',
      approval: { approved: false, by: 'ben' },
    });
    expect(await h.emu.productionOf(previous.modelId)).toBe(previous.deploymentId);
    expect(await h.emu.promoteCalls(previous.modelId)).toHaveLength(0);
  });

  it('ends as rejected when nobody decides before the gate times out', async () => {
    const previous = await h.seed('tt-gate-timeout');
    const result = await (
      await h.start({ modelName: 'tt-gate-timeout', approval: { required: true, timeoutMs: 2000 } })
    ).result();
    expect(result).toMatchObject({ status: 'rejected', reason: 'not approved within 2 s' });
    expect(result.approval).toBeUndefined();
    expect(await h.emu.promoteCalls(previous.modelId)).toHaveLength(0);
  });

  it('reverts production to the previous deployment when the promoted candidate fails verification', async () => {
    const previous = await h.seed('tt-revert');
    const handle = await h.start({ modelName: 'tt-revert', ...gated });
    await waitForStage(handle, 'awaiting-approval');
    const { candidateDeploymentId } = await handle.query(progressQuery);
    // Validation passed; from now on every prediction of the candidate fails.
    await h.emu.control.setPredictionFaults(candidateDeploymentId ?? '', { errorRate: 1 });
    await handle.executeUpdate(approveUpdate, { args: [{ by: 'ana' }] });
    const second = await handle.executeUpdate(approveUpdate, { args: [{}] }).catch((err: unknown) => err);
    expect((second as WorkflowUpdateFailedError).cause?.message).toBe('the approval gate has already decided');

    const result = await handle.result();
    expect(result).toMatchObject({
      status: 'failed',
      failedStage: 'verifying',
      reverted: true,
      previousProductionDeploymentId: previous.deploymentId,
      productionDeploymentId: previous.deploymentId,
    });
    expect(result.reason).toMatch(/HTTP 500, expected 200/);
    expect(result.reason).toMatch(new RegExp(`production reverted to ${previous.deploymentId}$`));
    expect(await h.emu.productionOf(previous.modelId)).toBe(previous.deploymentId);
    expect((await h.emu.getDeployment(previous.modelId, previous.deploymentId)).status).toBe('ACTIVE');
    // Promoted once, reverted once.
    expect(await h.emu.promoteCalls(previous.modelId)).toHaveLength(2);
    await recordHistory(handle, 'verification-reverted');
  });

  it('never writes the Baseten API key into any workflow history', async () => {
    expect(h.handles.length).toBeGreaterThan(0);
    for (const handle of h.handles) await expectNoSecretInHistory(handle, { mustSee: 'text-transform' });
  });
});
