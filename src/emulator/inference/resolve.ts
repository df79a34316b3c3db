import type { InferenceTarget } from '../../baseten/inference-target';
import { inferenceError } from '../http/http-error';
import type { StateStore } from '../state/store';
import type { DeploymentRecord, EnvironmentRecord } from '../state/types';

export interface InferenceCall {
  modelId: string;
  target: InferenceTarget;
  action: 'predict' | 'wake';
}

/**
 * `model-{id}.localhost` carries the model in the host and the bare prefix in the path (as
 * `model-{id}.api.baseten.co` does); on the emulator's own address it is `/inference/{id}/{prefix}/...`.
 */
export function parseInferenceCall(hostname: string, pathname: string): InferenceCall | undefined {
  const byHost = /^model-([a-z0-9]+)\.localhost$/.exec(hostname);
  const byPath = /^\/inference\/([^/]+)(\/.*)$/.exec(pathname);
  const modelId = byHost?.[1] ?? byPath?.[1];
  const rest = byHost ? pathname : byPath?.[2];
  if (!modelId || rest === undefined) return undefined;
  const match = /^\/(?:(production|development)|deployment\/([^/]+)|environments\/([^/]+))\/(predict|wake)\/?$/.exec(
    rest,
  );
  if (!match) return undefined;
  const [, alias, deploymentId, envName, action] = match;
  const target: InferenceTarget =
    alias === 'production' || alias === 'development'
      ? { kind: alias }
      : deploymentId
        ? { kind: 'deployment', deploymentId: decodeURIComponent(deploymentId) }
        : { kind: 'environment', name: decodeURIComponent(envName ?? '') };
  return { modelId, target, action: action === 'wake' ? 'wake' : 'predict' };
}

/** Which deployment of an environment serves a call (its current one, or the candidate during a rolling promotion). */
export type EnvironmentRoute = (env: EnvironmentRecord) => string | null;

/** The deployment a call goes to, or the documented 404 `model_does_not_exist`. */
export function resolveDeployment(
  store: StateStore,
  call: InferenceCall,
  route: EnvironmentRoute = (env) => env.currentDeploymentId,
): DeploymentRecord {
  const model = store.models.get(call.modelId);
  const missing = (what: string) => inferenceError(404, 'model_does_not_exist', `Model ${call.modelId} ${what}`);
  if (!model) throw missing('does not exist');
  const { target } = call;
  let id: string | null | undefined;
  if (target.kind === 'deployment') id = target.deploymentId;
  else if (target.kind === 'development') id = model.developmentDeploymentId;
  else {
    const env = store.environment(model.id, target.kind === 'production' ? 'production' : target.name);
    id = env ? route(env) : undefined;
  }
  const dep = id ? store.deployments.get(id) : undefined;
  if (!dep || dep.modelId !== model.id) {
    const which =
      target.kind === 'deployment'
        ? `deployment ${target.deploymentId}`
        : `${target.kind === 'environment' ? `environment ${target.name}` : target.kind} deployment`;
    throw missing(`has no ${which}`);
  }
  return dep;
}
