import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { CandidateKind } from '../activities/push-types';
import { UsageError } from '../common/usage-error';
import { releaseWorkflowId } from '../common/workflow-ids';
import { defaultValidationFromTruss, loadValidationFile } from '../validation/load';
import type { ValidationSpec } from '../validation/schema';
import type { DeployInput, ReleaseTimeouts, WatchOptions } from '../workflows/types';
import { gitCommitOf } from './git-commit';
import { readTrussDir } from './truss-dir';

/** A release as a CI script asks for it. Everything but the Truss folder has a default. */
export interface ReleaseRequest {
  /** The Truss folder (config.yaml and model/), on this machine: the push runs here. */
  trussDir: string;
  /** @default model_name in config.yaml */
  modelName?: string;
  /** @default production */
  environment?: string;
  /** @default published */
  candidate?: CandidateKind;
  /** A validation file's path, or a parsed spec. @default one case from model_metadata.example_model_input */
  validation?: string | ValidationSpec;
  deploymentName?: string;
  labels?: Record<string, string>;
  /** @default git rev-parse HEAD in the Truss folder, when it is a checkout */
  gitCommit?: string;
  /** Wait for approve/reject before promoting; rejected when nobody decides in time. */
  approval?: { timeoutMs: number };
  /** Deactivate a rejected candidate. @default false */
  cleanupOnReject?: boolean;
  /** The production watcher's options (`{ enabled: false }`: none). */
  watch?: WatchOptions;
  timeouts?: ReleaseTimeouts;
  /** `rolling`: promote through Baseten's rolling promotion (turned on when off), each traffic step analysed. */
  rollout?: 'rolling';
}

/** A release checked and ready to start: nothing has touched Temporal or Baseten yet. */
export interface PreparedRelease {
  workflowId: string;
  input: DeployInput;
}

/** Reads the Truss and the validation file and builds the workflow input; any problem is a UsageError naming it. */
export async function prepareRelease(request: ReleaseRequest): Promise<PreparedRelease> {
  const truss = await readTrussDir(request.trussDir);
  const modelName = request.modelName ?? truss.modelName;
  if (!modelName) {
    throw new UsageError(`${path.join(request.trussDir, 'config.yaml')}: no model_name (set it, or pass --model-name)`);
  }
  const environment = request.environment ?? 'production';
  // Both throw ValidationFileError, a UsageError naming the file and key.
  const validation =
    typeof request.validation === 'string'
      ? await loadValidationFile(request.validation)
      : (request.validation ?? (await defaultValidationFromTruss(truss.path)));
  const workflowId = releaseWorkflowId(modelName, environment);
  const labels = request.labels && Object.keys(request.labels).length > 0 ? request.labels : undefined;
  const input: DeployInput = {
    modelName,
    environment,
    candidate: request.candidate ?? { kind: 'published' },
    trussDir: truss.path,
    // Unique per run: a stale push worker from an earlier run can never pick up this release's push.
    pushTaskQueue: `push-${workflowId}-${randomUUID().slice(0, 8)}`,
    deploymentName: request.deploymentName,
    labels,
    gitCommit: request.gitCommit ?? (await gitCommitOf(truss.path)),
    validation,
    approval: request.approval ? { required: true, timeoutMs: request.approval.timeoutMs } : undefined,
    cleanupOnReject: request.cleanupOnReject ?? false,
    ...(request.watch ? { watch: request.watch } : {}),
    ...(request.timeouts ? { timeouts: request.timeouts } : {}),
    ...(request.rollout ? { rollout: request.rollout } : {}),
  };
  return { workflowId, input };
}
