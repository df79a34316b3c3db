import type { WorkflowExecutionInfo } from '@temporalio/client';
import { environmentAttribute, modelAttribute, stageAttribute } from '../workflows/search-attributes';
import { workflowUiUrl } from '../temporal/ui-link';

/** What `list` and `status` report about any release run: one row of `list --json`. */
export interface ReleaseRow {
  workflowId: string;
  runId: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT. */
  execution: string;
  model?: string;
  environment?: string;
  stage?: string;
  startTime: string;
  closeTime?: string;
  uiUrl: string;
}

/** The parts of a listed or described run a row needs (a description is not a WorkflowExecutionInfo: `raw` differs). */
type ReleaseRun = Pick<
  WorkflowExecutionInfo,
  'workflowId' | 'runId' | 'status' | 'typedSearchAttributes' | 'startTime' | 'closeTime'
>;

export function releaseRow(run: ReleaseRun, ui: { uiUrl: string; namespace: string }): ReleaseRow {
  const attributes = run.typedSearchAttributes;
  return {
    workflowId: run.workflowId,
    runId: run.runId,
    execution: run.status.name,
    model: attributes.get(modelAttribute),
    environment: attributes.get(environmentAttribute),
    stage: attributes.get(stageAttribute),
    startTime: run.startTime.toISOString(),
    closeTime: run.closeTime?.toISOString(),
    uiUrl: workflowUiUrl(ui.uiUrl, ui.namespace, run.workflowId, run.runId),
  };
}
