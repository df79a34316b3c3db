import { emulatorInstanceType, emulatorTeamName } from './defaults';
import type { StateStore } from './store';
import type {
  AutoscalingSettings,
  DeploymentRecord,
  DeploymentStatus,
  EnvironmentRecord,
  InProgressPromotion,
  ModelRecord,
  PromotionSettings,
} from './types';

/** The management API's shapes (management-openapi.json components), derived from the records. */

export interface DeploymentV1 {
  id: string;
  created_at: string;
  name: string;
  model_id: string;
  is_production: boolean;
  is_development: boolean;
  status: DeploymentStatus;
  active_replica_count: number;
  autoscaling_settings: AutoscalingSettings | null;
  instance_type_name: string | null;
  environment: string | null;
  labels: Record<string, string> | null;
}

export interface ModelV1 {
  id: string;
  created_at: string;
  name: string;
  deployments_count: number;
  production_deployment_id: string | null;
  development_deployment_id: string | null;
  instance_type_name: string;
  team_name: string;
}

export interface EnvironmentV1 {
  name: string;
  created_at: string;
  model_id: string;
  current_deployment: DeploymentV1 | null;
  candidate_deployment: DeploymentV1 | null;
  in_progress_promotion: InProgressPromotion | null;
  autoscaling_settings: AutoscalingSettings;
  promotion_settings: PromotionSettings;
  instance_type: typeof emulatorInstanceType;
}

const replicaStatuses: ReadonlySet<DeploymentStatus> = new Set(['ACTIVE', 'UNHEALTHY']);

/** An emulated deployment runs one replica while it serves. */
export function activeReplicaCount(status: DeploymentStatus): number {
  return replicaStatuses.has(status) ? 1 : 0;
}

/** The environment whose current deployment this is, if any. */
export function environmentOf(store: StateStore, dep: DeploymentRecord): string | null {
  const env = store.environmentsOf(dep.modelId).find((e) => e.currentDeploymentId === dep.id);
  return env?.name ?? null;
}

export function productionDeploymentId(store: StateStore, modelId: string): string | null {
  return store.environment(modelId, 'production')?.currentDeploymentId ?? null;
}

export function deploymentView(store: StateStore, dep: DeploymentRecord): DeploymentV1 {
  return {
    id: dep.id,
    created_at: dep.createdAt,
    name: dep.name,
    model_id: dep.modelId,
    is_production: productionDeploymentId(store, dep.modelId) === dep.id,
    is_development: dep.isDevelopment,
    status: dep.status,
    active_replica_count: activeReplicaCount(dep.status),
    // The spec: "If null, the model has not finished deploying".
    autoscaling_settings: dep.everActive ? { ...dep.autoscaling } : null,
    instance_type_name: dep.instanceTypeName,
    environment: environmentOf(store, dep),
    labels: dep.labels ? { ...dep.labels } : null,
  };
}

export function modelView(store: StateStore, model: ModelRecord): ModelV1 {
  return {
    id: model.id,
    created_at: model.createdAt,
    name: model.name,
    deployments_count: store.deploymentsOf(model.id).length,
    production_deployment_id: productionDeploymentId(store, model.id),
    development_deployment_id: model.developmentDeploymentId,
    instance_type_name: emulatorInstanceType.name,
    team_name: emulatorTeamName,
  };
}

export function environmentView(store: StateStore, env: EnvironmentRecord): EnvironmentV1 {
  const dep = (id: string | null) => {
    const record = id ? store.deployments.get(id) : undefined;
    return record ? deploymentView(store, record) : null;
  };
  return {
    name: env.name,
    created_at: env.createdAt,
    model_id: env.modelId,
    current_deployment: dep(env.currentDeploymentId),
    candidate_deployment: dep(env.candidateDeploymentId),
    in_progress_promotion: env.inProgressPromotion ? { ...env.inProgressPromotion } : null,
    autoscaling_settings: { ...env.autoscaling },
    promotion_settings: { ...env.promotionSettings },
    instance_type: emulatorInstanceType,
  };
}
