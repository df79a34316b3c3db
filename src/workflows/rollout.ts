import { ApplicationFailure, CancellationScope, condition, patched } from '@temporalio/workflow';
import type { PromotionAction, RolloutPlan, RolloutPosition, StepAnalysis } from '../activities/rollout-types';
import { FailureType } from '../common/failure-types';
import {
  analyseRolloutStep,
  awaitRolloutStep,
  cancelPendingPromotion,
  controlPromotion,
  planRollout,
} from './activity-proxies';
import { Patch } from './patches';
import { workflowNow, type Release } from './release';
import { releaseTimeouts } from './release-rules';
import { stepLine } from './release-text';
import type { RolloutControls } from './rollout-controls';
import { holdEachStep, rolloutSettings, stepCheckEveryMs } from './rollout-rules';
import type { Candidate } from './steps';
import type { RolloutReport } from './types';
import { duration } from './ui-markdown';

/**
 * How the environment will promote the candidate, read (and with `--rollout rolling` turned to rolling) right
 * before the promote call. Undefined for releases that cannot roll out: a development candidate (its promotion
 * builds a new deployment), no previous deployment, or a run started before rollouts existed.
 */
export async function planRollingPromotion(
  release: Release,
  candidate: Candidate,
  previous: string | undefined,
): Promise<RolloutPlan | undefined> {
  const { input } = release;
  if (!patched(Patch.rollout) || input.candidate.kind === 'development' || previous === undefined) return undefined;
  const enableRolling = input.rollout === 'rolling';
  return planRollout(`read how ${input.environment} promotes${enableRolling ? ' (and make it rolling)' : ''}`, {
    modelId: candidate.modelId,
    environment: input.environment,
    candidateId: candidate.deploymentId,
    enableRolling,
  });
}

/**
 * Drives a rolling promotion that the promote call started, one traffic step at a time: wait for the step, analyse
 * it over the window (Baseten's promotion paused meanwhile when its steps are shorter), resume it when the step
 * passes. A failed step cancels the promotion (forced over the hard error limit) and throws a verdict, so the
 * release reverts and verifies the previous deployment. Operators' pause, resume, rollback and roll forward are
 * acted on between the steps. Returns once all traffic is on the candidate.
 */
export async function rollOut(
  release: Release,
  candidate: Candidate,
  previous: string,
  plan: RolloutPlan,
  controls: RolloutControls,
): Promise<void> {
  const { input } = release;
  const { environment } = input;
  const { modelId, deploymentId } = candidate;
  const settings = rolloutSettings(input.validation);
  const timeouts = releaseTimeouts(input);
  const autoHold = holdEachStep(plan.stepMs, settings.windowMs);
  const report: RolloutReport = {
    heldPerStep: autoHold,
    windowMs: settings.windowMs,
    enabledRolling: plan.enabled,
    steps: [],
    state: 'ramping',
  };
  const show = (message: string): void => release.note({ rollout: { ...report, steps: [...report.steps] }, message });
  const control = (action: PromotionAction, why: string, afterPercent?: number) =>
    controlPromotion(`${why}: ${action} the promotion of ${environment}`, {
      modelId,
      environment,
      action,
      ...(afterPercent === undefined ? {} : { afterPercent }),
    });

  /** Stops the ramp (traffic back on the previous deployment) and ends the release with a verdict. */
  const abort = async (forced: boolean, why: string, type: string): Promise<never> => {
    report.state = forced ? 'force-cancelled' : 'cancelled';
    show(`cancelling the rolling promotion (${forced ? 'forced' : 'graceful'}): ${why}`);
    await cancelPendingPromotion(`${forced ? 'force-cancel' : 'cancel'} the rolling promotion of ${environment}`, {
      modelId,
      environment,
      keepDeploymentId: previous,
      gracefulMs: timeouts.gracefulCancelMs,
      timeoutMs: timeouts.cancelPromotionMs,
      force: forced,
    });
    throw ApplicationFailure.nonRetryable(why, type);
  };
  /** Acts on a rollback or a roll forward; true when the ramp was rolled forward. */
  const interruption = async (): Promise<boolean> => {
    if (controls.rollback) {
      const { reason, by } = controls.rollback;
      return abort(
        false,
        `rolled back during the ramp${by ? ` by ${by}` : ''}: ${reason}`,
        FailureType.RolloutRolledBack,
      );
    }
    if (!controls.rollForward) return false;
    const by = controls.rollForward.by;
    controls.rollForward = undefined;
    await control('roll-forward', `rolled forward${by ? ` by ${by}` : ''}`);
    report.state = 'rolled-forward';
    show(`rolled forward${by ? ` by ${by}` : ''}: all traffic to ${deploymentId}`);
    return true;
  };

  controls.ramping = true;
  try {
    show(
      `rolling out ${deploymentId}: ${plan.stepPercent}% per step, each analysed for ${duration(settings.windowMs)}` +
        (autoHold ? ' with the promotion paused' : ''),
    );
    let pauseSent = false;
    if (autoHold) {
      await control('pause', 'hold the first step for its analysis');
      pauseSent = true;
    }
    let percent = 0;
    for (;;) {
      if (controls.paused && !pauseSent) {
        await control('pause', `paused by ${controls.paused.by ?? 'an operator'}`);
        pauseSent = true;
      }
      const position = await untilInterrupted(
        () =>
          awaitRolloutStep(`wait for the next traffic step of ${environment} after ${percent}%`, {
            modelId,
            environment,
            candidateId: deploymentId,
            afterPercent: percent,
            held: pauseSent,
            timeoutMs: timeouts.rolloutStepMs,
          }),
        () => controls.interrupted || (controls.paused !== undefined && !pauseSent),
      );
      if (position === undefined) {
        await interruption();
        continue;
      }
      if (isComplete(position, deploymentId)) {
        if (report.state !== 'rolled-forward') report.state = 'completed';
        show(`all traffic on ${deploymentId}`);
        return;
      }
      if (isEnded(position)) {
        report.state = 'ended';
        show(`the rolling promotion ended ${position.status} at ${position.percent}%`);
        throw ApplicationFailure.nonRetryable(
          `the rolling promotion ended ${position.status} at ${position.percent}% without promoting` +
            (position.error ? `: ${position.error}` : ''),
          FailureType.RolloutEnded,
        );
      }
      percent = position.percent;
      const windowStartMs = workflowNow();
      show(`${percent}% of traffic on ${deploymentId}: analysing for ${duration(settings.windowMs)}`);
      const analyse = () =>
        analyseRolloutStep(`analyse the ${percent}% step of ${environment}`, {
          modelId,
          environment,
          candidateId: deploymentId,
          previousId: previous,
          percent,
          windowStartMs,
          windowEndMs: workflowNow(),
          budgets: settings.budgets,
          ...(settings.probe ? { probe: settings.probe } : {}),
        });
      const analysis = patched(Patch.stepFailsEarly)
        ? await analyseUntilVerdict(analyse, windowStartMs + settings.windowMs, settings.windowMs, controls, percent)
        : await analyseAtWindowEnd(analyse, settings.windowMs, controls, percent);
      if (analysis === undefined) {
        await interruption();
        continue;
      }
      report.steps.push(analysis);
      show(stepLine(analysis));
      if (analysis.verdict === 'failed') {
        controls.failedSteps += 1;
        await abort(
          analysis.overHardLimit,
          `the ${percent}% step failed: ${analysis.reasons.join('; ')}`,
          FailureType.RolloutStepFailed,
        );
      }
      if (position.status !== 'PAUSED') continue;
      if (controls.paused) {
        report.state = 'held';
        report.heldBy = controls.paused.by ?? controls.paused.reason;
        show(`held at ${percent}% until resumed`);
        await condition(() => controls.paused === undefined || controls.interrupted);
        report.state = 'ramping';
        delete report.heldBy;
        if (await interruption()) continue;
      }
      const holdNext = autoHold && percent < 100;
      await control(holdNext ? 'resume-and-pause' : 'resume', `the ${percent}% step passed`, percent);
      pauseSent = holdNext;
    }
  } finally {
    controls.ramping = false;
  }
}

function isComplete(position: RolloutPosition, candidateId: string): boolean {
  return (
    position.status === 'SUCCEEDED' || (position.status === 'NONE' && position.currentDeploymentId === candidateId)
  );
}

function isEnded(position: RolloutPosition): boolean {
  return (
    position.status === 'FAILED' ||
    position.status === 'CANCELED' ||
    (position.status === 'RAMPING_DOWN' && position.percent < 100)
  );
}

/** The step's one analysis at the end of its window (runs started before steps could fail early); undefined when interrupted. */
async function analyseAtWindowEnd(
  analyse: () => Promise<StepAnalysis>,
  windowMs: number,
  controls: RolloutControls,
  percent: number,
): Promise<StepAnalysis | undefined> {
  await condition(() => controls.interrupted, windowMs, {
    summary: `analyse the ${percent}% step for ${duration(windowMs)}`,
  });
  return controls.interrupted ? undefined : analyse();
}

/**
 * Analyses the step every `stepCheckEveryMs` of its window: the first failed analysis is the verdict (the ramp
 * goes no further on a step already over its budgets), else the one at the window's end. Undefined when a
 * rollback or a roll forward interrupts it.
 */
async function analyseUntilVerdict(
  analyse: () => Promise<StepAnalysis>,
  windowEndAt: number,
  windowMs: number,
  controls: RolloutControls,
  percent: number,
): Promise<StepAnalysis | undefined> {
  const everyMs = stepCheckEveryMs(windowMs);
  for (;;) {
    const waitMs = Math.min(everyMs, windowEndAt - workflowNow());
    if (waitMs > 0) {
      await condition(() => controls.interrupted, waitMs, {
        summary: `analyse the ${percent}% step again in ${duration(waitMs)} (window ${duration(windowMs)})`,
      });
    }
    if (controls.interrupted) return undefined;
    const analysis = await analyse();
    if (analysis.verdict === 'failed' || workflowNow() >= windowEndAt) return analysis;
  }
}

/** Runs `work` until it ends or `interrupted` holds (then cancels it and answers undefined). */
async function untilInterrupted<T>(work: () => Promise<T>, interrupted: () => boolean): Promise<T | undefined> {
  const scope = new CancellationScope();
  const running = scope.run(work);
  const first = await Promise.race([
    running.then((value) => ({ value })),
    condition(interrupted).then(() => undefined),
  ]);
  if (first) return first.value;
  scope.cancel();
  await running.catch(() => undefined);
  return undefined;
}
