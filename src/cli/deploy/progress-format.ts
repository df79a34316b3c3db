import type { ValidationReport } from '../../validation/report';
import type { ReleaseProgress } from '../../workflows/types';

/** `75000` → `1m15s`: short elapsed times for progress lines. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

function formatMs(ms: number | undefined): string {
  return ms === undefined ? '-' : `${Math.round(ms)}ms`;
}

/** `cases 3/3 passed, p50 41ms, p95 88ms, error rate 0%` (latency parts only once measured). */
export function summariseValidation(report: ValidationReport): string {
  const passedCases = report.cases.filter((c) => c.passed).length;
  const parts = [`cases ${passedCases}/${report.cases.length} passed`];
  if (report.latency) {
    const { p50Ms, p95Ms, errorRate } = report.latency;
    parts.push(`p50 ${formatMs(p50Ms)}`, `p95 ${formatMs(p95Ms)}`, `error rate ${+(errorRate * 100).toFixed(1)}%`);
  }
  if (!report.passed && report.reasons[0]) parts.push(`first failure: ${report.reasons[0]}`);
  return parts.join(', ');
}

/** What a release is doing, in one line, without the elapsed time (so unchanged progress compares equal). */
export function describeProgress(progress: ReleaseProgress): string {
  const parts: string[] = [progress.stage];
  if (progress.candidateDeploymentId) {
    const status = progress.candidateStatus ? ` ${progress.candidateStatus}` : '';
    parts.push(`candidate ${progress.candidateDeploymentId}${status}`);
  }
  if (progress.validation) parts.push(summariseValidation(progress.validation));
  if (progress.message) parts.push(progress.message);
  return parts.join(' | ');
}

/** Prints a line when the progress changes, and otherwise every `heartbeatMs` so a long wait shows it is alive. */
export class ProgressPrinter {
  private lastBody: string | undefined;
  private lastPrintedAt = 0;

  constructor(
    private readonly print: (line: string) => void,
    private readonly startedAt: number,
    private readonly heartbeatMs = 15_000,
  ) {}

  update(progress: ReleaseProgress, now: number): void {
    const body = describeProgress(progress);
    if (body === this.lastBody && now - this.lastPrintedAt < this.heartbeatMs) return;
    this.lastBody = body;
    this.lastPrintedAt = now;
    this.print(`[${formatElapsed(now - this.startedAt).padStart(6)}] ${body}`);
  }

  /** No worker answered the progress query: say so now and then, because a missing fleet looks like a hang. */
  silence(now: number, hint: string): void {
    if (now - this.lastPrintedAt < this.heartbeatMs) return;
    this.lastPrintedAt = now;
    this.lastBody = undefined;
    this.print(`[${formatElapsed(now - this.startedAt).padStart(6)}] ${hint}`);
  }
}
