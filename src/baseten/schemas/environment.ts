import { z } from 'zod';
import { autoscalingSettingsSchema, deploymentSchema } from './deployment';

/** InProgressPromotionStatusV1. SUCCEEDED, FAILED and CANCELED are terminal. */
export const promotionStatuses = z.enum([
  'RELEASING',
  'RAMPING_UP',
  'RAMPING_DOWN',
  'PAUSED',
  'SUCCEEDED',
  'FAILED',
  'CANCELED',
]);
export type PromotionStatus = z.infer<typeof promotionStatuses>;

/** PromotionCleanupStrategyV1: what happens to the previous deployment after a promotion. */
export const promotionCleanupStrategies = z.enum(['KEEP', 'SCALE_TO_ZERO', 'DEACTIVATE']);
export type PromotionCleanupStrategy = z.infer<typeof promotionCleanupStrategies>;

/** InProgressPromotionV1. */
export const inProgressPromotionSchema = z.looseObject({
  status: promotionStatuses,
  percent_traffic_to_new_version: z.int(),
  error_message: z.string().nullish(),
  rolling_deploy: z.boolean().nullish(),
});
export type InProgressPromotion = z.infer<typeof inProgressPromotionSchema>;

/** RollingDeployConfigV1. */
export const rollingDeployConfigSchema = z.looseObject({
  rolling_deploy_strategy: z.enum(['REPLICA']).optional(),
  max_surge_percent: z.int().optional(),
  max_unavailable_percent: z.int().optional(),
  stabilization_time_seconds: z.int().optional(),
  replica_overhead_percent: z.int().optional(),
});
export type RollingDeployConfig = z.infer<typeof rollingDeployConfigSchema>;

/** PromotionSettingsV1 (every field optional in the spec; absent means Baseten's default). */
export const promotionSettingsSchema = z.looseObject({
  redeploy_on_promotion: z.boolean().nullish(),
  rolling_deploy: z.boolean().nullish(),
  promotion_cleanup_strategy: promotionCleanupStrategies.nullish(),
  rolling_deploy_config: rollingDeployConfigSchema.nullish(),
  ramp_up_while_promoting: z.boolean().nullish(),
  ramp_up_duration_seconds: z.int().nullish(),
});
export type PromotionSettings = z.infer<typeof promotionSettingsSchema>;

/** InstanceTypeV1. */
export const instanceTypeSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  memory_limit_mib: z.int(),
  millicpu_limit: z.int(),
  gpu_count: z.int(),
  gpu_type: z.string().nullable(),
  gpu_memory_limit_mib: z.int().nullable(),
});
export type InstanceType = z.infer<typeof instanceTypeSchema>;

/** EnvironmentV1. */
export const environmentSchema = z.looseObject({
  name: z.string(),
  created_at: z.string(),
  model_id: z.string(),
  current_deployment: deploymentSchema.nullable(),
  candidate_deployment: deploymentSchema.nullish(),
  in_progress_promotion: inProgressPromotionSchema.nullish(),
  autoscaling_settings: autoscalingSettingsSchema,
  promotion_settings: promotionSettingsSchema,
  instance_type: instanceTypeSchema,
});
export type Environment = z.infer<typeof environmentSchema>;

/** EnvironmentsV1. */
export const environmentsSchema = z.looseObject({ environments: z.array(environmentSchema) });
export type Environments = z.infer<typeof environmentsSchema>;
