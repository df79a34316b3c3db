import type { StateStore } from '../state/store';
import { failedStatuses, type DeploymentRecord, type EnvironmentRecord } from '../state/types';
import type { Rollouts } from './rollout';
import type { DeploymentRunner } from './runner';
import { conflict, invalid } from './service-error';

export interface PromotionHost {
  store: StateStore;
  rollouts: Rollouts;
  runner(deploymentId: string): DeploymentRunner;
  log(deploymentId: string, message: string): void;
  save(): void;
}

/**
 * Makes `dep` the environment's current deployment. A deployment that is still being built becomes
 * the environment's candidate (in_progress_promotion RELEASING) and is promoted when it reaches ACTIVE.
 * With `rolling_deploy` on and a current deployment to replace, the promotion is a ramp (./rollout).
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
  // Promoting the ramp's own candidate again (a retried call) is that same promotion, not a second one.
  if (env.rollout?.deploymentId === dep.id) return;
  refuseDuringRollout(env);
  if (!dep.everActive) {
    setCandidate(host, dep, env, scaleDownPrevious);
    return;
  }
  finishOrRamp(host, dep, env, scaleDownPrevious);
}

/**
 * A second promotion while a rolling one runs would have to interrupt it; Baseten documents no answer, so the
 * emulator refuses with 409 and names the controls that end the one in progress.
 */
export function refuseDuringRollout(env: EnvironmentRecord): void {
  const rollout = env.rollout;
  if (!rollout) return;
  throw conflict(
    `Environment ${env.name} has a rolling promotion of deployment ${rollout.deploymentId} in progress ` +
      `(${env.inProgressPromotion?.status ?? rollout.phase} at ${rollout.percent}%); ` +
      'cancel it (cancel_promotion, force_cancel_promotion) or complete it (force_roll_forward_promotion) first',
  );
}

function finishOrRamp(host: PromotionHost, dep: DeploymentRecord, env: EnvironmentRecord, scaleDownPrevious: boolean) {
  const ramps =
    env.promotionSettings.rolling_deploy && env.currentDeploymentId !== null && env.currentDeploymentId !== dep.id;
  if (!ramps) {
    complete(host, dep, env, scaleDownPrevious);
    return;
  }
  takeCandidacy(host, dep, env);
  host.rollouts.start(env, dep, scaleDownPrevious);
}

/** `dep` becomes the environment's only candidate: an earlier one is no longer promoted, nor is `dep` elsewhere. */
function takeCandidacy(host: PromotionHost, dep: DeploymentRecord, env: EnvironmentRecord): void {
  const previous = env.candidateDeploymentId ? host.store.deployments.get(env.candidateDeploymentId) : undefined;
  if (previous && previous.id !== dep.id) previous.pendingPromotion = null;
  for (const other of host.store.environmentsOf(dep.modelId)) {
    if (other !== env && other.candidateDeploymentId === dep.id && !other.rollout) {
      other.candidateDeploymentId = null;
      other.inProgressPromotion = null;
    }
  }
}

function setCandidate(
  host: PromotionHost,
  dep: DeploymentRecord,
  env: EnvironmentRecord,
  scaleDownPrevious: boolean,
): void {
  takeCandidacy(host, dep, env);
  dep.pendingPromotion = { environment: env.name, scaleDownPrevious };
  env.candidateDeploymentId = dep.id;
  env.inProgressPromotion = {
    status: 'RELEASING',
    percent_traffic_to_new_version: 0,
    error_message: null,
    rolling_deploy: env.promotionSettings.rolling_deploy,
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
  const env = pendingEnvironment(host, dep);
  dep.pendingPromotion = null;
  if (env) endPending(env, 'FAILED', message);
}

/**
 * cancel_promotion (or force_cancel) of a candidate that is still being built: CANCELED at once, the environment
 * keeps its deployment, and the candidate is not promoted when it reaches ACTIVE. Returns whether there was one.
 */
export function cancelPending(host: PromotionHost, env: EnvironmentRecord): boolean {
  const dep = env.candidateDeploymentId ? host.store.deployments.get(env.candidateDeploymentId) : undefined;
  if (!dep || pendingEnvironment(host, dep) !== env) return false;
  dep.pendingPromotion = null;
  endPending(env, 'CANCELED', null);
  host.log(dep.id, `Promotion to ${env.name} canceled: the deployment will not be promoted when it is ACTIVE`);
  return true;
}

/** The pending promotion of a deployment that just reached ACTIVE, if any. */
export function completePending(host: PromotionHost, dep: DeploymentRecord): void {
  const pending = dep.pendingPromotion;
  if (!pending) return;
  const env = host.store.environment(dep.modelId, pending.environment);
  if (!env || env.rollout) {
    dep.pendingPromotion = null;
    return;
  }
  finishOrRamp(host, dep, env, pending.scaleDownPrevious);
}

/** The environment whose candidate `dep` is, waiting to be promoted when ACTIVE. */
function pendingEnvironment(host: PromotionHost, dep: DeploymentRecord): EnvironmentRecord | undefined {
  const pending = dep.pendingPromotion;
  const env = pending ? host.store.environment(dep.modelId, pending.environment) : undefined;
  return env?.candidateDeploymentId === dep.id ? env : undefined;
}

function endPending(env: EnvironmentRecord, status: 'FAILED' | 'CANCELED', message: string | null): void {
  env.candidateDeploymentId = null;
  env.inProgressPromotion = {
    status,
    percent_traffic_to_new_version: 0,
    error_message: message,
    rolling_deploy: env.inProgressPromotion?.rolling_deploy ?? false,
  };
}
