import { z } from 'zod';

/** DeploymentMetricModeV1: CURRENT (a snapshot now), SUMMARY (one value set over the window), SERIES (steps). */
export const metricModes = z.enum(['CURRENT', 'SUMMARY', 'SERIES']);
export type MetricMode = z.infer<typeof metricModes>;

/** DeploymentMetricKindV1. */
export const metricKinds = z.enum(['GAUGE', 'COUNTER', 'HISTOGRAM']);

/**
 * DeploymentMetricDescriptorV1. `unit_hint` is advisory (the spec says so) and the endpoint is marked unstable,
 * so a unit Baseten adds later is accepted as any string rather than failing the whole answer.
 */
export const metricDescriptorSchema = z.looseObject({
  name: z.string(),
  unit_hint: z.string(),
  kind: metricKinds,
  label_sets: z.array(z.record(z.string(), z.string())),
});
export type MetricDescriptor = z.infer<typeof metricDescriptorSchema>;

/** DeploymentMetricValueSetV1: `values[i][j]` is descriptor i's series j; null where that series has no data. */
export const metricValueSetSchema = z.looseObject({
  start_epoch_millis: z.int(),
  values: z.array(z.array(z.number().nullable())),
});
export type MetricValueSet = z.infer<typeof metricValueSetSchema>;

/** GetDeploymentMetricsResponseV1. */
export const deploymentMetricsSchema = z.looseObject({
  start_epoch_millis: z.int(),
  end_epoch_millis: z.int(),
  mode: metricModes,
  step_seconds: z.int().nullable(),
  metric_descriptors: z.array(metricDescriptorSchema),
  metric_values: z.array(metricValueSetSchema),
});
export type DeploymentMetrics = z.infer<typeof deploymentMetricsSchema>;
