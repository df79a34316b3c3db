import { exitCodeFor, releaseOutcome, summariseOutcome } from '../../../src/cli/deploy/release-outcome';
import { ExitCode } from '../../../src/common/exit-codes';

describe('release outcome', () => {
  it('maps each way a release ends to its documented exit code', () => {
    expect(exitCodeFor({ status: 'promoted' })).toBe(ExitCode.ok);
    expect(exitCodeFor({ status: 'rejected' })).toBe(ExitCode.rejected);
    expect(exitCodeFor({ status: 'failed', failedStage: 'pushing' })).toBe(ExitCode.buildFailed);
    // A push nobody picked up (the deploy process is gone) built nothing: an ordinary failure, not a build failure.
    expect(exitCodeFor({ status: 'failed', failedStage: 'pushing', failureType: 'PushNotStartedError' })).toBe(
      ExitCode.failure,
    );
    expect(exitCodeFor({ status: 'failed', failedStage: 'building' })).toBe(ExitCode.buildFailed);
    expect(exitCodeFor({ status: 'failed', failedStage: 'promoting', reverted: true })).toBe(ExitCode.promotionFailed);
    expect(exitCodeFor({ status: 'failed', failedStage: 'verifying', reverted: true })).toBe(ExitCode.promotionFailed);
    expect(exitCodeFor({ status: 'failed', failedStage: 'awaiting-approval' })).toBe(ExitCode.rejected);
    expect(exitCodeFor({ status: 'failed' })).toBe(ExitCode.failure);
  });

  it('adds where to find the release and the exit code to the workflow result', () => {
    const outcome = releaseOutcome(
      { status: 'promoted', modelId: 'm1', candidateDeploymentId: 'd2', productionDeploymentId: 'd2' },
      { workflowId: 'release-m-production', runId: 'r1', uiUrl: 'http://ui' },
    );
    expect(outcome).toEqual({
      status: 'promoted',
      modelId: 'm1',
      candidateDeploymentId: 'd2',
      productionDeploymentId: 'd2',
      workflowId: 'release-m-production',
      runId: 'r1',
      uiUrl: 'http://ui',
      exitCode: 0,
    });
    expect(summariseOutcome(outcome)).toBe('promoted: production is now deployment d2 (previously none)');
  });

  it('says why a release failed and that production was reverted', () => {
    const outcome = releaseOutcome(
      {
        status: 'failed',
        failedStage: 'verifying',
        reason: 'error rate 100%',
        reverted: true,
        productionDeploymentId: 'd1',
      },
      { workflowId: 'w', runId: 'r', uiUrl: 'u' },
    );
    expect(summariseOutcome(outcome)).toBe('failed while verifying: error rate 100%; production reverted to d1');
  });
});
