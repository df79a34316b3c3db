import type { StateStore } from '../state/store';
import { failedStatuses, type DeploymentRecord, type EnvironmentRecord } from '../state/types';
import type { DeploymentRunner } from './runner';
import { invalid } from './service-error';

export interface PromotionHost {
  store: StateStore;
  runner(deploymentId: string): DeploymentRunner;
  log(deploymentId: string, message: string): void;
}

/**
 * Makes `dep` the environment's current deployment. A deployment that is still being built becomes
 * the environment's candidate (in_progress_promotion RELEASING) and is promoted when it reaches ACTIVE.
 * Promotion moves a deployment: if it was current in another environment, that one is left without one
 * (Baseten associates a deployment with a single environment).
 */
export function promote(
  host: PromotionHost,
  dep: DeploymentRecord,
  env: EnvironmentRecord,
  scaleDownPrevious: boolean,
): void {
  if (failedStatuses.has(dep.status))
    throw invalid(`Deployment ${dep.id} cannot be promoted: its status is ${dep.status}`);
  if (!dep.everActive) {
    setCandidate(host, dep, env, scaleDownPrevious);
    return;
  }
  complete(host, dep, env, scaleDownPrevious);
}

function setCandidate(
  host: PromotionHost,
  dep: DeploymentRecord,
  env: EnvironmentRecord,
  scaleDownPrevious: boolean,
): void {
  const previous = env.candidateDeploymentId ? host.store.deployments.get(env.candidateDeploymentId) : undefined;
  if (previous && previous.id !== dep.id) previous.pendingPromotion = null;
  for (const other of host.store.environmentsOf(dep.modelId)) {
    if (other !== env && other.candidateDeploymentId === dep.id) {
      other.candidateDeploymentId = null;
      other.inProgressPromotion = null;
    }
  }
  dep.pendingPromotion = { environment: env.name, scaleDownPrevious };
  env.candidateDeploymentId = dep.id;
  env.inProgressPromotion = {
    status: 'RELEASING',
    percent_traffic_to_new_version: 0,
    error_message: null,
    rolling_deploy: false,
  };
  host.log(dep.id, `Promotion to ${env.name} will complete when the deployment is ACTIVE`);
}

/** Finishes a promotion: the environment's current deployment changes and the old one is cleaned up. */
export function complete(
  host: PromotionHost,
  dep: DeploymentRecord,
  env: EnvironmentRecord,
  scaleDownPrevious: boolean,
): void {
  const previousId = env.currentDeploymentId;
  for (const other of host.store.environmentsOf(dep.modelId)) {
    if (other !== env && other.currentDeploymentId === dep.id) other.currentDeploymentId = null;
  }
  env.currentDeploymentId = dep.id;
  if (env.candidateDeploymentId === dep.id) env.candidateDeploymentId = null;
  env.inProgressPromotion = null;
  dep.pendingPromotion = null;
  host.log(dep.id, `Promoted to ${env.name}`);
  if (!previousId || previousId === dep.id) return;
  // scale_down_previous_* = false keeps the old deployment; true applies the environment's cleanup strategy.
  const strategy = scaleDownPrevious ? env.promotionSettings.promotion_cleanup_strategy : 'KEEP';
  const previous = host.store.deployments.get(previousId);
  if (!previous || strategy === 'KEEP') return;
  const runner = host.runner(previous.id);
  if (strategy === 'DEACTIVATE') runner.deactivate();
  else runner.scaleToZero(`Scaled to zero after ${dep.id} was promoted to ${env.name}`);
}

/** A candidate failed to build or load: the promotion fails and the environment keeps its deployment. */
export function failPending(host: PromotionHost, dep: DeploymentRecord, message: string): void {
  const pending = dep.pendingPromotion;
  if (!pending) return;
  dep.pendingPromotion = null;
  const env = host.store.environment(dep.modelId, pending.environment);
  if (!env || env.candidateDeploymentId !== dep.id) return;
  env.candidateDeploymentId = null;
  env.inProgressPromotion = {
    status: 'FAILED',
    percent_traffic_to_new_version: 0,
    error_message: message,
    rolling_deploy: false,
  };
}

/** The pending promotion of a deployment that just reached ACTIVE, if any. */
export function completePending(host: PromotionHost, dep: DeploymentRecord): void {
  const pending = dep.pendingPromotion;
  if (!pending) return;
  const env = host.store.environment(dep.modelId, pending.environment);
  if (!env) {
    dep.pendingPromotion = null;
    return;
  }
  complete(host, dep, env, pending.scaleDownPrevious);
}
