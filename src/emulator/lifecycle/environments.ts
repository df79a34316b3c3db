import { defaultAutoscaling, defaultPromotionSettings } from '../state/defaults';
import type { EnvironmentRecord } from '../state/types';
import { promote, type PromotionHost } from './promotion';
import { conflict, invalid, notFound } from './service-error';
import {
  applyAutoscalingPatch,
  applyPromotionPatch,
  type AutoscalingPatch,
  type PromotionSettingsPatch,
} from './settings';

const environmentNamePattern = /^[A-Za-z0-9_-]{1,64}$/;

export interface EnvironmentSettingsInput {
  autoscaling_settings?: AutoscalingPatch | null;
  promotion_settings?: PromotionSettingsPatch | null;
}

/** The environment, created with default settings if the model has none by that name (`production` always exists). */
export function ensureEnvironment(host: PromotionHost, modelId: string, name: string): EnvironmentRecord {
  const existing = host.store.environment(modelId, name);
  if (existing) return existing;
  if (!environmentNamePattern.test(name))
    throw invalid(`Environment name "${name}" may only contain letters, digits, "_" and "-" (at most 64)`);
  const env: EnvironmentRecord = {
    name,
    modelId,
    createdAt: new Date().toISOString(),
    currentDeploymentId: null,
    candidateDeploymentId: null,
    inProgressPromotion: null,
    autoscaling: defaultAutoscaling(),
    promotionSettings: defaultPromotionSettings(),
    rollout: null,
  };
  host.store.putEnvironment(env);
  return env;
}

export function getEnvironment(host: PromotionHost, modelId: string, name: string): EnvironmentRecord {
  const env = host.store.environment(modelId, name);
  if (!env || !host.store.models.has(modelId)) throw notFound(`Model ${modelId} has no environment ${name}`);
  return env;
}

export function createEnvironment(
  host: PromotionHost,
  modelId: string,
  name: string,
  settings: EnvironmentSettingsInput,
): EnvironmentRecord {
  if (host.store.environment(modelId, name))
    throw conflict(`Model ${modelId} already has an environment named ${name}`);
  const env = ensureEnvironment(host, modelId, name);
  env.autoscaling = applyAutoscalingPatch(env.autoscaling, settings.autoscaling_settings).next;
  env.promotionSettings = applyPromotionPatch(env.promotionSettings, settings.promotion_settings).next;
  return env;
}

export function updateEnvironment(env: EnvironmentRecord, settings: EnvironmentSettingsInput): boolean {
  const autoscaling = applyAutoscalingPatch(env.autoscaling, settings.autoscaling_settings);
  const promotion = applyPromotionPatch(env.promotionSettings, settings.promotion_settings);
  env.autoscaling = autoscaling.next;
  env.promotionSettings = promotion.next;
  return autoscaling.changed || promotion.changed;
}

/** Deleting cancels a pending or rolling promotion and scales the serving deployment to zero (it is not deleted). */
export function deleteEnvironment(host: PromotionHost, env: EnvironmentRecord): void {
  if (env.name === 'production') throw invalid('The production environment cannot be deleted');
  const candidate = env.candidateDeploymentId ? host.store.deployments.get(env.candidateDeploymentId) : undefined;
  if (candidate) candidate.pendingPromotion = null;
  host.rollouts.drop(env);
  host.store.deleteEnvironment(env.modelId, env.name);
  if (env.currentDeploymentId) host.runner(env.currentDeploymentId).scaleToZero(`Environment ${env.name} was deleted`);
}

/** POST /environments/{env}/promote. The environment must exist (Baseten's behaviour for a missing one is undocumented). */
export function promoteToEnvironment(
  host: PromotionHost,
  env: EnvironmentRecord,
  deploymentId: string,
  scaleDownPrevious: boolean,
): void {
  const dep = host.store.deployments.get(deploymentId);
  if (!dep || dep.modelId !== env.modelId) throw notFound(`Model ${env.modelId} has no deployment ${deploymentId}`);
  if (dep.isDevelopment)
    throw invalid(
      `Deployment ${dep.id} is the development deployment; promote it with /deployments/development/promote`,
    );
  promote(host, dep, env, scaleDownPrevious);
}
