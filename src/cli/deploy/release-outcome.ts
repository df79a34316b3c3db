import { ExitCode } from '../../common/exit-codes';
import { FailureType } from '../../common/failure-types';
import type { DeployResult, ReleaseStage } from '../../workflows/types';

const buildStages: readonly ReleaseStage[] = ['pushing', 'building'];
const promotionStages: readonly ReleaseStage[] = ['promoting', 'verifying', 'reverting'];

/** The exit code CI sees for a finished release (see ExitCode for the contract). */
export function exitCodeFor(result: DeployResult): ExitCode {
  switch (result.status) {
    case 'promoted':
      return ExitCode.ok;
    case 'rejected':
      return ExitCode.rejected;
    case 'failed':
      // The CI job that hosts the push went away: nothing was built, so this is not a build failure.
      if (result.failureType === FailureType.PushNotStarted) return ExitCode.failure;
      if (result.failedStage && buildStages.includes(result.failedStage)) return ExitCode.buildFailed;
      if (result.failedStage && promotionStages.includes(result.failedStage)) {
        // Failed before the promote call: production was never touched, so this is an ordinary failure.
        if (!result.promotionAttempted) return ExitCode.failure;
        return result.reverted ? ExitCode.promotionFailed : ExitCode.notReverted;
      }
      // An approval that timed out is a rejection by nobody: production was never touched.
      if (result.failedStage === 'awaiting-approval') return ExitCode.rejected;
      return ExitCode.failure;
  }
}

/** The one object `deploy --json` prints: the workflow's result plus where to find it. */
export interface ReleaseOutcome extends DeployResult {
  workflowId: string;
  runId: string;
  uiUrl: string;
  exitCode: ExitCode;
}

export function releaseOutcome(
  result: DeployResult,
  where: { workflowId: string; runId: string; uiUrl: string },
): ReleaseOutcome {
  const { workflowId, runId, uiUrl } = where;
  return { ...result, workflowId, runId, uiUrl, exitCode: exitCodeFor(result) };
}

/** The last line of a human-readable deploy: what happened and what production is now. */
export function summariseOutcome(outcome: ReleaseOutcome): string {
  const production = outcome.productionDeploymentId ?? 'unknown';
  switch (outcome.status) {
    case 'promoted':
      return `promoted: production is now deployment ${production} (previously ${outcome.previousProductionDeploymentId ?? 'none'})`;
    case 'rejected': {
      // A rejected release never touched production: it still serves the deployment it served before.
      const unchanged = outcome.productionDeploymentId ?? outcome.previousProductionDeploymentId ?? 'none';
      return `rejected: ${outcome.reason ?? 'validation failed'}; production unchanged (${unchanged})`;
    }
    case 'failed': {
      const stage = outcome.failedStage ? ` while ${outcome.failedStage}` : '';
      if (outcome.exitCode === ExitCode.notReverted) {
        return `PRODUCTION NOT REVERTED${stage}: ${outcome.reason ?? 'no reason given'}`;
      }
      const reverted = outcome.reverted ? `; production reverted to ${production}` : '';
      return `failed${stage}: ${outcome.reason ?? 'no reason given'}${reverted}`;
    }
  }
}
