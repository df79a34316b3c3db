import type { Deployment } from '../baseten/schemas';
import { NotFoundError } from '../baseten/errors';
import type { BasetenApi } from './deps';

/**
 * The deployment serving an environment now, or null when there is none. For `production` the model's
 * `production_deployment_id` is the source of truth; other environments name their current deployment.
 */
export async function currentProduction(
  baseten: BasetenApi,
  modelId: string,
  environment: string,
): Promise<Deployment | null> {
  if (environment === 'production') {
    const model = await baseten.getModel(modelId);
    if (!model.production_deployment_id) return null;
    return baseten.getDeployment(modelId, model.production_deployment_id);
  }
  try {
    return (await baseten.getEnvironment(modelId, environment)).current_deployment;
  } catch (err) {
    // An environment that does not exist yet has no production; the first promotion creates it.
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}

/** The deployment an environment is being promoted to (a promotion still in progress), if any. */
export async function pendingPromotion(
  baseten: BasetenApi,
  modelId: string,
  environment: string,
): Promise<Deployment | null> {
  try {
    return (await baseten.getEnvironment(modelId, environment)).candidate_deployment ?? null;
  } catch (err) {
    if (err instanceof NotFoundError) return null;
    throw err;
  }
}
