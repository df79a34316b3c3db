import { metricDefinition } from './catalog';
import type { MetricsWindow } from './query';
import type { TrafficLog } from './traffic-log';

/** GetDeploymentMetricsResponseV1 (management-openapi.json). */
export interface DeploymentMetricsV1 {
  start_epoch_millis: number;
  end_epoch_millis: number;
  mode: MetricsWindow['mode'];
  step_seconds: number | null;
  metric_descriptors: Array<{
    name: string;
    unit_hint: string;
    kind: string;
    label_sets: Array<Record<string, string>>;
  }>;
  metric_values: Array<{ start_epoch_millis: number; values: Array<Array<number | null>> }>;
}

/** One deployment's metrics over a window: one value set per step, values aligned to the descriptors. */
export function deploymentMetrics(
  traffic: TrafficLog,
  deploymentId: string,
  window: MetricsWindow,
  now: number,
): DeploymentMetricsV1 {
  const definitions = window.metrics.map(metricDefinition);
  const knownSince = traffic.knownSince(deploymentId);
  const lastStep = window.steps.length - 1;
  return {
    start_epoch_millis: window.start,
    end_epoch_millis: window.end,
    mode: window.mode,
    step_seconds: window.stepSeconds,
    metric_descriptors: definitions.map(({ name, unit_hint, kind, label_sets }) => ({
      name,
      unit_hint,
      kind,
      label_sets: label_sets.map((labels) => ({ ...labels })),
    })),
    metric_values: window.steps.map((step, i) => {
      const known = knownSince !== undefined && step.end >= knownSince && step.start <= now;
      const data = {
        // The last step includes the window's end, so a request that arrived at exactly `end` is counted.
        samples: traffic.samples(deploymentId, step.start, step.end, i === lastStep),
        known,
        replicas: traffic.replicasAt(deploymentId, Math.min(step.end, now)),
      };
      return { start_epoch_millis: step.start, values: definitions.map((d) => d.values(data)) };
    }),
  };
}
