import type { DeploymentMetrics } from './schemas';

/** The numbers a production watcher judges, read from a metrics answer. */
export interface TrafficSummary {
  /** Requests of every status class. */
  requests: number;
  errors5xx: number;
  /** errors5xx / requests; absent when there were no requests (nothing to judge). */
  errorRate?: number;
  /** End-to-end response time quantiles; absent when the answer has none (no requests, or not asked for). */
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  /** The latest active replica count in the answer. */
  replicasActive?: number;
}

const requestsMetric = 'baseten_inference_requests_total';
const latencyMetric = 'baseten_end_to_end_response_time_seconds';
const replicasMetric = 'baseten_replicas_active';

/**
 * Sums up a SUMMARY (or CURRENT) answer, whose single value set covers the whole window. Given a SERIES, it
 * sums the counters over every step, takes each quantile as the mean of the steps' own weighted by their requests
 * (quantiles of steps cannot be combined into the window's own exactly; a slow stretch is caught by judging the
 * recent steps on their own, see recentSteps) and the last replica count reported. Series are found by their
 * labels, never by position, and null values (no data) are skipped.
 */
export function trafficSummary(metrics: DeploymentMetrics): TrafficSummary {
  const requests = sum(valuesOf(metrics, requestsMetric, () => true));
  const errors5xx = sum(valuesOf(metrics, requestsMetric, (labels) => labels.status === '5xx'));
  const quantileMs = (q: string) => {
    const seconds = weightedQuantile(metrics, q);
    return seconds !== undefined ? Math.round(seconds * 1e6) / 1e3 : undefined;
  };
  const replicas = valuesOf(metrics, replicasMetric, () => true);
  const summary: TrafficSummary = { requests, errors5xx };
  if (requests > 0) summary.errorRate = errors5xx / requests;
  const p50 = quantileMs('0.5');
  const p95 = quantileMs('0.95');
  const p99 = quantileMs('0.99');
  if (p50 !== undefined) summary.p50Ms = p50;
  if (p95 !== undefined) summary.p95Ms = p95;
  if (p99 !== undefined) summary.p99Ms = p99;
  if (replicas.length > 0) summary.replicasActive = replicas[replicas.length - 1];
  return summary;
}

/**
 * A SERIES cut to its recent part: the value sets (steps) that start at or after `fromMs`, and as many steps before
 * them as it takes to hold `minRequests` requests (so a short recent part can still be judged).
 */
export function recentSteps(metrics: DeploymentMetrics, fromMs: number, minRequests = 0): DeploymentMetrics {
  const sets = metrics.metric_values;
  let first = sets.length;
  let requests = 0;
  while (first > 0) {
    const set = sets[first - 1] as DeploymentMetrics['metric_values'][number];
    if (set.start_epoch_millis < fromMs && requests >= minRequests) break;
    first -= 1;
    requests += requestsIn(metrics, set);
  }
  return { ...metrics, metric_values: sets.slice(first) };
}

/** Quantile `q` in seconds: one value set's own, or the request-weighted mean over a SERIES's steps. */
function weightedQuantile(metrics: DeploymentMetrics, q: string): number | undefined {
  let weighted = 0;
  let weights = 0;
  for (const set of metrics.metric_values) {
    const [seconds] = valuesOf({ ...metrics, metric_values: [set] }, latencyMetric, (labels) => labels.quantile === q);
    if (seconds === undefined) continue;
    // A step without request counts (or a SUMMARY) still counts, once.
    const weight = requestsIn(metrics, set) || 1;
    weighted += seconds * weight;
    weights += weight;
  }
  return weights > 0 ? weighted / weights : undefined;
}

/** The requests (of every status class) one value set of the answer counts. */
function requestsIn(metrics: DeploymentMetrics, set: DeploymentMetrics['metric_values'][number]): number {
  return sum(valuesOf({ ...metrics, metric_values: [set] }, requestsMetric, () => true));
}

/** Every non-null value, across the value sets in order, of the named metric's series whose labels match. */
function valuesOf(
  metrics: DeploymentMetrics,
  name: string,
  matches: (labels: Record<string, string>) => boolean,
): number[] {
  const index = metrics.metric_descriptors.findIndex((d) => d.name === name);
  const descriptor = metrics.metric_descriptors[index];
  if (!descriptor) return [];
  const series = descriptor.label_sets.flatMap((labels, j) => (matches(labels) ? [j] : []));
  return metrics.metric_values.flatMap((set) =>
    series.flatMap((j) => {
      const value = set.values[index]?.[j];
      return typeof value === 'number' ? [value] : [];
    }),
  );
}

function sum(values: number[]): number {
  return values.reduce((total, v) => total + v, 0);
}
