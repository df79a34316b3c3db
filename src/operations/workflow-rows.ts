import type { WorkflowExecutionInfo } from '@temporalio/client';
import { UsageError } from '../common/usage-error';
import {
  candidateAttribute,
  deploymentAttribute,
  environmentAttribute,
  modelAttribute,
  stageAttribute,
} from '../workflows/search-attributes';
import { workflowUiUrl } from '../temporal/ui-link';

/** What `list` and `status` report about a release or a watcher run: one row of `list --json`. */
export interface WorkflowRow {
  kind: 'release' | 'watcher';
  workflowId: string;
  runId: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT, CONTINUED_AS_NEW. */
  execution: string;
  model?: string;
  environment?: string;
  /** A release's candidate deployment, or the deployment a watcher watches. */
  deployment?: string;
  stage?: string;
  startTime: string;
  closeTime?: string;
  uiUrl: string;
}

/** A release's row (the name `list` has always used). */
export type ReleaseRow = WorkflowRow;

/** The parts of a listed or described run a row needs (a description is not a WorkflowExecutionInfo: `raw` differs). */
type WorkflowRun = Pick<
  WorkflowExecutionInfo,
  'workflowId' | 'runId' | 'type' | 'status' | 'typedSearchAttributes' | 'startTime' | 'closeTime'
>;

export const workflowTypes = { release: 'deployModel', watcher: 'watchProduction' } as const;

export function workflowRow(run: WorkflowRun, ui: { uiUrl: string; namespace: string }): WorkflowRow {
  const attributes = run.typedSearchAttributes;
  const kind = run.type === workflowTypes.watcher ? 'watcher' : 'release';
  return {
    kind,
    workflowId: run.workflowId,
    runId: run.runId,
    execution: run.status.name,
    model: attributes.get(modelAttribute),
    environment: attributes.get(environmentAttribute),
    deployment: attributes.get(kind === 'watcher' ? deploymentAttribute : candidateAttribute),
    stage: attributes.get(stageAttribute),
    startTime: run.startTime.toISOString(),
    closeTime: run.closeTime?.toISOString(),
    uiUrl: workflowUiUrl(ui.uiUrl, ui.namespace, run.workflowId, run.runId),
  };
}

export function releaseRow(run: WorkflowRun, ui: { uiUrl: string; namespace: string }): WorkflowRow {
  return workflowRow(run, ui);
}

/** What `list` asks for: releases, watchers or both, of one model or all. */
export interface ListFilter {
  kind?: 'release' | 'watcher';
  model?: string;
  environment?: string;
  /** Only running ones. */
  running?: boolean;
}

/** The visibility query for a list of releases and watchers. */
export function listQuery(filter: ListFilter = {}): string {
  const types = filter.kind ? [workflowTypes[filter.kind]] : Object.values(workflowTypes);
  const clauses = [`WorkflowType IN (${types.map((t) => `'${t}'`).join(', ')})`];
  for (const [value, attribute, flag] of [
    [filter.model, modelAttribute.name, '--model'],
    [filter.environment, environmentAttribute.name, '--environment'],
  ] as const) {
    if (value === undefined) continue;
    // Visibility queries have no escape for quotes; model and environment names never contain one.
    if (/['"\\]/.test(value)) throw new UsageError(`${flag} '${value}': quotes and backslashes are not allowed`);
    clauses.push(`${attribute}='${value}'`);
  }
  if (filter.running) clauses.push("ExecutionStatus='Running'");
  return clauses.join(' AND ');
}
