import { isCancellation, log, patched, proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/common';
import type { createNotifyActivities, NotificationEvent, NotifyOutcome } from '../activities/notify';
import { step } from './activity-proxies';
import { workflowSubject, type MetricSubject } from './metrics';
import type { DeployResult } from './types';
import { rootFailure } from './verdicts';

/**
 * Webhook notifications: retried with backoff for at most 30 s in all (each attempt's HTTP call has its own
 * 5 s deadline in the activity), so an unreachable receiver delays the end of a release by that much at most
 * and never changes its outcome.
 */
export const notifyProfile = {
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds' },
} as const satisfies ActivityOptions;

const notify = step(proxyActivities<ReturnType<typeof createNotifyActivities>>(notifyProfile).notify);

/**
 * Sends a notification and never fails: a delivery that did not happen is answered with `delivered: false` and
 * logged by the worker (a refusal by the activity; retries given up on here; no webhook configured: silently).
 * Only a cancellation of the workflow goes through.
 */
export async function sendNotification(event: NotificationEvent): Promise<NotifyOutcome> {
  try {
    return await notify(`send the ${event.kind} notification of ${event.model} (when a webhook is set)`, event);
  } catch (err) {
    if (isCancellation(err)) throw err;
    const reason = rootFailure(err).message;
    log.warn(`notification ${event.kind} not delivered: ${reason}`);
    return { delivered: false, reason };
  }
}

/** The notification of a release that ended with a result: promoted, rejected or failed. */
export function releaseNotification(result: DeployResult, subject: MetricSubject): NotificationEvent {
  return {
    kind: result.status,
    model: subject.model,
    environment: subject.environment,
    modelId: result.modelId,
    deploymentId: result.candidateDeploymentId,
    productionDeploymentId:
      result.status === 'rejected' ? result.previousProductionDeploymentId : result.productionDeploymentId,
    previousProductionDeploymentId: result.previousProductionDeploymentId,
    reason: result.reason,
    reverted: result.status === 'failed' ? (result.reverted ?? false) : undefined,
  };
}

/** Notifies the end of a release. Releases recorded before notifications existed replay without it. */
export async function notifyReleaseResult(result: DeployResult): Promise<void> {
  if (!patched('release-notifications')) return;
  await sendNotification(releaseNotification(result, workflowSubject()));
}
