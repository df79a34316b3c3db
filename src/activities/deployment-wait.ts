import { ApplicationFailure } from '@temporalio/common';
import { heartbeat } from '@temporalio/activity';
import type { Deployment, DeploymentStatus } from '../baseten/schemas';
import type { ResolvedDeps } from './deps';
import { attemptCallOptions } from './heartbeat';
import { PollLoop } from './poll-loop';
import { FailureType } from '../common/failure-types';

/** Statuses from which a deployment will not become ACTIVE by itself: waiting any longer is pointless. */
export const failureStatuses: ReadonlySet<DeploymentStatus> = new Set<DeploymentStatus>([
  'BUILD_FAILED',
  'DEPLOY_FAILED',
  'BUILD_STOPPED',
  'FAILED',
  'UNHEALTHY',
  'INACTIVE',
]);

/** What a waiting activity records in its heartbeat: the status it saw, and when the wait began (kept across retries). */
export interface WaitCheckpoint {
  status?: DeploymentStatus;
  startedAt: number;
}

const maxLogLines = 10;
const maxReasonChars = 1500;

/** A non-retryable failure naming the status and the deployment's last log lines. */
export async function deploymentFailed(deps: ResolvedDeps, modelId: string, deployment: Deployment): Promise<Error> {
  let tail = '';
  try {
    const logs = await deps.baseten.getDeploymentLogs(
      modelId,
      deployment.id,
      { limit: maxLogLines },
      attemptCallOptions(),
    );
    tail = logs
      .slice(-maxLogLines)
      .map((line) => line.message.trim())
      .filter((line) => line.length > 0)
      .join(' | ');
  } catch {
    // The logs only enrich the message; the status alone is the verdict.
  }
  const message = `deployment ${deployment.id} is ${deployment.status}${tail ? `; last log lines: ${tail}` : ''}`;
  return ApplicationFailure.nonRetryable(message.slice(0, maxReasonChars), FailureType.DeploymentFailed, {
    status: deployment.status,
  });
}

export interface WaitForActiveInput {
  modelId: string;
  deploymentId: string;
  /** How long the whole wait may take, across retries of the activity. @unit ms */
  timeoutMs: number;
}

export interface WaitOptions {
  /** Activate an INACTIVE deployment (once) instead of failing: used to revert onto a deactivated one. */
  activateInactive?: boolean;
}

/**
 * Polls a deployment until it is ACTIVE, heart-beating the status it sees. A failure status ends the wait
 * at once; a scaled-to-zero deployment is woken once; the deadline ends it with DeploymentTimeoutError.
 */
export async function waitForActive(
  deps: ResolvedDeps,
  input: WaitForActiveInput,
  options: WaitOptions = {},
): Promise<Deployment> {
  const { baseten } = deps;
  const loop = new PollLoop(deps, input.timeoutMs);
  let woken = false;
  let activated = false;
  for (;;) {
    const deployment = await baseten.getDeployment(input.modelId, input.deploymentId, attemptCallOptions());
    heartbeat({ status: deployment.status, startedAt: loop.startedAt } satisfies WaitCheckpoint);
    if (deployment.status === 'ACTIVE') return deployment;
    if (deployment.status === 'INACTIVE' && options.activateInactive && !activated) {
      await baseten.activateDeployment(input.modelId, deployment.id, attemptCallOptions());
      activated = true;
    } else if (failureStatuses.has(deployment.status) && !(deployment.status === 'INACTIVE' && activated)) {
      throw await deploymentFailed(deps, input.modelId, deployment);
    }
    if (deployment.status === 'SCALED_TO_ZERO' && !woken) {
      await baseten.wake(input.modelId, { kind: 'deployment', deploymentId: deployment.id }, attemptCallOptions());
      woken = true;
    }
    if (loop.expired) {
      throw ApplicationFailure.nonRetryable(
        `deployment ${deployment.id} is still ${deployment.status} after ${Math.round(input.timeoutMs / 1000)} s`,
        FailureType.DeploymentTimeout,
        { status: deployment.status },
      );
    }
    await loop.pause();
  }
}
