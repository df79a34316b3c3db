import { z } from 'zod';
import { InvalidInputError, parseWith } from '../http/json-body';
import { metricNames, defaultMetricNames, type MetricName } from './catalog';
import { maxWindowMs } from './traffic-log';

export type MetricsMode = 'CURRENT' | 'SUMMARY' | 'SERIES';

/** The window a metrics answer covers, split into the steps that each get one value set. */
export interface MetricsWindow {
  mode: MetricsMode;
  start: number;
  end: number;
  /** SERIES only. */
  stepSeconds: number | null;
  steps: Array<{ start: number; end: number }>;
  metrics: MetricName[];
}

/**
 * CURRENT is "a snapshot at now", but a count or a quantile needs a span: the emulator reports the last minute
 * (a Prometheus-style rate window; Baseten's own metrics refresh every 30 s). Gauges are their value at now.
 */
export const currentWindowMs = 60_000;
const defaultWindowMs = 3600_000;
/** SERIES picks the smallest of these steps that gives at most `maxSteps` value sets. @unit s */
const niceStepsSeconds = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
const maxSteps = 120;

const epochMillis = z
  .string()
  .regex(/^-?\d+$/, 'must be an integer (epoch milliseconds)')
  .transform(Number);

const querySchema = z.object({
  mode: z.enum(['CURRENT', 'SUMMARY', 'SERIES']).default('CURRENT'),
  start_epoch_millis: epochMillis.optional(),
  end_epoch_millis: epochMillis.optional(),
  metrics: z.array(z.string()).optional(),
});

/** The query of GET .../metrics (GetDeploymentMetricsRequestV1); every refusal is one line, answered 400. */
export function parseMetricsQuery(query: URLSearchParams, now: number): MetricsWindow {
  const raw: Record<string, string | string[]> = {};
  for (const key of ['mode', 'start_epoch_millis', 'end_epoch_millis']) {
    const value = query.get(key);
    if (value !== null) raw[key] = value;
  }
  if (query.has('metrics')) raw.metrics = query.getAll('metrics');
  const input = parseWith(querySchema, raw, 'query');
  const metrics = chosenMetrics(input.metrics);

  if (input.mode === 'CURRENT') {
    if (input.start_epoch_millis !== undefined || input.end_epoch_millis !== undefined)
      throw new InvalidInputError(
        'Invalid request query: mode CURRENT is a snapshot at now and takes no start_epoch_millis or end_epoch_millis',
      );
    const start = now - currentWindowMs;
    return { mode: 'CURRENT', start, end: now, stepSeconds: null, steps: [{ start, end: now }], metrics };
  }
  const end = input.end_epoch_millis ?? now;
  const start = input.start_epoch_millis ?? end - defaultWindowMs;
  if (start >= end)
    throw new InvalidInputError(
      `Invalid request query: start_epoch_millis (${start}) must be before end_epoch_millis (${end})`,
    );
  if (end - start > maxWindowMs)
    throw new InvalidInputError('Invalid request query: the window between start and end must not exceed 7 days');
  if (input.mode === 'SUMMARY')
    return { mode: 'SUMMARY', start, end, stepSeconds: null, steps: [{ start, end }], metrics };
  const stepSeconds = seriesStepSeconds(end - start);
  const steps = [];
  for (let at = start; at < end; at += stepSeconds * 1000)
    steps.push({ start: at, end: Math.min(end, at + stepSeconds * 1000) });
  return { mode: 'SERIES', start, end, stepSeconds, steps, metrics };
}

/** The step SERIES uses for a window: the finest "round" step that keeps the answer within 120 value sets. */
export function seriesStepSeconds(windowMs: number): number {
  const fits = niceStepsSeconds.find((s) => Math.ceil(windowMs / (s * 1000)) <= maxSteps);
  return fits ?? (niceStepsSeconds[niceStepsSeconds.length - 1] as number);
}

function chosenMetrics(requested: string[] | undefined): MetricName[] {
  if (requested === undefined) return [...defaultMetricNames];
  const unknown = requested.filter((name) => !(metricNames as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new InvalidInputError(
      `Invalid request query: unknown metric ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the emulator serves ${metricNames.join(', ')}`,
    );
  return [...new Set(requested as MetricName[])];
}
