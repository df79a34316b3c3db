import { heartbeat } from '@temporalio/activity';
import { resolveDeps, type ActivityDeps, type BasetenApi } from './deps';
import { mapBasetenErrors } from './failures';
import { currentProduction, pendingPromotion } from './production';

/** What to promote: a deployment by id, or the development deployment (which builds a new deployment). */
export type PromoteTarget = { kind: 'deployment'; deploymentId: string } | { kind: 'development' };

export interface PromoteInput {
  modelId: string;
  /** The environment promoted into. */
  environment: string;
  target: PromoteTarget;
  /**
   * `deployment`: the deployment form (`POST .../deployments/{id}/promote`, production only);
   * `environment`: `POST .../environments/{environment}/promote`.
   */
  via: 'deployment' | 'environment';
  /** Production before the release: tells a development promotion made by an earlier attempt apart. */
  previousProductionId?: string;
}

export interface PromoteResult {
  /** The deployment that is (or is becoming) production: for a development promotion, the new deployment. */
  deploymentId: string;
  /** True when no promote call was made because an earlier attempt (or run) already promoted it. */
  alreadyPromoted: boolean;
}

async function promoteDeploymentOnce(baseten: BasetenApi, input: PromoteInput, deploymentId: string) {
  const current = await currentProduction(baseten, input.modelId, input.environment);
  if (current?.id === deploymentId) return { deploymentId, alreadyPromoted: true };
  const pending = await pendingPromotion(baseten, input.modelId, input.environment);
  if (pending?.id === deploymentId) return { deploymentId, alreadyPromoted: true };
  heartbeat('promoting');
  if (input.via === 'deployment') await baseten.promoteDeployment(input.modelId, deploymentId);
  else await baseten.promoteToEnvironment(input.modelId, input.environment, { deployment_id: deploymentId });
  return { deploymentId, alreadyPromoted: false };
}

async function promoteDevelopmentOnce(baseten: BasetenApi, input: PromoteInput) {
  // The development form creates a new deployment, so "already production" cannot be checked by id:
  // any production (or promotion in progress) other than the one recorded before means it was done.
  const previous = input.previousProductionId;
  const current = await currentProduction(baseten, input.modelId, 'production');
  if (current && current.id !== previous) return { deploymentId: current.id, alreadyPromoted: true };
  const pending = await pendingPromotion(baseten, input.modelId, 'production');
  if (pending && pending.id !== previous) return { deploymentId: pending.id, alreadyPromoted: true };
  heartbeat('promoting');
  const created = await baseten.promoteDeployment(input.modelId, 'development');
  return { deploymentId: created.id, alreadyPromoted: false };
}

export function createPromoteActivities(deps: ActivityDeps) {
  const { baseten } = resolveDeps(deps);
  return {
    /** Promotes idempotently: reads production first and never calls promote for what is already promoted. */
    promoteCandidate: mapBasetenErrors(async (input: PromoteInput): Promise<PromoteResult> => {
      heartbeat('reading production');
      if (input.target.kind === 'development') return promoteDevelopmentOnce(baseten, input);
      return promoteDeploymentOnce(baseten, input, input.target.deploymentId);
    }),
  };
}
