import type { CallOptions } from '../baseten/client';
import { NotFoundError } from '../baseten/errors';
import type { Deployment, InProgressPromotion, PromotionStatus } from '../baseten/schemas';
import type { BasetenApi } from './deps';

/** What serves an environment, and what is being promoted into it, as one consistent view. */
export interface EnvironmentState {
  /** The deployment serving the environment now, or null when there is none. */
  current: Deployment | null;
  /** The deployment a promotion in progress is moving the environment to, if any. */
  candidate: Deployment | null;
  /** The promotion in progress (or the last one, when it ended), as Baseten reports it. */
  promotion: InProgressPromotion | null;
}

/** Promotion statuses after which nothing more will change by itself. */
const terminalPromotionStatuses: ReadonlySet<PromotionStatus> = new Set<PromotionStatus>([
  'SUCCEEDED',
  'FAILED',
  'CANCELED',
]);

/**
 * True while a promotion of the environment may still switch its traffic: its status is not terminal, or, when
 * Baseten reports no status, a candidate deployment is named.
 */
export function promotionInProgress(state: EnvironmentState): boolean {
  if (state.promotion) return !terminalPromotionStatuses.has(state.promotion.status);
  return state.candidate !== null;
}

/**
 * One read of the environment (production is an environment too): its current deployment and the promotion in
 * progress come from the same response, so no promotion can complete between reading one and the other.
 * An environment that does not exist yet has no deployment; the first promotion creates it.
 */
export async function readEnvironment(
  baseten: BasetenApi,
  modelId: string,
  environment: string,
  options?: CallOptions,
): Promise<EnvironmentState> {
  try {
    const env = await baseten.getEnvironment(modelId, environment, options);
    return {
      current: env.current_deployment,
      candidate: env.candidate_deployment ?? null,
      promotion: env.in_progress_promotion ?? null,
    };
  } catch (err) {
    if (err instanceof NotFoundError) return { current: null, candidate: null, promotion: null };
    throw err;
  }
}

/** The deployment serving an environment now, or null when there is none. */
export async function currentProduction(
  baseten: BasetenApi,
  modelId: string,
  environment: string,
  options?: CallOptions,
): Promise<Deployment | null> {
  return (await readEnvironment(baseten, modelId, environment, options)).current;
}
