import { z } from 'zod';

/** DeploymentMetricModeV1. */
export const metricModes = z.enum(['CURRENT', 'SUMMARY', 'SERIES']);
export type MetricMode = z.infer<typeof metricModes>;

/** DeploymentMetricDescriptorV1: one metric; its label sets name its series, in order. */
export const metricDescriptorSchema = z.looseObject({
  name: z.string(),
  unit_hint: z.string(),
  kind: z.string(),
  label_sets: z.array(z.record(z.string(), z.string())),
});

/** DeploymentMetricValueSetV1: per descriptor, per label set, a number or null (no data). */
export const metricValueSetSchema = z.looseObject({
  start_epoch_millis: z.int(),
  values: z.array(z.array(z.number().nullable())),
});

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
