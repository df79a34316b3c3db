import { z } from 'zod';

// Objects are loose (unknown keys kept) so fields Baseten adds later do not break parsing;
// required keys, their types and enums are still enforced. Names follow management-openapi.json.

/** DeploymentStatusV1: all 14 values, in the spec's order. */
export const deploymentStatuses = z.enum([
  'BUILDING',
  'DEPLOYING',
  'DEPLOY_FAILED',
  'LOADING_MODEL',
  'ACTIVE',
  'UNHEALTHY',
  'BUILD_FAILED',
  'BUILD_STOPPED',
  'DEACTIVATING',
  'INACTIVE',
  'FAILED',
  'UPDATING',
  'SCALED_TO_ZERO',
  'WAKING_UP',
]);
export type DeploymentStatus = z.infer<typeof deploymentStatuses>;

/** AutoscalingSettingsV1. */
export const autoscalingSettingsSchema = z.looseObject({
  min_replica: z.int(),
  max_replica: z.int(),
  autoscaling_window: z.int().nullable(),
  scale_down_delay: z.int().nullable(),
  concurrency_target: z.int(),
  target_utilization_percentage: z.int().nullable(),
  target_in_flight_tokens: z.int().nullish(),
  max_scale_down_rate: z.int().nullish(),
});
export type AutoscalingSettings = z.infer<typeof autoscalingSettingsSchema>;

/** DeploymentV1. `autoscaling_settings` is null until the deployment has finished deploying. */
export const deploymentSchema = z.looseObject({
  id: z.string(),
  created_at: z.string(),
  name: z.string(),
  model_id: z.string(),
  is_production: z.boolean(),
  is_development: z.boolean(),
  status: deploymentStatuses,
  active_replica_count: z.int(),
  autoscaling_settings: autoscalingSettingsSchema.nullable(),
  instance_type_name: z.string().nullable(),
  environment: z.string().nullable(),
  labels: z.record(z.string(), z.unknown()).nullish(),
});
export type Deployment = z.infer<typeof deploymentSchema>;

/** DeploymentsV1. */
export const deploymentsSchema = z.looseObject({ deployments: z.array(deploymentSchema) });
export type Deployments = z.infer<typeof deploymentsSchema>;
