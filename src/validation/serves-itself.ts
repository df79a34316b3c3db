import type { InferenceTarget } from '../baseten/inference-target';
import type { InferenceApi } from './inference-api';

/**
 * Whether the candidate itself already serves the production target: a model's first published deployment takes
 * production by itself, so "production" would be the candidate answering twice, and the ratio only noise.
 */
export async function candidateServesProduction(
  inference: InferenceApi,
  modelId: string,
  candidate: InferenceTarget,
  production: InferenceTarget,
): Promise<boolean> {
  if (candidate.kind !== 'deployment') return false;
  const environment =
    production.kind === 'environment' ? production.name : production.kind === 'production' ? 'production' : undefined;
  if (environment === undefined) return false;
  const deployment = await inference.getDeployment(modelId, candidate.deploymentId);
  return deployment.environment === environment;
}
