import type { ChildProcess } from 'node:child_process';
import { releaseWorkflowId } from '../../../src/common/workflow-ids';
import type { deployModel } from '../../../src/workflows/deploy';
import { approveUpdate, progressQuery } from '../../../src/workflows/messages';
import type { DeployResult } from '../../../src/workflows/types';
import { validationSpecSchema } from '../../../src/validation/schema';
import { waitForStage } from '../../support/release-stage';
import { uniqueId } from '../../support/temporal';
import { waitFor } from '../../support/wait-for';
import { fleetWorkerEnv } from '../../support/fleet-worker';
import { activityAttempts } from '../../support/history-events';
import { startWorkerProcess, stopProcess } from '../../support/worker-process';
import { runCli } from '../../e2e/support/cli';
import { answeringTruss, productionAnswer, release, sendTraffic } from '../watcher/watcher-harness';
import { recordHistory } from './histories';
import { releaseInput, startReleaseHarness, type ReleaseHarness } from './release-harness';

// Rolling releases on the emulator, with real model processes and real traffic sent through production's endpoint
// while Baseten's rolling promotion moves it step by step: each step is judged from the metrics endpoint.
const rollingValidation = validationSpecSchema.parse({
  warmup: { requests: 1, timeout: '1m' },
  cases: [{ name: 'answers', input: { text: 'hi' }, expect: { status: 200 } }],
  rollout: { window: '3s', minRequests: 5, maxErrorRate: 0.05, hardErrorRate: 0.9 },
});

describe('a rolling release on the emulator', () => {
  let h: ReleaseHarness;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    h = await startReleaseHarness();
  });
  afterAll(async () => {
    await Promise.all(children.map((child) => stopProcess(child, 'SIGTERM')));
    await h?.close();
  });

  /** Baseten's rolling promotion for the model's production: `stepPercent` a step, each step a second. */
  async function rollingSteps(modelId: string, stepPercent: number): Promise<void> {
    await h.emu.call('PATCH', `/v1/models/${modelId}/environments/production`, {
      promotion_settings: {
        rolling_deploy: true,
        rolling_deploy_config: { max_surge_percent: stepPercent, stabilization_time_seconds: 1 },
      },
    });
  }

  /** Starts a rolling release of v2 that waits for approval once validated, so a fault can be set on the candidate. */
  async function gatedRelease(model: string, validation = rollingValidation) {
    const handle = await h.start({
      modelName: model,
      trussDir: answeringTruss(model, 'v2'),
      validation,
      approval: { required: true, timeoutMs: 120_000 },
      watch: { enabled: false },
    });
    await waitForStage(handle, 'awaiting-approval');
    const candidate = (await handle.query(progressQuery)).candidateDeploymentId ?? '';
    return { handle, candidate };
  }

  /** The ramp was cancelled at a failed step: production back on v1, the promotion CANCELED at 0 %, v1 answering. */
  async function expectCancelledBackOnV1(result: DeployResult, modelId: string, v1: string): Promise<void> {
    expect(result).toMatchObject({
      status: 'failed',
      reverted: true,
      failureType: 'RolloutStepFailedError',
      productionDeploymentId: v1,
      rollout: { state: 'cancelled' },
    });
    expect(await promotionOf(modelId)).toEqual(
      expect.objectContaining({ status: 'CANCELED', percent_traffic_to_new_version: 0 }),
    );
    expect(await tenAnswers(modelId)).toEqual(Array.from({ length: 10 }, () => ({ from: 'v1' })));
  }

  /** Ten answers in a row from production, once it serves them. */
  async function tenAnswers(modelId: string): Promise<unknown[]> {
    return waitFor('ten answers from production', async () => {
      const seen: unknown[] = [];
      for (let i = 0; i < 10; i++) seen.push(await productionAnswer(h, modelId));
      return seen;
    });
  }

  /** The promotion in progress, as Baseten shows it on the environment. */
  async function promotionOf(modelId: string) {
    const env = await h.emu.call('GET', `/v1/models/${modelId}/environments/production`);
    return (env.body as { in_progress_promotion: { status: string; percent_traffic_to_new_version: number } })
      .in_progress_promotion;
  }

  /** v1 in production, released the plain way; returns its ids. */
  async function firstVersion(model: string): Promise<{ modelId: string; v1: string }> {
    const v1 = await release(h, model, 'v1', { watch: { enabled: false } });
    expect(v1.status).toBe('promoted');
    return { modelId: v1.modelId ?? '', v1: v1.candidateDeploymentId ?? '' };
  }

  it('ramps a good candidate through every step, each with its numbers, and promotes it', async () => {
    const model = uniqueId('rolling-good');
    const { modelId } = await firstVersion(model);
    // The environment promotes rolling, 50 % a step, each step a second: shorter than the analysis window, so the
    // release pauses Baseten's promotion for each analysis (the pause takes effect after the step in progress).
    await h.emu.call('PATCH', `/v1/models/${modelId}/environments/production`, {
      promotion_settings: {
        rolling_deploy: true,
        rolling_deploy_config: { max_surge_percent: 50, stabilization_time_seconds: 1 },
      },
    });
    const traffic = sendTraffic(h, modelId);
    let result: DeployResult;
    try {
      const handle = await h.start({
        modelName: model,
        trussDir: answeringTruss(model, 'v2'),
        validation: rollingValidation,
        watch: { enabled: false },
      });
      result = await handle.result();
      await recordHistory(handle, 'rolling-promoted');
    } finally {
      await traffic.stop();
    }

    expect(result).toMatchObject({ status: 'promoted', rollout: { state: 'completed', heldPerStep: true } });
    const steps = result.rollout?.steps ?? [];
    expect(steps.map((s) => [s.percent, s.verdict])).toEqual([
      [50, 'passed'],
      [100, 'passed'],
    ]);
    // Real traffic reached the candidate at each step, as much as the step's share, and none failed.
    expect(steps.every((s) => (s.candidate?.requests ?? 0) >= 5 && s.candidate?.errorRate === 0)).toBe(true);
    expect(steps[0]?.share).toBeGreaterThan(0.3);
    expect(steps[0]?.share).toBeLessThan(0.7);
    expect(steps[1]?.share).toBeGreaterThan(0.9);
    expect(await productionAnswer(h, modelId)).toEqual({ from: 'v2' });
    // Baseten's promotion was held for each analysis and resumed after it.
    const signals = await h.emu.control.requests({ method: 'POST', path: `/v1/models/${modelId}/environments/` });
    expect(signals.map((c) => c.path.split('/').pop())).toEqual([
      'pause_promotion',
      'resume_promotion',
      'pause_promotion',
      'resume_promotion',
    ]);
  }, 180_000);

  it('catches a candidate whose errors rise under real traffic at its first step; all traffic back on v1', async () => {
    const model = uniqueId('rolling-bad');
    const { modelId, v1 } = await firstVersion(model);
    const traffic = sendTraffic(h, modelId);
    let result: DeployResult;
    try {
      // `--rollout rolling`: the release turns the environment's rolling promotion on itself (Baseten's default steps).
      const handle = await h.start({
        modelName: model,
        trussDir: answeringTruss(model, 'v2'),
        validation: rollingValidation,
        rollout: 'rolling',
        approval: { required: true, timeoutMs: 120_000 },
        watch: { enabled: false },
      });
      await waitForStage(handle, 'awaiting-approval');
      // Validated and approved, the candidate then fails half of what it serves.
      const candidate = (await handle.query(progressQuery)).candidateDeploymentId ?? '';
      await h.emu.control.setPredictionFaults(candidate, { errorRate: 0.5 });
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'test' }] });
      result = await handle.result();
    } finally {
      await traffic.stop();
    }

    expect(result).toMatchObject({
      status: 'failed',
      reverted: true,
      failureType: 'RolloutStepFailedError',
      productionDeploymentId: v1,
      rollout: { state: 'cancelled', enabledRolling: true },
    });
    const [first, ...rest] = result.rollout?.steps ?? [];
    expect(rest).toEqual([]);
    expect(first?.verdict).toBe('failed');
    expect(first?.percent).toBeGreaterThan(0);
    expect(first?.percent).toBeLessThan(100);
    expect(first?.candidate?.errorRate).toBeGreaterThan(0.05);
    expect(first?.previous?.errorRate).toBe(0);
    expect(result.reason).toMatch(/the \d+% step failed: 5xx share \d+(\.\d+)?% of \d+ requests at \d+% traffic/);

    // The promotion was cancelled and every request is served by v1 again.
    const env = await h.emu.call('GET', `/v1/models/${modelId}/environments/production`);
    expect(env.body).toMatchObject({
      in_progress_promotion: { status: 'CANCELED', percent_traffic_to_new_version: 0 },
    });
    const answers = await waitFor('ten answers from production', async () => {
      const seen: unknown[] = [];
      for (let i = 0; i < 10; i++) seen.push(await productionAnswer(h, modelId));
      return seen;
    });
    expect(answers).toEqual(Array.from({ length: 10 }, () => ({ from: 'v1' })));
  }, 180_000);

  it('pause, resume and rollback through the CLI reach the release during its ramp', async () => {
    const model = uniqueId('rolling-ops');
    const { modelId, v1 } = await firstVersion(model);
    await h.emu.call('PATCH', `/v1/models/${modelId}/environments/production`, {
      promotion_settings: {
        rolling_deploy: true,
        rolling_deploy_config: { max_surge_percent: 20, stabilization_time_seconds: 1 },
      },
    });
    // A longer window: each CLI run (a new Node process) has the time to arrive during a step.
    const validation = validationSpecSchema.parse({ ...rollingValidation, rollout: { window: '10s', minRequests: 5 } });
    const traffic = sendTraffic(h, modelId);
    try {
      const handle = await h.start(
        { modelName: model, trussDir: answeringTruss(model, 'v2'), validation, watch: { enabled: false } },
        releaseWorkflowId(model, 'production'),
      );
      const rampIs = (state: string) =>
        waitFor(`the ramp ${state}`, async () => {
          const progress = await handle.query(progressQuery).catch(() => undefined);
          const analysing = /^\d+% of traffic/.test(progress?.message ?? '');
          return progress?.rollout?.state === state && (state !== 'ramping' || analysing) && progress;
        });
      const promotion = async () =>
        (await h.emu.call('GET', `/v1/models/${modelId}/environments/production`)).body as {
          in_progress_promotion: { status: string; percent_traffic_to_new_version: number };
        };
      await rampIs('ramping');
      const paused = await runCli(['pause', model, '--reason', 'dashboards', '--by', 'ana', '--json']);
      expect(paused.code).toBe(0);
      expect(paused.stderr).toContain(`release-${model}-production: pause sent to the rolling release`);
      // The step being analysed passes, and Baseten's promotion stays paused there until resumed.
      const held = await rampIs('held');
      const heldAt = held.rollout?.steps.at(-1)?.percent;
      expect((await promotion()).in_progress_promotion).toEqual(
        expect.objectContaining({ status: 'PAUSED', percent_traffic_to_new_version: heldAt }),
      );

      expect((await runCli(['resume', model, '--by', 'ana'])).code).toBe(0);
      await rampIs('ramping');
      expect((await runCli(['pause', model, '--reason', 'again', '--by', 'ana'])).code).toBe(0);
      await rampIs('held');
      const rolledBack = await runCli(['rollback', model, '--reason', 'customer report', '--json']);
      expect(rolledBack.code).toBe(0);
      expect(JSON.parse(rolledBack.stdout)).toMatchObject({ reverted: true });

      const result = await handle.result();
      expect(result).toMatchObject({
        status: 'failed',
        reverted: true,
        failureType: 'RolloutRolledBackError',
        productionDeploymentId: v1,
        rollout: { state: 'cancelled' },
      });
      expect(result.rollout?.steps.every((s) => s.verdict === 'passed')).toBe(true);
      expect(result.rollout?.steps.length).toBeGreaterThanOrEqual(2);
      expect((await promotion()).in_progress_promotion).toEqual(
        expect.objectContaining({ status: 'CANCELED', percent_traffic_to_new_version: 0 }),
      );
    } finally {
      await traffic.stop();
    }
    expect(await productionAnswer(h, modelId)).toEqual({ from: 'v1' });
  }, 240_000);

  it('catches a candidate whose errors rise only once it takes 40 % of the traffic, at that step', async () => {
    const model = uniqueId('rolling-40');
    const { modelId, v1 } = await firstVersion(model);
    await rollingSteps(modelId, 20);
    const traffic = sendTraffic(h, modelId);
    let result: DeployResult;
    try {
      const { handle, candidate } = await gatedRelease(model);
      // Healthy at 20 % of production's traffic, half its answers fail from 40 % (a candidate short of capacity).
      await h.emu.control.setPredictionFaults(candidate, { errorRate: 0.5, fromTrafficPercent: 40 });
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'test' }] });
      result = await handle.result();
      await recordHistory(handle, 'rolling-step-failed-early');
    } finally {
      await traffic.stop();
    }

    // Cancelled gracefully (under the hard limit): traffic ramped back, and every request is v1's again.
    await expectCancelledBackOnV1(result, modelId, v1);
    const steps = result.rollout?.steps ?? [];
    expect(steps.map((s) => [s.percent, s.verdict])).toEqual([
      [20, 'passed'],
      [40, 'failed'],
    ]);
    expect(steps[0]?.candidate?.errorRate).toBe(0);
    expect(steps[1]?.candidate?.errorRate).toBeGreaterThan(0.05);
    expect(steps[1]?.previous?.errorRate).toBe(0);
    expect(result.reason).toMatch(/the 40% step failed: .*5xx share [\d.]+% of \d+ requests at 40% traffic/);
  }, 180_000);

  it('cancels the ramp when the candidate is slower than the p95 budget at a step', async () => {
    const model = uniqueId('rolling-slow');
    const { modelId, v1 } = await firstVersion(model);
    await rollingSteps(modelId, 25);
    const validation = validationSpecSchema.parse({
      ...rollingValidation,
      // Longer windows: slow answers make the sequential traffic sparser.
      rollout: { ...rollingValidation.rollout, window: '6s', maxP95: '150ms' },
    });
    const traffic = sendTraffic(h, modelId);
    let result: DeployResult;
    try {
      const { handle, candidate } = await gatedRelease(model, validation);
      // Validated fast; under real traffic each of its answers takes 400 ms.
      await h.emu.control.setPredictionFaults(candidate, { latencyMs: 400 });
      await handle.executeUpdate(approveUpdate, { args: [{ by: 'test' }] });
      result = await handle.result();
    } finally {
      await traffic.stop();
    }

    await expectCancelledBackOnV1(result, modelId, v1);
    const steps = result.rollout?.steps ?? [];
    expect(steps.map((s) => [s.percent, s.verdict])).toEqual([[25, 'failed']]);
    expect(steps[0]?.candidate?.p95Ms).toBeGreaterThan(400);
    expect(steps[0]?.candidate?.errorRate).toBe(0);
    expect(result.reason).toMatch(/the 25% step failed: .*p95 \d+ ms/);
  }, 180_000);

  it('survives a worker killed mid-ramp: the new worker analyses every step, none skipped, one promote', async () => {
    const model = uniqueId('rolling-crash');
    const { modelId } = await firstVersion(model);
    await rollingSteps(modelId, 25);
    const taskQueue = uniqueId('fleet-ramp-crash');
    const workerEnv = fleetWorkerEnv(h.emu.emulator, taskQueue);
    const first = await startWorkerProcess(workerEnv);
    children.push(first.child);
    const since = new Date().toISOString();
    const traffic = sendTraffic(h, modelId);
    let result: DeployResult;
    try {
      const handle = await h.temporal.client.workflow.start<typeof deployModel>('deployModel', {
        args: [
          releaseInput(h.pushTaskQueue, {
            modelName: model,
            trussDir: answeringTruss(model, 'v2'),
            validation: rollingValidation,
            watch: { enabled: false },
          }),
        ],
        taskQueue,
        workflowId: uniqueId('release-ramp-crash'),
      });
      // While the 25 % step is analysed, hold back the answer of the next pause call: the one that follows the
      // resume after this step passes. Both reach Baseten; the worker dies before its activity completes.
      await waitFor('the 25% step under analysis', async () => {
        const progress = await handle.query(progressQuery).catch(() => undefined);
        return /^25% of traffic/.test(progress?.message ?? '') || undefined;
      });
      const hold = await h.emu.control.holdManagement({
        method: 'POST',
        path: `/v1/models/${modelId}/environments/production/pause_promotion`,
      });
      await waitFor(
        () => `the pause after the 25% step to be held; worker output:\n${first.output()}`,
        async () => (await h.emu.control.heldRequests()).some((r) => r.ruleId === hold.id),
        { timeoutMs: 60_000, intervalMs: 20 },
      );
      await stopProcess(first.child, 'SIGKILL');
      await h.emu.control.removeManagementFault(hold.id);
      await h.emu.control.releaseHeld();
      // Baseten goes on to the next step and pauses there, with nobody analysing it until the new worker comes.
      await waitFor('the ramp held at 50%', async () => {
        const promotion = await promotionOf(modelId);
        return (promotion.status === 'PAUSED' && promotion.percent_traffic_to_new_version === 50) || undefined;
      });
      const second = await startWorkerProcess(workerEnv);
      children.push(second.child);
      result = await handle.result();
      const history = await handle.fetchHistory();
      // The interrupted control was retried by the new worker, which found the ramp already moved on.
      expect(Math.max(...activityAttempts(history, 'controlPromotion'))).toBeGreaterThanOrEqual(2);
    } finally {
      await traffic.stop();
    }

    expect(result).toMatchObject({ status: 'promoted', rollout: { state: 'completed' } });
    expect(result.rollout?.steps.map((s) => [s.percent, s.verdict])).toEqual([
      [25, 'passed'],
      [50, 'passed'],
      [75, 'passed'],
      [100, 'passed'],
    ]);
    const promotes = (await h.emu.control.requests({ method: 'POST', path: `/v1/models/${modelId}/`, since })).filter(
      (r) => r.path.endsWith('/promote'),
    );
    expect(promotes).toHaveLength(1);
    expect(await productionAnswer(h, modelId)).toEqual({ from: 'v2' });
  }, 240_000);
});
