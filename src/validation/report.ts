/**
 * The verdict of validating a candidate. Plain JSON and small: it is an activity result, part of the
 * deploy result, and recorded in workflow history. Latencies are in milliseconds.
 */
export interface ValidationReport {
  passed: boolean;
  /** Each failed check in one line, e.g. `case "positive review": label: expected "positive", got "negative"`. */
  reasons: string[];
  warmup: WarmupReport;
  cases: CaseReport[];
  latency?: LatencyReport;
  comparison?: ComparisonReport;
  /** Wall time of the whole validation. */
  durationMs: number;
}

export interface WarmupReport {
  /** Deployment status seen before warming up, when the candidate is a deployment. */
  initialStatus?: string;
  /** True when `wake` was called because the candidate was scaled to zero. */
  woke: boolean;
  /** Predict attempts until the candidate first answered, and afterwards. */
  attempts: number;
  /** Why the last unanswered attempt before the first answer did not count. */
  lastProblem?: string;
  /** Time until the first answer (the cold start, when there was one). */
  firstAnswerMs?: number;
  durationMs: number;
}

export interface CaseReport {
  name: string;
  passed: boolean;
  /** HTTP status, absent when the request got no answer. */
  status?: number;
  latencyMs?: number;
  /** One line per failed check of this case. */
  failures: string[];
  /** Start of the output (JSON text), only for failed cases. */
  outputExcerpt?: string;
}

export interface LatencyStats {
  samples: number;
  /** Samples without a 2xx answer. */
  errors: number;
  errorRate: number;
  /** Percentiles of successful samples; absent when none succeeded. */
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  meanMs?: number;
}

export interface LatencyReport extends LatencyStats {
  concurrency: number;
  budget: { p50Ms?: number; p95Ms?: number; maxErrorRate: number };
  passed: boolean;
}

export interface ComparisonReport {
  percentile: 'p50' | 'p95';
  maxLatencyRatio: number;
  production?: LatencyStats;
  /** Candidate / production latency at `percentile`; absent when it could not be measured. */
  ratio?: number;
  passed: boolean;
  /** Why the comparison did not apply (no production deployment, production gave no answers). */
  skipped?: string;
}
