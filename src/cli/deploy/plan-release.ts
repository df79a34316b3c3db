import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { defaultValidationFromTruss, loadValidationFile } from '../../validation/load';
import type { DeployInput } from '../../workflows/types';
import { releaseWorkflowId } from '../release-id';
import { UsageError } from '../../common/usage-error';
import { gitCommitOf } from './git-commit';
import { defaultApprovalTimeoutMs, parseDeployOptions, type DeployOptions } from './options';
import { readTrussDir } from './truss-dir';

/** A release checked and ready to start: nothing has touched Temporal or Baseten yet. */
export interface ReleasePlan {
  workflowId: string;
  input: DeployInput;
  options: DeployOptions;
}

/** Checks every input of `deploy` and builds the workflow input; any problem is a UsageError naming it. */
export async function planRelease(trussDirArg: string, rawOptions: unknown): Promise<ReleasePlan> {
  const options = parseDeployOptions(rawOptions);
  const truss = await readTrussDir(trussDirArg);
  const modelName = options.modelName ?? truss.modelName;
  if (!modelName) {
    throw new UsageError(`${path.join(trussDirArg, 'config.yaml')}: no model_name (set it, or pass --model-name)`);
  }
  // Both throw ValidationFileError, a UsageError naming the file and key.
  const validation = options.validation
    ? await loadValidationFile(options.validation)
    : await defaultValidationFromTruss(truss.path);
  const workflowId = releaseWorkflowId(modelName, options.environment);
  const input: DeployInput = {
    modelName,
    environment: options.environment,
    candidate: options.candidate,
    trussDir: truss.path,
    // Unique per run: a stale push worker from an earlier run can never pick up this release's push.
    pushTaskQueue: `push-${workflowId}-${randomUUID().slice(0, 8)}`,
    deploymentName: options.deploymentName,
    labels: Object.keys(options.label).length > 0 ? options.label : undefined,
    gitCommit: options.gitCommit ?? (await gitCommitOf(truss.path)),
    validation,
    approval: options.approveRequired
      ? { required: true, timeoutMs: options.approvalTimeout ?? defaultApprovalTimeoutMs }
      : undefined,
    cleanupOnReject: options.cleanup,
  };
  return { workflowId, input, options };
}
