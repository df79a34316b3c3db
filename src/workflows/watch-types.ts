import type { Observation, WatchSettings } from '../activities/observe-types';
import type { SmokeCheck } from '../activities/smoke';

export type { Observation, WatchSettings };

/** How long each part of a revert may take. */
export interface RevertTimeouts {
  /** The revert target becomes ACTIVE (woken or activated). @unit ms @default 900_000 */
  prepareMs: number;
  /** The environment serves the revert target, ACTIVE, and it answers. @unit ms @default 600_000 */
  verifyMs: number;
  /** A promotion in progress has ended after it was cancelled. @unit ms @default 600_000 */
  cancelPromotionMs: number;
  /** A graceful cancel may take this long before it is forced. @unit ms @default 120_000 */
  gracefulCancelMs: number;
}

/** Where a watcher is; also its BasetenStage search attribute. */
export type WatchStage = 'watching' | 'paused' | 'reverting' | 'reverted' | 'revert-failed' | 'superseded';

/** Why production was (or was to be) reverted, with the evidence and what came of it. */
export interface Incident {
  id: number;
  /** `automatic`: the watcher's verdict; `manual`: a rollback someone asked for. */
  kind: 'automatic' | 'manual';
  reason: string;
  /** Who asked, for a manual rollback. */
  requestedBy?: string;
  /** The deployment that was bad (or rolled back from), and the one production goes back to. */
  from: string;
  to?: string;
  /** The first bad observation, the decision, the restore (workflow time, ms since epoch). */
  firstBadAt?: number;
  detectedAt: number;
  restoredAt?: number;
  /** The bad observations the decision was made on. */
  evidence: Observation[];
  outcome: 'reverting' | 'reverted' | 'revert-failed' | 'suppressed-while-paused' | 'recovered-while-paused';
  /** Why the revert failed, in one line. */
  failure?: string;
}

/** A `rollback` signal whose body could not be used: recorded, then ignored. */
export interface RejectedSignal {
  at: number;
  problem: string;
}

/** The argument of `rollback` (update and signal). */
export interface RollbackRequest {
  reason: string;
  /** A deployment id to roll back to; default: the deployment that served before the watched one. */
  to?: string;
  /** Who asks (a user, a pager bot). */
  by?: string;
}

/** The argument of `pause`. */
export interface PauseRequest {
  reason: string;
  by?: string;
}

/** The argument of `resume`. */
export interface ResumeRequest {
  by?: string;
}

/** What a watcher carries from one run to the next when it continues as new. */
export interface WatchCarry {
  stage: 'watching' | 'paused' | 'revert-failed';
  pausedReason?: string;
  consecutiveBad: number;
  badRunReported: boolean;
  lastObservations: Observation[];
  incidents: Incident[];
  rejectedSignals: RejectedSignal[];
  failure?: string;
  watchingSince: number;
  /** How many runs came before this one. */
  runs: number;
}

/** Input of the watchProduction workflow. Plain JSON, and never a secret. */
export interface WatchInput {
  modelId: string;
  modelName: string;
  environment: string;
  /** The deployment serving the environment: the one watched. */
  deploymentId: string;
  /** Where an automatic revert goes: the deployment that served before the watched one. */
  fallbackDeploymentId?: string;
  settings: WatchSettings;
  /** Sent to the environment after a revert, to verify it serves (the probe, else the first validation case). */
  verifyCheck?: SmokeCheck;
  /** The release that started this watcher. */
  releaseId?: string;
  timeouts?: Partial<RevertTimeouts>;
  /** Set by continue-as-new. */
  carry?: WatchCarry;
}

/** What the `state` query answers, and rollback, pause and resume return. */
export interface WatchState {
  stage: WatchStage;
  modelId: string;
  modelName: string;
  environment: string;
  watchedDeploymentId: string;
  fallbackDeploymentId?: string;
  mode: 'automatic' | 'paused';
  pausedReason?: string;
  settings: WatchSettings;
  /** The newest last. */
  lastObservations: Observation[];
  consecutiveBad: number;
  incidents: Incident[];
  rejectedSignals: RejectedSignal[];
  /** Why the watcher cannot revert (stage revert-failed), in one line. */
  failure?: string;
  /** Why the last observation slice failed, while Baseten could not be observed. */
  lastObservationError?: string;
  /** The latest step or event, in one line. */
  message?: string;
  watchingSince: number;
  releaseId?: string;
}

/** How a watcher ended. */
export interface WatchResult {
  stage: 'superseded';
  /** A newer release took over, or someone promoted another deployment outside baseten-cd. */
  endedBecause: 'superseded-by-release' | 'production-changed';
  by?: string;
  watchedDeploymentId: string;
  incidents: Incident[];
}
