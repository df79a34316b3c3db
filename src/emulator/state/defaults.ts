import type { AutoscalingSettings, PromotionSettings } from './types';

/** Baseten's documented autoscaling defaults (docs: deploy/autoscaling). */
export function defaultAutoscaling(): AutoscalingSettings {
  return {
    min_replica: 0,
    max_replica: 1,
    autoscaling_window: 60,
    scale_down_delay: 900,
    concurrency_target: 1,
    target_utilization_percentage: 70,
    target_in_flight_tokens: null,
    max_scale_down_rate: null,
  };
}

export function defaultPromotionSettings(): PromotionSettings {
  return {
    redeploy_on_promotion: false,
    rolling_deploy: false,
    promotion_cleanup_strategy: 'SCALE_TO_ZERO',
    rolling_deploy_config: null,
    ramp_up_while_promoting: false,
    ramp_up_duration_seconds: 600,
  };
}

/** Every emulated deployment runs on one CPU-only instance type (the config's `resources` are not modelled). */
export const emulatorInstanceType = {
  id: '1x2',
  name: '1x2',
  memory_limit_mib: 2048,
  millicpu_limit: 1000,
  gpu_count: 0,
  gpu_type: null,
  gpu_memory_limit_mib: null,
} as const;

export const emulatorTeamName = 'emulator';
