import { percentile } from '../../validation/percentiles';
import type { WindowSamples } from './traffic-log';

/** The metrics the emulator serves: Baseten's default set. Any other name is refused as unknown. */
export const metricNames = [
  'baseten_replicas_active',
  'baseten_inference_requests_total',
  'baseten_end_to_end_response_time_seconds',
] as const;
export type MetricName = (typeof metricNames)[number];
export const defaultMetricNames: readonly MetricName[] = metricNames;

/** What one step of a window knows about one deployment. */
export interface StepData {
  samples: WindowSamples;
  /** The deployment existed (and the emulator was running) for some of the step, and the step is not in the future. */
  known: boolean;
  /** Active replicas at the step's end (or now, if that is earlier). */
  replicas: number | undefined;
}

export interface MetricDefinition {
  name: MetricName;
  unit_hint: 'COUNT' | 'SECONDS';
  kind: 'GAUGE' | 'COUNTER' | 'HISTOGRAM';
  label_sets: Array<Record<string, string>>;
  /** One value per label set; null where that series has no data in the step. */
  values(step: StepData): Array<number | null>;
}

const statusClasses = ['2xx', '3xx', '4xx', '5xx'];
const quantiles = [0.5, 0.9, 0.95, 0.99];

const definitions: Record<MetricName, MetricDefinition> = {
  baseten_replicas_active: {
    name: 'baseten_replicas_active',
    unit_hint: 'COUNT',
    kind: 'GAUGE',
    label_sets: [{}],
    values: (step) => [step.known ? (step.replicas ?? null) : null],
  },
  // A COUNTER is the total over the step: requests that arrived in it, by status class. A step in which the
  // deployment existed but got no request is 0 (a count of nothing is data); one before it existed is null.
  baseten_inference_requests_total: {
    name: 'baseten_inference_requests_total',
    unit_hint: 'COUNT',
    kind: 'COUNTER',
    label_sets: statusClasses.map((status) => ({ status })),
    values: (step) =>
      statusClasses.map((cls) =>
        step.known ? step.samples.statuses.filter((s) => `${Math.floor(s / 100)}xx` === cls).length : null,
      ),
  },
  // Quantiles (nearest rank) and the mean of every request's end-to-end time in the step, errors included; null
  // when no request arrived (there is no quantile of nothing).
  baseten_end_to_end_response_time_seconds: {
    name: 'baseten_end_to_end_response_time_seconds',
    unit_hint: 'SECONDS',
    kind: 'HISTOGRAM',
    label_sets: [...quantiles.map((q) => ({ quantile: String(q) })), { stat: 'avg' }],
    values: (step) => {
      const sorted = [...step.samples.latenciesMs].sort((a, b) => a - b);
      if (sorted.length === 0) return [...quantiles.map(() => null), null];
      const mean = sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length;
      return [...quantiles.map((q) => seconds(percentile(sorted, q * 100))), seconds(mean)];
    },
  },
};

export function metricDefinition(name: MetricName): MetricDefinition {
  return definitions[name];
}

/** Microsecond precision: more would be noise from the clock. */
function seconds(ms: number): number {
  return Math.round(ms * 1000) / 1e6;
}
