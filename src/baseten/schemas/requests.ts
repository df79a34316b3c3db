import { z } from 'zod';
import { promotionCleanupStrategies } from './environment';

/** PromoteRequestV1 (`.../deployments/{id|development}/promote`); Baseten defaults both flags to true. */
export const promoteRequestSchema = z.object({
  scale_down_previous_production: z.boolean().optional(),
  preserve_env_instance_type: z.boolean().optional(),
});
export type PromoteRequest = z.input<typeof promoteRequestSchema>;

/** PromoteToEnvironmentRequestV1 (`.../environments/{env}/promote`). Note `..._deployment`, not `..._production`. */
export const promoteToEnvironmentRequestSchema = z.object({
  deployment_id: z.string().min(1),
  scale_down_previous_deployment: z.boolean().optional(),
  preserve_env_instance_type: z.boolean().optional(),
});
export type PromoteToEnvironmentRequest = z.input<typeof promoteToEnvironmentRequestSchema>;

/** UpdateAutoscalingSettingsV1: a partial update; only the fields sent change. The spec forbids other keys. */
export const updateAutoscalingSettingsSchema = z.strictObject({
  min_replica: z.int().nullish(),
  max_replica: z.int().nullish(),
  autoscaling_window: z.int().nullish(),
  scale_down_delay: z.int().nullish(),
  concurrency_target: z.int().nullish(),
  target_utilization_percentage: z.int().nullish(),
  target_in_flight_tokens: z.int().nullish(),
  max_scale_down_rate: z.int().min(1).max(50).nullish(),
});
export type UpdateAutoscalingSettings = z.input<typeof updateAutoscalingSettingsSchema>;

/** UpdateRollingDeployConfigV1. */
export const updateRollingDeployConfigSchema = z.object({
  rolling_deploy_strategy: z.enum(['REPLICA']).nullish(),
  max_surge_percent: z.int().nullish(),
  max_unavailable_percent: z.int().nullish(),
  stabilization_time_seconds: z.int().nullish(),
  replica_overhead_percent: z.int().nullish(),
});

/** UpdatePromotionSettingsV1: a partial update of an environment's promotion settings. */
export const updatePromotionSettingsSchema = z.object({
  redeploy_on_promotion: z.boolean().nullish(),
  rolling_deploy: z.boolean().nullish(),
  promotion_cleanup_strategy: promotionCleanupStrategies.nullish(),
  rolling_deploy_config: updateRollingDeployConfigSchema.nullish(),
  ramp_up_while_promoting: z.boolean().nullish(),
  ramp_up_duration_seconds: z.int().nullish(),
});
export type UpdatePromotionSettings = z.input<typeof updatePromotionSettingsSchema>;

/** CreateEnvironmentRequestV1. */
export const createEnvironmentRequestSchema = z.object({
  name: z.string().min(1),
  autoscaling_settings: updateAutoscalingSettingsSchema.nullish(),
  promotion_settings: updatePromotionSettingsSchema.nullish(),
});
export type CreateEnvironmentRequest = z.input<typeof createEnvironmentRequestSchema>;

/** UpdateEnvironmentRequestV1: a partial update of an environment's settings. The spec forbids other keys. */
export const updateEnvironmentRequestSchema = z.strictObject({
  autoscaling_settings: updateAutoscalingSettingsSchema.nullish(),
  promotion_settings: updatePromotionSettingsSchema.nullish(),
});
export type UpdateEnvironmentRequest = z.input<typeof updateEnvironmentRequestSchema>;
