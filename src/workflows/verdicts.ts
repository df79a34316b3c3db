import { ActivityFailure, ApplicationFailure, TemporalFailure, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { FailureType } from '../common/failure-types';

/**
 * Failure types that are verdicts about the candidate (it does not build, deploy or verify, or its Truss
 * is invalid), or say the release cannot go on without its CI job: the release ends with a DeployResult.
 * Anything else is an infrastructure problem.
 */
const verdictTypes: ReadonlySet<string> = new Set<string>([
  FailureType.TrussConfig,
  FailureType.DeploymentFailed,
  FailureType.DeploymentTimeout,
  FailureType.VerificationFailed,
  FailureType.PushNotStarted,
  FailureType.RolloutStepFailed,
  FailureType.RolloutEnded,
  FailureType.RolloutRolledBack,
]);

/** The innermost failure: an activity failure is reported by what the activity threw. */
export function rootFailure(err: unknown): { type?: string; message: string } {
  let current: unknown = err;
  while (current instanceof ActivityFailure && current.cause) current = current.cause;
  if (current instanceof ApplicationFailure) return { type: current.type ?? undefined, message: current.message };
  if (current instanceof TemporalFailure && current.cause) {
    return { type: current.name, message: `${current.message}: ${current.cause.message}` };
  }
  if (current instanceof Error) return { type: current.name, message: current.message };
  return { message: String(current) };
}

/** True for an activity that no worker picked up before its schedule-to-start timeout. */
export function isNeverStarted(err: unknown): boolean {
  return (
    err instanceof ActivityFailure &&
    err.cause instanceof TimeoutFailure &&
    err.cause.timeoutType === TimeoutType.SCHEDULE_TO_START
  );
}

export function isVerdict(err: unknown): boolean {
  const { type } = rootFailure(err);
  return type !== undefined && verdictTypes.has(type);
}

/** One line, for DeployResult.reason. */
export function oneLine(text: string, max = 500): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
