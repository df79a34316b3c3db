import { resolveDeps, type ActivityDeps, type BasetenApi } from './deps';
import { mapBasetenErrors } from './failures';
import { attemptCallOptions, whileHeartbeating } from './heartbeat';
import { promotionInProgress, readEnvironment } from './production';

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

/** Why an attempt is heart-beating: the SDK shows it in the Temporal UI's pending activity. */
type PromoteStep = 'reading the environment' | 'promoting';

async function promoteDeploymentOnce(
  baseten: BasetenApi,
  input: PromoteInput,
  deploymentId: string,
  step: (s: PromoteStep) => void,
): Promise<PromoteResult> {
  step('reading the environment');
  const state = await readEnvironment(baseten, input.modelId, input.environment, attemptCallOptions());
  if (state.current?.id === deploymentId) return { deploymentId, alreadyPromoted: true };
  if (promotionInProgress(state) && state.candidate?.id === deploymentId)
    return { deploymentId, alreadyPromoted: true };
  step('promoting');
  if (input.via === 'deployment') {
    await baseten.promoteDeployment(input.modelId, deploymentId, {}, attemptCallOptions());
  } else {
    const body = { deployment_id: deploymentId };
    await baseten.promoteToEnvironment(input.modelId, input.environment, body, attemptCallOptions());
  }
  return { deploymentId, alreadyPromoted: false };
}

async function promoteDevelopmentOnce(
  baseten: BasetenApi,
  input: PromoteInput,
  step: (s: PromoteStep) => void,
): Promise<PromoteResult> {
  // The development form creates a new deployment, so "already production" cannot be checked by id: any
  // production (or promotion in progress) other than the one recorded before means it was done.
  const previous = input.previousProductionId;
  step('reading the environment');
  const state = await readEnvironment(baseten, input.modelId, 'production', attemptCallOptions());
  if (state.current && state.current.id !== previous) return { deploymentId: state.current.id, alreadyPromoted: true };
  if (promotionInProgress(state) && state.candidate && state.candidate.id !== previous) {
    return { deploymentId: state.candidate.id, alreadyPromoted: true };
  }
  step('promoting');
  const created = await baseten.promoteDeployment(input.modelId, 'development', {}, attemptCallOptions());
  return { deploymentId: created.id, alreadyPromoted: false };
}

export function createPromoteActivities(deps: ActivityDeps) {
  const { baseten } = resolveDeps(deps);
  return {
    /**
     * Promotes idempotently: one read of the environment shows both what serves it and what is being promoted
     * into it, and nothing already promoted (or on its way) is promoted again. The attempt heartbeats while its
     * calls run, and each call ends inside the heartbeat window or when the activity is cancelled, so a retry
     * never overlaps a call still in flight.
     */
    promoteCandidate: mapBasetenErrors(async (input: PromoteInput): Promise<PromoteResult> => {
      let current: PromoteStep = 'reading the environment';
      const step = (s: PromoteStep): void => {
        current = s;
      };
      return whileHeartbeating(
        () => current,
        () =>
          input.target.kind === 'development'
            ? promoteDevelopmentOnce(baseten, input, step)
            : promoteDeploymentOnce(baseten, input, input.target.deploymentId, step),
      );
    }),
  };
}
