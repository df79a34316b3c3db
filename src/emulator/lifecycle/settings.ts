import type { AutoscalingSettings, PromotionSettings, RollingDeployConfig } from '../state/types';

/** A partial update: absent and null fields leave the setting as it is (UpdateAutoscalingSettingsV1). */
export type AutoscalingPatch = { [K in keyof AutoscalingSettings]?: AutoscalingSettings[K] | null };
export type PromotionSettingsPatch = {
  [K in keyof Omit<PromotionSettings, 'rolling_deploy_config'>]?: PromotionSettings[K] | null;
} & { rolling_deploy_config?: { [K in keyof RollingDeployConfig]?: RollingDeployConfig[K] | null } | null };

export function applyAutoscalingPatch(
  current: AutoscalingSettings,
  patch: AutoscalingPatch | null | undefined,
): { next: AutoscalingSettings; changed: boolean } {
  return applyPatch(current, patch ?? {});
}

export function applyPromotionPatch(
  current: PromotionSettings,
  patch: PromotionSettingsPatch | null | undefined,
): { next: PromotionSettings; changed: boolean } {
  const { rolling_deploy_config: rolling, ...flat } = patch ?? {};
  const base = applyPatch(current, flat);
  if (!rolling) return base;
  const config = applyPatch(current.rolling_deploy_config ?? defaultRollingDeployConfig(), rolling);
  const changed = base.changed || config.changed || current.rolling_deploy_config === null;
  return { next: { ...base.next, rolling_deploy_config: config.next }, changed };
}

/** RollingDeployConfigV1's defaults (the spec's), used when rolling_deploy is on without a config. */
export function defaultRollingDeployConfig(): RollingDeployConfig {
  return {
    rolling_deploy_strategy: 'REPLICA',
    max_surge_percent: 10,
    max_unavailable_percent: 0,
    stabilization_time_seconds: 0,
    replica_overhead_percent: 0,
  };
}

function applyPatch<T extends object>(
  current: T,
  patch: Partial<Record<keyof T, unknown>>,
): { next: T; changed: boolean } {
  const next = { ...current };
  let changed = false;
  for (const key of Object.keys(patch) as (keyof T)[]) {
    const value = patch[key];
    if (value === undefined || value === null || value === current[key]) continue;
    next[key] = value as T[keyof T];
    changed = true;
  }
  return { next, changed };
}
