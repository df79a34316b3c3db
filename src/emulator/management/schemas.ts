import { z } from 'zod';

/** Request bodies from management-openapi.json, checked at the edge. */

const nullableInt = z.number().int().nullable().optional();

export const autoscalingPatchSchema = z.strictObject({
  min_replica: nullableInt,
  max_replica: nullableInt,
  autoscaling_window: nullableInt,
  scale_down_delay: nullableInt,
  concurrency_target: nullableInt,
  target_utilization_percentage: nullableInt,
  target_in_flight_tokens: nullableInt,
  max_scale_down_rate: z.number().int().min(1).max(50).nullable().optional(),
});

const rollingDeployConfigPatchSchema = z.object({
  rolling_deploy_strategy: z.literal('REPLICA').nullable().optional(),
  max_surge_percent: nullableInt,
  max_unavailable_percent: nullableInt,
  stabilization_time_seconds: nullableInt,
  replica_overhead_percent: nullableInt,
});

export const promotionSettingsPatchSchema = z.object({
  redeploy_on_promotion: z.boolean().nullable().optional(),
  rolling_deploy: z.boolean().nullable().optional(),
  promotion_cleanup_strategy: z.enum(['KEEP', 'SCALE_TO_ZERO', 'DEACTIVATE']).nullable().optional(),
  rolling_deploy_config: rollingDeployConfigPatchSchema.nullable().optional(),
  ramp_up_while_promoting: z.boolean().nullable().optional(),
  ramp_up_duration_seconds: nullableInt,
});

export const promoteSchema = z.object({
  scale_down_previous_production: z.boolean().default(true),
  preserve_env_instance_type: z.boolean().default(true),
});

export const promoteToEnvironmentSchema = z.object({
  deployment_id: z.string().min(1),
  scale_down_previous_deployment: z.boolean().default(true),
  preserve_env_instance_type: z.boolean().default(true),
});

export const createEnvironmentSchema = z.object({
  name: z.string().min(1),
  autoscaling_settings: autoscalingPatchSchema.nullable().optional(),
  promotion_settings: promotionSettingsPatchSchema.nullable().optional(),
});

export const updateEnvironmentSchema = z.strictObject({
  autoscaling_settings: autoscalingPatchSchema.nullable().optional(),
  promotion_settings: promotionSettingsPatchSchema.nullable().optional(),
});

export const updateDeploymentSchema = z.object({
  name: z.string().regex(/^[0-9a-zA-Z_.-]+$/, 'may only contain letters, digits, "_", "-" and "."'),
});

const logLevel = z.enum(['DEBUG', 'INFO', 'WARNING', 'ERROR']);
const direction = z.enum(['asc', 'desc']);

export const logsBodySchema = z.object({
  start_epoch_millis: z.number().int().nullable().optional(),
  end_epoch_millis: z.number().int().nullable().optional(),
  direction: direction.nullable().optional(),
  limit: z.number().int().min(1).max(1000).nullable().optional(),
  min_level: logLevel.nullable().optional(),
  search_pattern: z.string().max(256).nullable().optional(),
  includes: z.array(z.string()).max(8).optional(),
  excludes: z.array(z.string()).max(8).optional(),
});

/** The GET form: the same fields as query parameters (strings, repeated for the arrays). */
export const logsQuerySchema = z.object({
  start_epoch_millis: z.coerce.number().int().optional(),
  end_epoch_millis: z.coerce.number().int().optional(),
  direction: direction.optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  min_level: logLevel.optional(),
  search_pattern: z.string().max(256).optional(),
  includes: z.array(z.string()).max(8).optional(),
  excludes: z.array(z.string()).max(8).optional(),
});

export type LogsInput = z.output<typeof logsBodySchema>;
