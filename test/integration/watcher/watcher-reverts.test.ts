import { startReleaseHarness, type ReleaseHarness } from '../release/release-harness';
import { uniqueId } from '../../support/temporal';
import { productionAnswer, release, watcherWhen } from './watcher-harness';

describe('the production watcher on the emulator, with real model processes', () => {
  let h: ReleaseHarness;
  beforeAll(async () => {
    h = await startReleaseHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('reverts an UNHEALTHY production to the previous deployment, waking it from zero first', async () => {
    const model = uniqueId('unhealthy');
    const v1 = await release(h, model, 'v1');
    const v2 = await release(h, model, 'v2');
    expect(v2).toMatchObject({ status: 'promoted', previousProductionDeploymentId: v1.candidateDeploymentId });
    const modelId = v2.modelId ?? '';
    const previous = v1.candidateDeploymentId ?? '';
    // The promotion scaled the previous deployment to zero (Baseten's default cleanup).
    await h.emu.waitForStatus(modelId, previous, 'SCALED_TO_ZERO');
    await watcherWhen(
      h.temporal.client,
      model,
      'the watcher on v2',
      (s) => s.watchedDeploymentId === v2.candidateDeploymentId,
    );

    await h.emu.control.makeUnhealthy(v2.candidateDeploymentId ?? '');
    const state = await watcherWhen(
      h.temporal.client,
      model,
      'the revert',
      (s) => s.incidents.at(-1)?.outcome === 'reverted',
    );

    expect(state).toMatchObject({ stage: 'reverted', watchedDeploymentId: previous });
    expect(state.incidents.at(-1)).toMatchObject({ kind: 'automatic', from: v2.candidateDeploymentId, to: previous });
    expect(state.incidents.at(-1)?.reason).toContain('status UNHEALTHY');
    expect(await h.emu.productionOf(modelId)).toBe(previous);
    expect(await productionAnswer(h, modelId)).toEqual({ from: 'v1' });
  }, 180_000);
});
