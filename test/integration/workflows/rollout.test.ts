import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { exitCodeFor } from '../../../src/cli/deploy/release-outcome';
import { ExitCode } from '../../../src/common/exit-codes';
import type { deployModel } from '../../../src/workflows/deploy';
import {
  progressQuery,
  releasePauseUpdate,
  releaseResumeUpdate,
  releaseRollbackUpdate,
  rollForwardUpdate,
} from '../../../src/workflows/messages';
import type { DeployInput, DeployResult, ReleaseProgress } from '../../../src/workflows/types';
import { validationSpecSchema } from '../../../src/validation/schema';
import { uniqueId } from '../../support/temporal';
import { fakeActivityWorker, startTimeSkipping, stopTimeSkipping } from '../../support/time-skipping';
import { waitFor } from '../../support/wait-for';
import { FakeFleet } from './fake-fleet';

// The step logic of a rolling release on the time-skipping server: the fakes play Baseten's rolling promotion (a
// step per boundary, pause after the step in progress, cancel back to 0 %), so each test scripts one step's findings.

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(() => stopTimeSkipping(env));

const validation = validationSpecSchema.parse({
  warmup: { requests: 0 },
  cases: [{ name: 'smoke', input: { text: 'hi' } }],
  rollout: { window: '30s', maxErrorRate: 0.05, hardErrorRate: 0.5 },
});

/** For the tests that act during a step: its window passes in real time while they wait (no result is awaited). */
const shortWindow = validationSpecSchema.parse({ ...validation, rollout: { window: '2s' } });

/** The message of the failure an update was refused with. */
async function refusal(update: Promise<unknown>): Promise<string> {
  const err: unknown = await update.then(
    () => undefined,
    (e: unknown) => e,
  );
  const cause = err instanceof Error ? (err.cause as Error | undefined) : undefined;
  return cause?.message ?? 'not refused';
}

type Handle = Awaited<ReturnType<typeof env.client.workflow.start<typeof deployModel>>>;

async function release(
  fleet: FakeFleet,
  overrides: Partial<DeployInput> = {},
  during?: (handle: Handle) => Promise<void>,
): Promise<DeployResult> {
  const { worker, taskQueue } = await fakeActivityWorker(env, fleet.activities);
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof deployModel>('deployModel', {
      args: [
        {
          modelName: 'tt',
          environment: 'production',
          candidate: { kind: 'published' },
          trussDir: '/truss',
          pushTaskQueue: taskQueue,
          validation,
          cleanupOnReject: false,
          watch: { enabled: false },
          ...overrides,
        },
      ],
      taskQueue,
      workflowId: uniqueId('rollout'),
    });
    await during?.(handle);
    return handle.result();
  });
}

/** Waits (without skipping time: no result is awaited) until the release's ramp satisfies `check`. */
async function whenRamp(handle: Handle, what: string, check: (p: ReleaseProgress) => boolean): Promise<void> {
  await waitFor(what, async () => {
    const progress = await handle.query(progressQuery).catch(() => undefined);
    return progress !== undefined && check(progress);
  });
}

/** The ramp's calls in order, a run of the same call shown once with its count (a step is analysed 5 times). */
const rampCalls = (fleet: FakeFleet) =>
  runs(
    fleet.calls.filter((c) => /^(controlPromotion|analyseRolloutStep|cancelPendingPromotion|verifyProduction)/.test(c)),
  );

function runs(calls: string[]): string[] {
  const out: Array<{ call: string; count: number }> = [];
  for (const call of calls) {
    const last = out.at(-1);
    if (last?.call === call) last.count += 1;
    else out.push({ call, count: 1 });
  }
  return out.map(({ call, count }) => (count > 1 ? `${call} ×${count}` : call));
}

describe('a rolling release', () => {
  it('analyses every step with the promotion paused (its steps are shorter than the window) and is promoted', async () => {
    const fleet = new FakeFleet();
    fleet.promotion.rolling = true;
    const result = await release(fleet);

    expect(result).toMatchObject({ status: 'promoted', productionDeploymentId: 'new' });
    // Each step is analysed every fifth of its 30 s window; it passes on the analysis at the window's end.
    expect(rampCalls(fleet)).toEqual([
      'controlPromotion pause',
      'analyseRolloutStep 25% ×5',
      'controlPromotion resume-and-pause',
      'analyseRolloutStep 50% ×5',
      'controlPromotion resume-and-pause',
      'analyseRolloutStep 75% ×5',
      'controlPromotion resume-and-pause',
      'analyseRolloutStep 100% ×5',
      'controlPromotion resume',
      'verifyProduction new',
    ]);
    expect(result.rollout).toMatchObject({ state: 'completed', heldPerStep: true, windowMs: 30_000 });
    expect(result.rollout?.steps.map((s) => [s.percent, s.verdict])).toEqual([
      [25, 'passed'],
      [50, 'passed'],
      [75, 'passed'],
      [100, 'passed'],
    ]);
    // Each step's window is the analysis window, on workflow time.
    expect(result.rollout?.steps.every((s) => s.windowEndMs - s.windowStartMs >= 30_000)).toBe(true);
  });

  it('does not pause a promotion whose steps outlast the window', async () => {
    const fleet = new FakeFleet();
    fleet.promotion = { rolling: true, stepMs: 60_000, stepPercent: 50 };
    const result = await release(fleet);

    expect(result).toMatchObject({ status: 'promoted', rollout: { heldPerStep: false, state: 'completed' } });
    expect(fleet.callsOf('controlPromotion')).toEqual([]);
    expect(runs(fleet.callsOf('analyseRolloutStep'))).toEqual([
      'analyseRolloutStep 50% ×5',
      'analyseRolloutStep 100% ×5',
    ]);
  });

  it('cancels the promotion gracefully at a failed step, reverts and says why', async () => {
    const fleet = new FakeFleet();
    fleet.promotion.rolling = true;
    fleet.stepFindings.set(50, {
      verdict: 'failed',
      reasons: ['5xx share 20% of 40 requests at 50% traffic, over 5%'],
      candidate: { requests: 40, errors5xx: 8, errorRate: 0.2 },
    });
    const result = await release(fleet);

    expect(result).toMatchObject({
      status: 'failed',
      reverted: true,
      failureType: 'RolloutStepFailedError',
      productionDeploymentId: 'old',
      rollout: { state: 'cancelled' },
    });
    expect(result.reason).toMatch(/the 50% step failed: 5xx share 20% of 40 requests at 50% traffic, over 5%/);
    // The failed step is stopped at its first analysis, a fifth into its window: no more traffic waits on it.
    expect(rampCalls(fleet)).toEqual([
      'controlPromotion pause',
      'analyseRolloutStep 25% ×5',
      'controlPromotion resume-and-pause',
      'analyseRolloutStep 50%',
      'cancelPendingPromotion graceful at 50%',
      // The revert: nothing left in progress, and all traffic verified on the previous deployment.
      'cancelPendingPromotion',
      'verifyProduction old',
    ]);
    expect(result.rollout?.steps.map((s) => s.verdict)).toEqual(['passed', 'failed']);
    const failed = result.rollout?.steps[1];
    expect((failed?.windowEndMs ?? 0) - (failed?.windowStartMs ?? 0)).toBeLessThan(30_000);
    expect(exitCodeFor(result)).toBe(ExitCode.promotionFailed);
  });

  it('force-cancels when the error rate is over the hard limit', async () => {
    const fleet = new FakeFleet();
    fleet.promotion.rolling = true;
    fleet.stepFindings.set(25, { verdict: 'failed', reasons: ['5xx share 90%'], overHardLimit: true });
    const result = await release(fleet);

    expect(result).toMatchObject({ status: 'failed', reverted: true, rollout: { state: 'force-cancelled' } });
    expect(fleet.callsOf('cancelPendingPromotion')[0]).toBe('cancelPendingPromotion forced at 25%');
  });

  it('turns rolling on for --rollout rolling, and leaves an all-at-once environment alone without it', async () => {
    const rolling = new FakeFleet();
    const result = await release(rolling, { rollout: 'rolling' });
    expect(rolling.calls).toContain('planRollout enable');
    expect(result).toMatchObject({ status: 'promoted', rollout: { enabledRolling: true, state: 'completed' } });

    const plain = new FakeFleet();
    const plainResult = await release(plain);
    expect(plain.calls).toContain('planRollout');
    expect(plain.callsOf('analyseRolloutStep')).toEqual([]);
    expect(plainResult.rollout).toBeUndefined();
  });

  it('holds at a step while paused, goes on when resumed', async () => {
    const fleet = new FakeFleet();
    fleet.promotion.rolling = true;
    const result = await release(fleet, { validation: shortWindow }, async (handle) => {
      await whenRamp(handle, 'the 25% step analysing', (p) => /analysing/.test(p.message ?? ''));
      await handle.executeUpdate(releasePauseUpdate, { args: [{ reason: 'look at the dashboards', by: 'ana' }] });
      await whenRamp(handle, 'the ramp held', (p) => p.rollout?.state === 'held');
      expect(fleet.callsOf('controlPromotion')).toEqual(['controlPromotion pause']);
      await handle.executeUpdate(releaseResumeUpdate, { args: [{ by: 'ana' }] });
    });
    expect(result).toMatchObject({ status: 'promoted', rollout: { state: 'completed' } });
    expect(result.rollout?.steps).toHaveLength(4);
  });

  it('rolls back during the ramp when asked: cancelled, reverted', async () => {
    const fleet = new FakeFleet();
    fleet.promotion.rolling = true;
    const result = await release(fleet, { validation: shortWindow }, async (handle) => {
      await whenRamp(handle, 'the 50% step analysing', (p) => /^50% of traffic/.test(p.message ?? ''));
      await handle.executeUpdate(releaseRollbackUpdate, { args: [{ reason: 'customer report', by: 'ana' }] });
    });
    expect(result).toMatchObject({
      status: 'failed',
      reverted: true,
      failureType: 'RolloutRolledBackError',
      rollout: { state: 'cancelled' },
    });
    expect(result.reason).toMatch(/rolled back during the ramp by ana: customer report/);
    expect(fleet.callsOf('cancelPendingPromotion')[0]).toBe('cancelPendingPromotion graceful at 50%');
  });

  it('rolls forward when asked, and refuses pause, resume and roll forward outside a ramp', async () => {
    const fleet = new FakeFleet();
    fleet.promotion.rolling = true;
    const result = await release(fleet, {}, async (handle) => {
      await whenRamp(handle, 'the 25% step analysing', (p) => /^25% of traffic/.test(p.message ?? ''));
      await handle.executeUpdate(rollForwardUpdate, { args: [{ by: 'ana' }] });
    });
    expect(result).toMatchObject({ status: 'promoted', rollout: { state: 'rolled-forward' } });
    expect(fleet.callsOf('controlPromotion')).toEqual(['controlPromotion pause', 'controlPromotion roll-forward']);

    const plain = new FakeFleet();
    await release(plain, { approval: { required: true, timeoutMs: 60_000 } }, async (handle) => {
      await whenRamp(handle, 'the approval gate', (p) => p.stage === 'awaiting-approval');
      expect(await refusal(handle.executeUpdate(releasePauseUpdate, { args: [{ reason: 'x' }] }))).toMatch(
        /not rolling out/,
      );
      expect(await refusal(handle.executeUpdate(rollForwardUpdate, { args: [{}] }))).toMatch(/not rolling out/);
    });
  });
});
