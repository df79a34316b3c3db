import { ActivityCancellationType, proxyActivities, type ActivityFunctionWithOptions } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/common';
import type { createActivities } from '../activities';
import type { PushInput, PushResult } from '../activities/push-types';
import { FailureType, permanentBasetenErrorTypes } from '../common/failure-types';
import { line } from './ui-markdown';

// Activity option profiles, each declared once. Retries are Temporal's alone (the Baseten client runs with
// maxRetries 0); an activity marks a failure non-retryable from the client's own decision, and every profile
// also names the failure types that no retry can fix.

const permanent: string[] = [
  ...permanentBasetenErrorTypes,
  FailureType.DeploymentFailed,
  FailureType.DeploymentTimeout,
];

/** Management API calls: about 2 minutes of retries, so a revert still happens inside a short outage. */
const basetenRetry = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '20 seconds',
  maximumAttempts: 8,
  nonRetryableErrorTypes: permanent,
} as const;

/** `truss push` on the CI machine: a bad Truss is final; network trouble gets a few more tries. */
export const pushProfile = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '2 minutes',
  retry: {
    initialInterval: '5 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 3,
    nonRetryableErrorTypes: [FailureType.TrussConfig],
  },
} as const satisfies ActivityOptions;

/** Long waits on a deployment (build, wake, activate, production switch): they heartbeat every poll. */
export const waitProfile = {
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '30 seconds',
  retry: basetenRetry,
} as const satisfies ActivityOptions;

/**
 * Validation sends many predictions and heartbeats its progress. A verdict is a result, not an error, and a candidate
 * that cannot serve or never warms up fails for good (activities/validate.ts): what is retried is Baseten's
 * transient trouble (a burst of 503s on the status read), as long as for any other call.
 */
export const validateProfile = {
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  retry: basetenRetry,
} as const satisfies ActivityOptions;

/**
 * Promotion and the controls of a rolling one: short, and they heartbeat while their calls run, so a worker crash
 * mid-call is noticed within the heartbeat timeout. Each call times out inside that window (activities/heartbeat.ts),
 * so no retry starts while an earlier attempt's call is still in flight; a retry reads the environment first, and
 * neither promotes twice nor resumes a ramp that already moved on.
 */
export const promoteProfile = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: basetenRetry,
} as const satisfies ActivityOptions;

/** Single reads and writes (describe production, deactivate). */
export const callProfile = {
  startToCloseTimeout: '1 minute',
  retry: basetenRetry,
} as const satisfies ActivityOptions;

/** Smoke predictions: a few attempts inside the activity, with a cold start allowance. */
export const smokeProfile = {
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '2 minutes',
  retry: basetenRetry,
} as const satisfies ActivityOptions;

/**
 * A watcher's observation slice: one long activity that heartbeats every look and returns only with news (or at the
 * end of its 30-minute slice). Cancelled without waiting (TRY_CANCEL): a rollback or a pause starts at once, and the
 * old attempt stops at its next heartbeat. Transient trouble is retried for a few minutes; the watcher itself then
 * waits and observes again, so it never ends because Baseten was away.
 */
export const observeProfile = {
  startToCloseTimeout: '45 minutes',
  heartbeatTimeout: '1 minute',
  cancellationType: ActivityCancellationType.TRY_CANCEL,
  retry: { ...basetenRetry, maximumAttempts: 10, maximumInterval: '1 minute' },
} as const satisfies ActivityOptions;

/** Ending the previous watcher before a promotion: it finishes a revert it has started first. */
export const retireProfile = {
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '1 minute',
  retry: basetenRetry,
} as const satisfies ActivityOptions;

type FleetActivities = ReturnType<typeof createActivities>;

/**
 * An activity call that says in one line what it does: the summary the Temporal UI shows in the timeline and the
 * event history (`push text-transform with truss`, `promote abc123 to production`). Every call must give one. The
 * profile stays the proxy's; the summary is user metadata, not part of the workflow's determinism.
 */
export type Step<I, R> = (summary: string, input: I) => Promise<R>;

/** Turns a proxied activity into a Step. */
export function step<I, R>(activity: ActivityFunctionWithOptions<(input: I) => Promise<R>>): Step<I, R> {
  return (summary, input) => activity.executeWithOptions({ summary: line(summary) }, [input]);
}

const waits = proxyActivities<FleetActivities>(waitProfile);
const calls = proxyActivities<FleetActivities>(callProfile);

export const awaitDeploymentActive = step(waits.awaitDeploymentActive);
export const prepareForTraffic = step(waits.prepareForTraffic);
export const verifyProduction = step(waits.verifyProduction);
export const cancelPendingPromotion = step(waits.cancelPendingPromotion);
export const validateCandidate = step(proxyActivities<FleetActivities>(validateProfile).validateCandidate);
export const promoteCandidate = step(proxyActivities<FleetActivities>(promoteProfile).promoteCandidate);
export const describeProduction = step(calls.describeProduction);
export const findDeployment = step(calls.findDeployment);
export const deactivateDeployment = step(calls.deactivateDeployment);
export const smokeTest = step(proxyActivities<FleetActivities>(smokeProfile).smokeTest);
export const observeProduction = step(proxyActivities<FleetActivities>(observeProfile).observeProduction);
export const planRollout = step(calls.planRollout);
export const awaitRolloutStep = step(waits.awaitRolloutStep);
export const controlPromotion = step(proxyActivities<FleetActivities>(promoteProfile).controlPromotion);
export const analyseRolloutStep = step(proxyActivities<FleetActivities>(smokeProfile).analyseRolloutStep);
export const retireWatcher = step(proxyActivities<FleetActivities>(retireProfile).retireWatcher);

/**
 * The push activity runs on the CI job's own task queue, where the Truss source is. Only that job's `deploy`
 * process polls it, so a push nobody picks up within `scheduleToStartMs` means the process is gone.
 */
export function pushActivity(taskQueue: string, scheduleToStartMs: number): Step<PushInput, PushResult> {
  return step(
    proxyActivities<{ pushCandidate(input: PushInput): Promise<PushResult> }>({
      ...pushProfile,
      taskQueue,
      scheduleToStartTimeout: scheduleToStartMs,
    }).pushCandidate,
  );
}
