import { metricMeter, workflowInfo } from '@temporalio/workflow';
import type { ValidationReport } from '../validation/report';
import { environmentAttribute, modelAttribute } from './search-attributes';
import type { DeployResult } from './types';

/*
 * baseten-cd's own metrics, recorded from workflow code with the SDK's replay-safe metricMeter: nothing is
 * emitted while a history replays, so a worker that takes over a workflow does not count it again. They go to
 * the worker's Prometheus endpoint (BASETEN_CD_METRICS_PORT) next to Temporal's own, and carry Temporal's tags
 * (namespace, task_queue, workflow_type) plus `model` and `environment`. Counters are per worker process:
 * sum them over the fleet (`sum by (outcome) (rate(baseten_cd_releases[1h]))`).
 */

/** Every metric name, in one place (the worker's bucket settings and the README use them). */
export const metricNames = {
  /** Counter: releases that ended with a result, tag `outcome` = promoted | rejected | failed. */
  releases: 'baseten_cd_releases',
  /** Counter: reverts of production, tag `outcome` = reverted | failed. */
  reverts: 'baseten_cd_reverts',
  /** Histogram (ms): from production first looking bad to the decision to revert. */
  revertDetect: 'baseten_cd_revert_detect_ms',
  /** Histogram (ms): from the decision to revert to production verified on the previous deployment. */
  revertRestore: 'baseten_cd_revert_restore_ms',
  /** Histogram (ms): wall time of a candidate's whole validation, tag `passed`. */
  validationDuration: 'baseten_cd_validation_duration_ms',
  /** Histogram (ms): the candidate's measured latency, tag `percentile` = p50 | p95. */
  validationLatency: 'baseten_cd_validation_latency_ms',
  /** Counter: production watchers started (first run only, not each continue-as-new). */
  watchersStarted: 'baseten_cd_watchers_started',
  /** Counter: production watchers that ended, tag `reason`. */
  watchersEnded: 'baseten_cd_watchers_ended',
} as const;

/** Which model and environment a metric is about. */
export interface MetricSubject {
  model: string;
  environment: string;
}

/**
 * The model and environment of the running workflow, from its BasetenModel and BasetenEnvironment search
 * attributes (a release sets both at its start); `unknown` where one is not set.
 */
export function workflowSubject(): MetricSubject {
  const attributes = workflowInfo().typedSearchAttributes;
  return {
    model: attributes.get(modelAttribute) ?? 'unknown',
    environment: attributes.get(environmentAttribute) ?? 'unknown',
  };
}

/** Counts a release that ended with a result, with its validation numbers and, when it reverted, the revert. */
export function recordReleaseOutcome(result: DeployResult, subject: MetricSubject = workflowSubject()): void {
  metricMeter
    .createCounter(metricNames.releases, 'releases', 'Releases that ended with a result, by outcome')
    .add(1, { ...subject, outcome: result.status });
  if (result.validation) recordValidation(result.validation, subject);
  if (result.reverted) recordRevert({ outcome: 'reverted' }, subject);
}

/** Records how long a validation took and the latency it measured (p50 and p95, when it sampled). */
export function recordValidation(report: ValidationReport, subject: MetricSubject = workflowSubject()): void {
  metricMeter
    .createHistogram(metricNames.validationDuration, 'int', 'ms', 'Wall time of a candidate validation')
    .record(Math.max(0, Math.round(report.durationMs)), { ...subject, passed: report.passed });
  const latency = metricMeter.createHistogram(
    metricNames.validationLatency,
    'float',
    'ms',
    "A candidate's latency as its validation measured it",
  );
  for (const [percentile, value] of [
    ['p50', report.latency?.p50Ms],
    ['p95', report.latency?.p95Ms],
  ] as const) {
    if (value !== undefined) latency.record(Math.max(0, value), { ...subject, percentile });
  }
}

/** A revert of production, as the watcher (or a release's verification failure) ended it. */
export interface RevertRecord {
  /** `reverted`: production serves the previous deployment again, verified; `failed`: it could not be put back. */
  outcome: 'reverted' | 'failed';
  /** From the first bad observation of production to the decision to revert. @unit ms */
  detectMs?: number;
  /** From the decision to revert to production verified on the previous deployment (only when reverted). @unit ms */
  restoreMs?: number;
}

/** Counts a revert and records its time to detect and time to restore, where known. */
export function recordRevert(revert: RevertRecord, subject: MetricSubject = workflowSubject()): void {
  metricMeter
    .createCounter(metricNames.reverts, 'reverts', 'Reverts of production, by outcome')
    .add(1, { ...subject, outcome: revert.outcome });
  if (revert.detectMs !== undefined) {
    metricMeter
      .createHistogram(metricNames.revertDetect, 'int', 'ms', 'Time from production turning bad to the revert decision')
      .record(Math.max(0, Math.round(revert.detectMs)), { ...subject });
  }
  if (revert.restoreMs !== undefined) {
    metricMeter
      .createHistogram(metricNames.revertRestore, 'int', 'ms', 'Time from the revert decision to production restored')
      .record(Math.max(0, Math.round(revert.restoreMs)), { ...subject });
  }
}

/**
 * Watchers running = sum(baseten_cd_watchers_started) - sum(baseten_cd_watchers_ended) over the fleet. Two
 * counters, not a gauge: a watcher's workflow tasks move between worker processes, and a per-process gauge
 * (or up-down counter, which workflow code does not have) would be left standing on the process that last ran
 * it. A worker restart resets its counters, so for an exact number ask Temporal:
 * `temporal workflow count --query "WorkflowType='watchProduction' AND ExecutionStatus='Running'"`.
 * Call watcherStarted once, in a watcher's first run (not after continue-as-new), and watcherEnded when it
 * finally returns (superseded, stopped, failed...).
 */
export function watcherStarted(subject: MetricSubject = workflowSubject()): void {
  metricMeter
    .createCounter(metricNames.watchersStarted, 'watchers', 'Production watchers started')
    .add(1, { ...subject });
}

/** See watcherStarted. `reason` is a short fixed word (superseded, stopped, failed), never free text. */
export function watcherEnded(reason: string, subject: MetricSubject = workflowSubject()): void {
  metricMeter
    .createCounter(metricNames.watchersEnded, 'watchers', 'Production watchers that ended, by reason')
    .add(1, { ...subject, reason });
}
