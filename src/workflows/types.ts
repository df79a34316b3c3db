import type { CandidateKind } from '../activities/push-types';
import type { ValidationSpec } from '../validation/schema';
import type { ValidationReport } from '../validation/report';

/**
 * Input of the deployModel workflow. Plain JSON, and never a secret: API keys live only in the
 * environment of the workers (see DESIGN.md, "Secrets never enter workflow inputs").
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
}

/** Where a release is; also the value of the BasetenStage search attribute. */
export type ReleaseStage =
  | 'pushing'
  | 'building'
  | 'validating'
  | 'awaiting-approval'
  | 'promoting'
  | 'verifying'
  | 'reverting'
  | 'promoted'
  | 'rejected'
  | 'failed';

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
  /** True when production was reverted to the previous deployment. */
  reverted?: boolean;
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
  /** Last notable event, one line, for CLI progress output. */
  message?: string;
}
