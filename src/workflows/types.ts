import type { WatchSettings } from '../activities/observe-types';
import type { CandidateKind } from '../activities/push-types';
import type { StepAnalysis } from '../activities/rollout-types';
import type { ValidationSpec } from '../validation/schema';
import type { ValidationReport } from '../validation/report';

/**
 * Input of the deployModel workflow. Plain JSON, and never a secret: API keys live only in the
 * environment of the workers (see docs/architecture.md, "Secrets").
 */
export interface DeployInput {
  /** Model name (from config.yaml `model_name`, or --model-name). Part of the workflow id. */
  modelName: string;
  /** The environment the release promotes into; `production` by default. Part of the workflow id. */
  environment: string;
  candidate: CandidateKind;
  /** Truss folder on the machine of the push worker (the CI job). */
  trussDir: string;
  /** The short-lived task queue hosted by `baseten-cd deploy`, where the push activity runs. */
  pushTaskQueue: string;
  deploymentName?: string;
  labels?: Record<string, string>;
  gitCommit?: string;
  validation: ValidationSpec;
  /** Wait for an `approve` update before promoting; reject when the deadline passes. */
  approval?: { required: true; timeoutMs: number };
  /** Deactivate a rejected candidate. */
  cleanupOnReject: boolean;
  /** Deadlines of the waits; defaults suit real Baseten builds. */
  timeouts?: ReleaseTimeouts;
  /**
   * The production watcher started once the release has verified production (or reverted it). Its settings come
   * from the validation file's `watch` section, overridden field by field here, else the watcher's defaults.
   */
  watch?: WatchOptions;
  /**
   * `rolling` (`deploy --rollout rolling`): promote through Baseten's rolling promotion, turning it on for the
   * environment when it is off, and analyse every traffic step. Unset: an environment whose promotion settings
   * say rolling is rolled out (and analysed) the same way; any other promotes all at once.
   */
  rollout?: 'rolling';
}

/** How a release's production watcher runs (`deploy --no-watch`, `--watch-interval`, ...). */
export interface WatchOptions extends Partial<Omit<WatchSettings, 'probe'>> {
  /** false: start no watcher. @default true */
  enabled?: boolean;
}

/** How long each wait of a release may take (workflow-side deadlines, kept across activity retries). */
export interface ReleaseTimeouts {
  /** The candidate builds, deploys and becomes ACTIVE. @unit ms @default 1_800_000 (30 min) */
  buildMs?: number;
  /** Production serves the promoted deployment, ACTIVE. @unit ms @default 600_000 (10 min) */
  verifyMs?: number;
  /** The previous production deployment is woken or activated before a revert. @unit ms @default 900_000 (15 min) */
  prepareMs?: number;
  /**
   * A worker of the push task queue (the `baseten-cd deploy` process) picks the push up. Past it, the release fails
   * instead of waiting for a process that is gone. @unit ms @default 300_000 (5 min)
   */
  pushScheduleToStartMs?: number;
  /** A promotion still in progress when a revert starts has ended (cancelled). @unit ms @default 600_000 (10 min) */
  cancelPromotionMs?: number;
  /** A graceful cancel (traffic ramps back) may take this long before it is forced. @unit ms @default 120_000 (2 min) */
  gracefulCancelMs?: number;
  /** A rolling promotion reaches its next traffic step. @unit ms @default 1_800_000 (30 min) */
  rolloutStepMs?: number;
}

/** A rolling release's ramp: each traffic step with its numbers and verdict, and how the ramp ended. */
export interface RolloutReport {
  /** Baseten's promotion was paused at every step for its analysis (its steps are shorter than the window). */
  heldPerStep: boolean;
  /** The analysis window of each step. @unit ms */
  windowMs: number;
  /** True when this release turned the environment's rolling promotion on. */
  enabledRolling: boolean;
  /** The traffic steps analysed, in order. */
  steps: StepAnalysis[];
  /**
   * `ramping` while it runs, `held` while an operator paused it; `completed`: all traffic on the candidate;
   * `cancelled`/`force-cancelled`: a failed step (or a rollback) stopped it; `rolled-forward`: forced to 100 %;
   * `ended`: Baseten ended it without promoting.
   */
  state: 'ramping' | 'held' | 'completed' | 'cancelled' | 'force-cancelled' | 'rolled-forward' | 'ended';
  /** Who paused the ramp, and why, while it is held. */
  heldBy?: string;
}

/** Argument of `rollForward` (`approve --roll-forward`). */
export interface RollForwardRequest {
  by?: string;
  reason?: string;
  /** Roll forward even though a step failed its analysis. @default false */
  force?: boolean;
}

/** Argument of the `approve` and `reject` updates. */
export interface ApprovalRequest {
  /** Who decided (a user name, a CI job). */
  by?: string;
  reason?: string;
}

/** What the approval gate decided; the answer of the `approve`/`reject` updates. */
export interface ApprovalDecision {
  approved: boolean;
  by?: string;
  reason?: string;
  /** Workflow time (ms since epoch). */
  decidedAt: number;
}

/** Where a release is; also the value of the BasetenStage search attribute. */
export const releaseStages = [
  'pushing',
  'building',
  'validating',
  'awaiting-approval',
  'promoting',
  'verifying',
  'reverting',
  'promoted',
  'rejected',
  'failed',
] as const;
export type ReleaseStage = (typeof releaseStages)[number];

export type ReleaseStatus = 'promoted' | 'rejected' | 'failed';

export interface DeployResult {
  status: ReleaseStatus;
  modelId?: string;
  candidateDeploymentId?: string;
  /** Production after the release: the candidate (or the deployment its development promotion built) on success. */
  productionDeploymentId?: string;
  previousProductionDeploymentId?: string;
  validation?: ValidationReport;
  /** For status `failed`/`rejected`: why, in one line. */
  reason?: string;
  /** For status `failed`: which stage failed (build/deploy failures vs promotion failures map to different exit codes). */
  failedStage?: ReleaseStage;
  /** For status `failed`: the type of the failure that ended the release (e.g. PushNotStartedError), when known. */
  failureType?: string;
  /** True when production was reverted to the previous deployment and that was verified. */
  reverted?: boolean;
  /**
   * For status `failed`: true once the promote call was attempted, so production may have changed. With
   * `reverted` false, production may then be serving the unverified candidate.
   */
  promotionAttempted?: boolean;
  /** The approval gate's decision, when the release had one. */
  approval?: ApprovalDecision;
  /** The production watcher the release started (its workflow id), when it started one. */
  watcherId?: string;
  /** A rolling release's traffic steps and how its ramp ended. */
  rollout?: RolloutReport;
}

/** What the `progress` query answers. */
export interface ReleaseProgress {
  stage: ReleaseStage;
  /** Workflow time (ms since epoch) when the stage began. */
  stageStartedAt: number;
  modelId?: string;
  candidateDeploymentId?: string;
  candidateStatus?: string;
  previousProductionDeploymentId?: string;
  validation?: ValidationReport;
  /** While awaiting approval: workflow time (ms since epoch) when the gate rejects the release. */
  approvalDeadline?: number;
  approval?: ApprovalDecision;
  /** Production after the promotion (for a development candidate, the deployment its promotion built). */
  productionDeploymentId?: string;
  /** True once the promote call was attempted. */
  promotionAttempted?: boolean;
  /** The production watcher the release started. */
  watcherId?: string;
  /** A rolling release's ramp so far. */
  rollout?: RolloutReport;
  /** Last notable event, one line, for CLI progress output. */
  message?: string;
}
