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
    const attempted = { status: 'failed', promotionAttempted: true } as const;
    expect(exitCodeFor({ ...attempted, failedStage: 'promoting', reverted: true })).toBe(ExitCode.promotionFailed);
    expect(exitCodeFor({ ...attempted, failedStage: 'verifying', reverted: true })).toBe(ExitCode.promotionFailed);
    // Exit 5 promises production is back on the previous deployment: a failed revert, or none, is exit 6.
    expect(exitCodeFor({ ...attempted, failedStage: 'verifying', reverted: false })).toBe(ExitCode.notReverted);
    expect(exitCodeFor({ ...attempted, failedStage: 'reverting', reverted: false })).toBe(ExitCode.notReverted);
    // Failed before the promote call (reading production, waking the candidate): production was never touched.
    expect(exitCodeFor({ status: 'failed', failedStage: 'promoting', promotionAttempted: false })).toBe(
      ExitCode.failure,
    );
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
        promotionAttempted: true,
        productionDeploymentId: 'd1',
      },
      { workflowId: 'w', runId: 'r', uiUrl: 'u' },
    );
    expect(summariseOutcome(outcome)).toBe('failed while verifying: error rate 100%; production reverted to d1');
  });
});

describe('a promotion that could not be reverted', () => {
  it('says so loudly, first thing on the line', () => {
    const outcome = releaseOutcome(
      {
        status: 'failed',
        failedStage: 'verifying',
        promotionAttempted: true,
        reverted: false,
        reason: 'verifying: production answers 500; production was NOT reverted (the revert failed)',
      },
      { workflowId: 'w', runId: 'r', uiUrl: 'u' },
    );
    expect(outcome.exitCode).toBe(ExitCode.notReverted);
    expect(summariseOutcome(outcome)).toMatch(/^PRODUCTION NOT REVERTED while verifying: /);
  });

  it('names the deployment a rejected release left serving', () => {
    const outcome = releaseOutcome(
      { status: 'rejected', reason: 'p95 over 2 s', candidateDeploymentId: 'd2', previousProductionDeploymentId: 'd1' },
      { workflowId: 'w', runId: 'r', uiUrl: 'u' },
    );
    expect(summariseOutcome(outcome)).toBe('rejected: p95 over 2 s; production unchanged (d1)');
  });
});
