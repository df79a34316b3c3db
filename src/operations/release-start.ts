import {
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import type { deployModel } from '../workflows/deploy';
import { environmentAttribute, modelAttribute, stageAttribute } from '../workflows/search-attributes';
import { releaseMetadata } from '../workflows/release-text';
import { describeWorkflow, waitUntilClosed } from './workflow-lookup';
import type { TemporalSettings } from '../temporal/settings';
import { workflowUiUrl } from '../temporal/ui-link';
import { UsageError } from '../common/usage-error';
import type { PreparedRelease } from './release-request';

/**
 * How long --supersede waits for the running release to end. One still before its promotion ends at once; one that
 * has reached its promote call finishes the promotion (and its revert, when that fails) first.
 */
const supersedeTimeoutMs = 5 * 60_000;

function refuse(settings: TemporalSettings, plan: PreparedRelease, runId?: string): UsageError {
  const link = workflowUiUrl(settings.uiUrl, settings.namespace, plan.workflowId, runId);
  return new UsageError(
    `a release of ${plan.input.modelName} to ${plan.input.environment} is already running: ${plan.workflowId} (${link}); wait for it, or pass --supersede`,
  );
}

/**
 * Refuses while a release of the same model and environment runs, or with --supersede cancels it and waits
 * until it has closed: a release cancelled before its promotion stops and leaves production as it was; one past
 * its promote call finishes promoting and verifying (or reverting) first, so production is never left
 * half-changed. Runs before the push worker starts, so a refusal leaves nothing behind.
 */
export async function clearRunningRelease(
  client: Client,
  settings: TemporalSettings,
  plan: PreparedRelease,
  supersede: boolean,
): Promise<void> {
  const running = await describeWorkflow(client, plan.workflowId);
  if (running?.status.name !== 'RUNNING') return;
  if (!supersede) throw refuse(settings, plan, running.runId);
  await client.workflow.getHandle(plan.workflowId, running.runId).cancel();
  if (!(await waitUntilClosed(client, plan.workflowId, supersedeTimeoutMs))) {
    throw new Error(
      `the running release ${plan.workflowId} did not stop within 5 minutes of being cancelled (it may be finishing its promotion or its revert)`,
    );
  }
}

/** Starts the deploy workflow; a release started by someone else in the meantime is refused the same way. */
export async function startRelease(
  client: Client,
  settings: TemporalSettings,
  plan: PreparedRelease,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof deployModel>> {
  try {
    return await client.workflow.start<typeof deployModel>('deployModel', {
      workflowId: plan.workflowId,
      taskQueue: settings.taskQueue,
      args: [plan.input],
      workflowIdConflictPolicy: 'FAIL',
      ...releaseMetadata(plan.input, settings.namespace),
      // BasetenCandidate holds the candidate deployment's id only: the release sets it once the push made one.
      typedSearchAttributes: [
        { key: modelAttribute, value: plan.input.modelName },
        { key: environmentAttribute, value: plan.input.environment },
        { key: stageAttribute, value: 'pushing' },
      ],
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw refuse(settings, plan);
    throw err;
  }
}
