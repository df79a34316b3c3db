import type { DeploymentMetrics } from './schemas';

/** Real traffic of one deployment over a metrics window. Latencies in milliseconds. */
export interface TrafficSummary {
  requests: number;
  errors5xx: number;
  /** The 5xx share, 0..1; absent when there was no request. */
  errorRate?: number;
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  replicasActive?: number;
}

const requestsMetric = 'baseten_inference_requests_total';
const latencyMetric = 'baseten_end_to_end_response_time_seconds';
const replicasMetric = 'baseten_replicas_active';

/**
 * Reads a metrics response (SUMMARY mode: one value set over the window) into request counts, the 5xx share and
 * latency percentiles. With several value sets (SERIES), counts are summed and the latest percentiles are used.
 */
export function trafficSummary(metrics: DeploymentMetrics): TrafficSummary {
  let requests = 0;
  let errors5xx = 0;
  const latest: { p50Ms?: number; p95Ms?: number; p99Ms?: number; replicasActive?: number } = {};
  metrics.metric_descriptors.forEach((descriptor, i) => {
    for (const set of metrics.metric_values) {
      const values = set.values[i] ?? [];
      descriptor.label_sets.forEach((labels, j) => {
        const value = values[j];
        if (value === null || value === undefined) return;
        if (descriptor.name === requestsMetric) {
          requests += value;
          if (labels.status === '5xx') errors5xx += value;
        } else if (descriptor.name === latencyMetric) {
          if (labels.quantile === '0.5') latest.p50Ms = value * 1000;
          if (labels.quantile === '0.95') latest.p95Ms = value * 1000;
          if (labels.quantile === '0.99') latest.p99Ms = value * 1000;
        } else if (descriptor.name === replicasMetric) {
          latest.replicasActive = value;
        }
      });
    }
  });
  return { requests, errors5xx, ...(requests > 0 ? { errorRate: errors5xx / requests } : {}), ...latest };
}
