/** The emulator's own records. API shapes (ModelV1, DeploymentV1, ...) are derived from these in ../management/views. */

import type { DeploymentStatus, PromotionCleanupStrategy, PromotionStatus } from '../../baseten/schemas';

// Enums come from the Baseten schemas (the contract); the records below are the emulator's own, fuller shapes.
export type { DeploymentStatus };

export interface AutoscalingSettings {
  min_replica: number;
  max_replica: number;
  autoscaling_window: number | null;
  scale_down_delay: number | null;
  concurrency_target: number;
  target_utilization_percentage: number | null;
  target_in_flight_tokens: number | null;
  max_scale_down_rate: number | null;
}

export interface RollingDeployConfig {
  rolling_deploy_strategy: 'REPLICA';
  max_surge_percent: number;
  max_unavailable_percent: number;
  stabilization_time_seconds: number;
  replica_overhead_percent: number;
}

export interface PromotionSettings {
  redeploy_on_promotion: boolean;
  rolling_deploy: boolean;
  promotion_cleanup_strategy: PromotionCleanupStrategy;
  rolling_deploy_config: RollingDeployConfig | null;
  ramp_up_while_promoting: boolean;
  ramp_up_duration_seconds: number;
}

export interface InProgressPromotion {
  status: PromotionStatus;
  percent_traffic_to_new_version: number;
  error_message: string | null;
  rolling_deploy: boolean | null;
}

export interface ModelRecord {
  id: string;
  name: string;
  createdAt: string;
  /** The single mutable development slot. */
  developmentDeploymentId: string | null;
  /** Numbers the default names `deployment-N`. */
  deploymentCounter: number;
}

/** How the old deployment is treated when a promotion completes. */
export interface PendingPromotion {
  environment: string;
  /** false keeps the previous deployment running whatever the environment's cleanup strategy says. */
  scaleDownPrevious: boolean;
}

export interface DeploymentRecord {
  id: string;
  modelId: string;
  name: string;
  createdAt: string;
  isDevelopment: boolean;
  status: DeploymentStatus;
  /** Has it ever reached ACTIVE? Until then autoscaling_settings is null and it never scales to zero. */
  everActive: boolean;
  /** The Truss copied into the state dir: the deployment's immutable source. */
  trussDir: string;
  labels: Record<string, string> | null;
  autoscaling: AutoscalingSettings;
  instanceTypeName: string;
  /** Becomes the environment's current deployment once ACTIVE. */
  pendingPromotion: PendingPromotion | null;
}

/**
 * Where a rolling promotion stands. releasing: the candidate gets ready (0%); ramping-up: traffic moves a step at a
 * time; paused: held at a step; completing: 100% on the candidate while the previous one's replicas go (shown as
 * RAMPING_DOWN); ramping-down: a graceful cancel moving traffic back a step at a time.
 */
export type RolloutPhase = 'releasing' | 'ramping-up' | 'paused' | 'completing' | 'ramping-down';

export interface RolloutRecord {
  /** The candidate taking the environment's traffic over. */
  deploymentId: string;
  /** false keeps the previous deployment running when the promotion succeeds. */
  scaleDownPrevious: boolean;
  phase: RolloutPhase;
  /** Share of the environment's predictions that go to the candidate. */
  percent: number;
  /** pause_promotion arrived: the ramp pauses at the end of the current step. */
  pauseRequested: boolean;
}

export interface EnvironmentRecord {
  name: string;
  modelId: string;
  createdAt: string;
  currentDeploymentId: string | null;
  candidateDeploymentId: string | null;
  inProgressPromotion: InProgressPromotion | null;
  autoscaling: AutoscalingSettings;
  promotionSettings: PromotionSettings;
  /** The rolling promotion in progress (absent in snapshots written before rolling promotions existed). */
  rollout?: RolloutRecord | null;
}

export interface StateSnapshot {
  version: 1;
  models: ModelRecord[];
  deployments: DeploymentRecord[];
  environments: EnvironmentRecord[];
}

/** Statuses in which the deployment's model process serves predictions. */
export const servingStatuses: ReadonlySet<DeploymentStatus> = new Set(['ACTIVE', 'UNHEALTHY']);
/** Statuses that end in failure; such a deployment cannot be promoted. */
export const failedStatuses: ReadonlySet<DeploymentStatus> = new Set([
  'BUILD_FAILED',
  'BUILD_STOPPED',
  'DEPLOY_FAILED',
  'FAILED',
]);
