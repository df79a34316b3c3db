import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { watcherWorkflowId } from '../../../src/common/workflow-ids';
import { temporalCliPath } from '../../../src/tools/paths';
import { pauseUpdate, resumeUpdate, rollbackUpdate, stateQuery } from '../../../src/workflows/messages';
import type { watchProduction } from '../../../src/workflows/watch';
import { startReleaseHarness, type ReleaseHarness } from '../release/release-harness';
import { temporalAddress, uniqueId } from '../../support/temporal';
import { waitFor } from '../../support/wait-for';
import { productionAnswer, release, twoVersions, watcherWhen } from './watcher-harness';

const run = promisify(execFile);

// Operating a watcher: pause and resume, rollback as an update and as a plain signal from the real temporal CLI,
// and how a watcher ends (a newer release, or someone changing production outside baseten-cd).
describe('operating the production watcher', () => {
  let h: ReleaseHarness;
  beforeAll(async () => {
    h = await startReleaseHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('does not revert while paused, goes on observing, and reverts once resumed', async () => {
    const { model, modelId, v1, v2, watcher } = await twoVersions(h, 'paused');
    const paused = await watcher.executeUpdate(pauseUpdate, { args: [{ reason: 'load test', by: 'ana' }] });
    expect(paused).toMatchObject({ stage: 'paused', mode: 'paused' });
    await h.emu.control.makeUnhealthy(v2);
    const seen = await watcherWhen(h.temporal.client, model, 'the bad run seen while paused', (s) =>
      s.incidents.some((i) => i.outcome === 'suppressed-while-paused'),
    );
    expect(seen.lastObservations.at(-1)).toMatchObject({ status: 'UNHEALTHY', bad: true });
    expect(await h.emu.productionOf(modelId)).toBe(v2);

    await watcher.executeUpdate(resumeUpdate, { args: [{ by: 'ana' }] });
    await watcherWhen(
      h.temporal.client,
      model,
      'the revert after resume',
      (s) => s.incidents.at(-1)?.outcome === 'reverted',
    );
    expect(await h.emu.productionOf(modelId)).toBe(v1);
  }, 180_000);

  it('rolls back to a named deployment on request, and answers once production serves it', async () => {
    const model = uniqueId('named');
    const v1 = await release(h, model, 'v1');
    await release(h, model, 'v2');
    const v3 = await release(h, model, 'v3');
    const watcher = h.temporal.client.workflow.getHandle<typeof watchProduction>(
      watcherWorkflowId(model, 'production'),
    );
    const state = await watcher.executeUpdate(rollbackUpdate, {
      args: [{ reason: 'v2 and v3 mislabel', to: v1.candidateDeploymentId, by: 'oncall' }],
    });
    expect(state).toMatchObject({ stage: 'reverted', watchedDeploymentId: v1.candidateDeploymentId });
    expect(state.incidents.at(-1)).toMatchObject({
      kind: 'manual',
      requestedBy: 'oncall',
      from: v3.candidateDeploymentId,
    });
    expect(await productionAnswer(h, v3.modelId ?? '')).toEqual({ from: 'v1' });
  }, 180_000);

  it('takes a plain rollback signal from the temporal CLI, and records a bad one without stopping', async () => {
    const { model, modelId, v1, watcher } = await twoVersions(h, 'signal');
    const signal = (input: string) =>
      run(temporalCliPath(), [
        'workflow',
        'signal',
        '--address',
        temporalAddress(),
        '--workflow-id',
        watcher.workflowId,
        '--name',
        'rollback',
        '--input',
        input,
      ]);
    await signal('{"reason": 42}');
    const rejected = await watcherWhen(
      h.temporal.client,
      model,
      'the rejected signal',
      (s) => s.rejectedSignals.length > 0,
    );
    expect(rejected.rejectedSignals.at(-1)?.problem).toBe('"reason" is required (a non-empty string)');
    expect((await watcher.describe()).status.name).toBe('RUNNING');

    await signal('{"reason": "from the pager"}');
    const state = await watcherWhen(
      h.temporal.client,
      model,
      'the revert',
      (s) => s.incidents.at(-1)?.outcome === 'reverted',
    );
    expect(state.incidents.at(-1)).toMatchObject({ kind: 'manual', reason: 'from the pager', to: v1 });
    expect(await h.emu.productionOf(modelId)).toBe(v1);
  }, 180_000);

  it('a newer release supersedes the watcher, and exactly one watcher runs afterwards', async () => {
    const { model, v2, watcher } = await twoVersions(h, 'supersede');
    const oldRun = (await watcher.describe()).runId;
    const v3 = await release(h, model, 'v3');
    expect(v3).toMatchObject({ status: 'promoted', watcherId: watcher.workflowId });

    const ended = await h.temporal.client.workflow
      .getHandle<typeof watchProduction>(watcher.workflowId, oldRun)
      .result();
    expect(ended).toMatchObject({
      stage: 'superseded',
      endedBecause: 'superseded-by-release',
      watchedDeploymentId: v2,
    });
    const running = await waitFor('the watchers of the model to be listed', async () => {
      const ids: string[] = [];
      for await (const w of h.temporal.client.workflow.list({
        query: `WorkflowType='watchProduction' AND BasetenModel='${model}' AND ExecutionStatus='Running'`,
      })) {
        ids.push(w.runId);
      }
      return ids.length > 0 && ids;
    });
    expect(running).toHaveLength(1);
    expect((await watcher.query(stateQuery)).watchedDeploymentId).toBe(v3.candidateDeploymentId);
  }, 180_000);

  it('stops without reverting when production is changed outside baseten-cd', async () => {
    const { modelId, v1, v2, watcher } = await twoVersions(h, 'outside');
    await h.emu.call('POST', `/v1/models/${modelId}/deployments/${v1}/promote`, {});
    const ended = await watcher.result();
    expect(ended).toMatchObject({ endedBecause: 'production-changed', by: v1, watchedDeploymentId: v2 });
    expect(ended.incidents).toEqual([]);
    // One promote: the one made outside. The watcher did not touch production.
    expect((await h.emu.promoteCalls(modelId)).filter((c) => c.path.includes(`/deployments/${v1}/`))).toHaveLength(1);
  }, 180_000);
});
