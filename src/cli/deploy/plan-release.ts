import { prepareRelease, type PreparedRelease } from '../../operations/release-request';
import { defaultApprovalTimeoutMs, parseDeployOptions, type DeployOptions } from './options';

/** A release checked and ready to start, with the flags `deploy` was given. */
export interface ReleasePlan extends PreparedRelease {
  options: DeployOptions;
}

/** Checks every input of `deploy` and builds the workflow input; any problem is a UsageError naming it. */
export async function planRelease(trussDirArg: string, rawOptions: unknown): Promise<ReleasePlan> {
  const options = parseDeployOptions(rawOptions);
  const prepared = await prepareRelease({
    trussDir: trussDirArg,
    modelName: options.modelName,
    environment: options.environment,
    candidate: options.candidate,
    validation: options.validation,
    deploymentName: options.deploymentName,
    labels: options.label,
    gitCommit: options.gitCommit,
    approval: options.approveRequired ? { timeoutMs: options.approvalTimeout ?? defaultApprovalTimeoutMs } : undefined,
    cleanupOnReject: options.cleanup,
    watch: options.watch,
    ...(options.rollout ? { rollout: options.rollout } : {}),
  });
  return { ...prepared, options };
}
