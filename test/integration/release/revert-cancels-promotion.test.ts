import { approveUpdate, progressQuery } from '../../../src/workflows/messages';
import { validationSpecSchema } from '../../../src/validation/schema';
import { waitForStage } from '../../support/release-stage';
import { answeringModel, loadGate, writeTruss } from '../../support/trusses';
import { uniqueId } from '../../support/temporal';
import { startReleaseHarness, type ReleaseHarness } from './release-harness';

const answers = validationSpecSchema.parse({
  warmup: { requests: 1, timeout: '1m' },
  cases: [{ name: 'answers', input: { text: 'hi' } }],
});

// A revert must not leave a promotion in progress behind: promoting the development deployment builds a new
// deployment that becomes production once it is ACTIVE, so a release that gives up on that build must cancel it.
describe('a release that reverts while its promotion is still in progress', () => {
  let h: ReleaseHarness;
  beforeAll(async () => {
    h = await startReleaseHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('cancels the promotion, and production stays on the previous deployment once the build finishes', async () => {
    const model = uniqueId('pending');
    const previous = await h.seed(model);
    const gate = loadGate();
    gate.open();
    const handle = await h.start({
      modelName: model,
      candidate: { kind: 'development' },
      trussDir: writeTruss({ modelName: model, modelPy: answeringModel('candidate', gate) }),
      validation: answers,
      approval: { required: true, timeoutMs: 120_000 },
      // The deployment the promotion builds gets this long to become ACTIVE.
      timeouts: { buildMs: 4_000, verifyMs: 15_000, prepareMs: 60_000 },
      watch: { enabled: false },
    });
    await waitForStage(handle, 'awaiting-approval');
    // From now on a model load waits at the gate: the promotion's new deployment stays LOADING_MODEL.
    gate.close();
    await handle.executeUpdate(approveUpdate, { args: [{ by: 'test' }] });
    const result = await handle.result();

    expect(result).toMatchObject({ status: 'failed', promotionAttempted: true, reverted: true });
    expect(result.reason).toMatch(/still (BUILDING|DEPLOYING|LOADING_MODEL) after 4 s/);
    const cancels = await h.emu.control.requests({ method: 'POST', path: `/v1/models/${previous.modelId}/` });
    expect(cancels.filter((c) => c.path.endsWith('/cancel_promotion'))).toHaveLength(1);

    // The build finishes after all: it must not become production.
    const built = (await handle.query(progressQuery)).productionDeploymentId ?? '';
    gate.open();
    await h.emu.waitForStatus(previous.modelId, built, 'ACTIVE');
    expect(await h.emu.productionOf(previous.modelId)).toBe(previous.deploymentId);
  }, 180_000);
});
