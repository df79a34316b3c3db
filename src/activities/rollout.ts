import { heartbeat } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Environment } from '../baseten/schemas';
import { BasetenError, RateLimitError } from '../baseten/errors';
import { trafficSummary } from '../baseten/traffic';
import { FailureType } from '../common/failure-types';
import { resolveDeps, type ActivityDeps, type ResolvedDeps } from './deps';
import { mapBasetenErrors } from './failures';
import { attemptCallOptions, whileHeartbeating } from './heartbeat';
import { PollLoop } from './poll-loop';
import { readEnvironment } from './production';
import { judgeStep } from './rollout-judge';
import type {
  AwaitStepInput,
  PromotionControlInput,
  RolloutPlan,
  RolloutPlanInput,
  RolloutPosition,
  StepAnalysis,
  StepAnalysisInput,
  StepTraffic,
} from './rollout-types';
import { smokeOnce } from './smoke';

/** Baseten applies an environment update asynchronously: this long for the setting to show. */
const settingAppliesWithinMs = 60_000;

function planOf(env: Environment, candidateId: string, enabled: boolean): RolloutPlan {
  const settings = env.promotion_settings;
  const config = settings.rolling_deploy_config;
  const surge = config?.max_surge_percent ?? 25;
  const step = surge > 0 ? surge : (config?.max_unavailable_percent ?? 0);
  const current = env.current_deployment?.id;
  return {
    rolling: settings.rolling_deploy === true && current !== undefined && current !== candidateId,
    enabled,
    stepMs: (config?.stabilization_time_seconds ?? 0) * 1000,
    stepPercent: step > 0 ? Math.min(100, step) : 100,
  };
}

function positionOf(env: Environment): RolloutPosition {
  const promotion = env.in_progress_promotion;
  return {
    status: promotion?.status ?? 'NONE',
    percent: promotion?.percent_traffic_to_new_version ?? 0,
    currentDeploymentId: env.current_deployment?.id ?? null,
    ...(promotion?.error_message ? { error: promotion.error_message } : {}),
  };
}

/** True when the position is a step to analyse, or an end: the wait for the next step is over. */
function stepReached(position: RolloutPosition, input: AwaitStepInput): boolean {
  const { status, percent } = position;
  if (status === 'SUCCEEDED' || status === 'FAILED' || status === 'CANCELED') return true;
  if (status === 'NONE') return position.currentDeploymentId === input.candidateId;
  // A ramp back that this release did not ask for (someone cancelled it) is news too.
  if (status === 'RAMPING_DOWN' && percent < 100) return true;
  if (percent <= input.afterPercent) return false;
  return input.held ? status === 'PAUSED' : status !== 'RELEASING';
}

/** One deployment's real traffic over the window; undefined when Baseten's metrics could not be read. */
async function trafficOf(
  deps: ResolvedDeps,
  input: StepAnalysisInput,
  deploymentId: string,
): Promise<StepTraffic | undefined> {
  try {
    const metrics = await deps.baseten.getDeploymentMetrics(
      input.modelId,
      deploymentId,
      {
        mode: 'SUMMARY',
        startEpochMillis: input.windowStartMs,
        endEpochMillis: input.windowEndMs,
        metrics: ['baseten_inference_requests_total', 'baseten_end_to_end_response_time_seconds'],
      },
      attemptCallOptions(),
    );
    const t = trafficSummary(metrics);
    return {
      requests: t.requests,
      errors5xx: t.errors5xx,
      ...(t.errorRate !== undefined ? { errorRate: t.errorRate } : {}),
      ...(t.p95Ms !== undefined ? { p95Ms: t.p95Ms } : {}),
    };
  } catch (err) {
    // Baseten marks the metrics endpoint unstable: without it, the status and the probe still judge.
    if (err instanceof BasetenError && !(err instanceof RateLimitError)) return undefined;
    throw err;
  }
}

export function createRolloutActivities(deps: ActivityDeps) {
  const resolved = resolveDeps(deps);
  const { baseten } = resolved;
  /** One try of controlPromotion (see there). */
  async function controlOnce(input: PromotionControlInput): Promise<{ accepted: boolean }> {
    const { modelId, environment } = input;
    const resume = async (): Promise<boolean> => {
      const { promotion } = await readEnvironment(baseten, modelId, environment, attemptCallOptions());
      const movedOn =
        promotion?.status === 'PAUSED' && promotion.percent_traffic_to_new_version > (input.afterPercent ?? 100);
      if (movedOn) return true;
      return (await baseten.resumePromotion(modelId, environment, attemptCallOptions())).success;
    };
    const pause = async (): Promise<boolean> =>
      (await baseten.pausePromotion(modelId, environment, attemptCallOptions())).success;
    switch (input.action) {
      case 'pause':
        return { accepted: await pause() };
      case 'resume':
        return { accepted: await resume() };
      case 'resume-and-pause': {
        const resumed = await resume();
        // Baseten pauses after the step in progress: the ramp moves one step and holds there.
        return { accepted: resumed && (await pause()) };
      }
      case 'roll-forward': {
        const answer = await baseten.forceRollForwardPromotion(modelId, environment, attemptCallOptions());
        return { accepted: answer.success };
      }
    }
  }

  return {
    /**
     * Reads how the environment promotes (rolling or all at once, the step length and size), and with
     * `enableRolling` turns its rolling promotion on first, waiting until Baseten shows the setting.
     */
    planRollout: mapBasetenErrors(async (input: RolloutPlanInput): Promise<RolloutPlan> => {
      const env = await baseten.getEnvironment(input.modelId, input.environment, attemptCallOptions());
      if (!input.enableRolling || env.promotion_settings.rolling_deploy === true) {
        return planOf(env, input.candidateId, false);
      }
      await baseten.updateEnvironment(
        input.modelId,
        input.environment,
        { promotion_settings: { rolling_deploy: true } },
        attemptCallOptions(),
      );
      const loop = new PollLoop(resolved, settingAppliesWithinMs);
      for (;;) {
        const now = await baseten.getEnvironment(input.modelId, input.environment, attemptCallOptions());
        if (now.promotion_settings.rolling_deploy === true) return planOf(now, input.candidateId, true);
        if (loop.expired) {
          throw ApplicationFailure.nonRetryable(
            `${input.environment} still does not promote rolling ${Math.round(settingAppliesWithinMs / 1000)} s after it was set`,
            FailureType.RolloutNotApplied,
          );
        }
        heartbeat();
        await loop.pause();
      }
    }),

    /**
     * Waits until Baseten's rolling promotion reaches a step past `afterPercent` (PAUSED there when it was asked
     * to pause), or ends, and says where it is.
     */
    awaitRolloutStep: mapBasetenErrors(async (input: AwaitStepInput): Promise<RolloutPosition> => {
      const loop = new PollLoop(resolved, input.timeoutMs);
      for (;;) {
        const env = await baseten.getEnvironment(input.modelId, input.environment, attemptCallOptions());
        const position = positionOf(env);
        heartbeat({ startedAt: loop.startedAt, position });
        if (stepReached(position, input)) return position;
        if (loop.expired) {
          throw ApplicationFailure.nonRetryable(
            `the rolling promotion of ${input.environment} stayed ${position.status} at ${position.percent}% for ` +
              `${Math.round(input.timeoutMs / 1000)} s`,
            FailureType.RolloutStalled,
          );
        }
        await loop.pause();
      }
    }),

    /**
     * Pauses, resumes or force-rolls forward the environment's rolling promotion (Baseten's own controls). A resume
     * is sent only while the ramp still stands where the workflow left it: an earlier attempt whose answer was lost
     * may already have moved it on to the next step, and resuming it there would let that step go by unanalysed.
     */
    controlPromotion: mapBasetenErrors(async (input: PromotionControlInput): Promise<{ accepted: boolean }> =>
      // Up to three calls: heart-beating while they run, a crash mid-call is noticed within the heartbeat timeout.
      whileHeartbeating(
        () => undefined,
        () => controlOnce(input),
      ),
    ),

    /**
     * Analyses one traffic step over its window: the candidate's status, the real traffic the candidate and the
     * previous deployment served (5xx share, p95) from the metrics endpoint, a probe of the candidate when its
     * traffic was thin; judged against the budgets.
     */
    analyseRolloutStep: mapBasetenErrors(async (input: StepAnalysisInput): Promise<StepAnalysis> => {
      const deployment = await baseten.getDeployment(input.modelId, input.candidateId, attemptCallOptions());
      const candidate = await trafficOf(resolved, input, input.candidateId);
      const previous = await trafficOf(resolved, input, input.previousId);
      heartbeat();
      const thin = candidate === undefined || candidate.requests < input.budgets.minRequests;
      const probe =
        thin && input.probe
          ? await smokeOnce(resolved, {
              modelId: input.modelId,
              target: { kind: 'deployment', deploymentId: input.candidateId },
              smoke: input.probe,
            })
          : undefined;
      return judgeStep(
        {
          percent: input.percent,
          windowStartMs: input.windowStartMs,
          windowEndMs: input.windowEndMs,
          candidateStatus: deployment.status,
          candidate,
          previous,
          probe,
        },
        input.budgets,
      );
    }),
  };
}
