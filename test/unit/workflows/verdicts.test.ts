import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { FailureType } from '../../../src/common/failure-types';
import { isVerdict, oneLine, rootFailure } from '../../../src/workflows/verdicts';
import { approvalReason } from '../../../src/workflows/endings';
import { approvalRefusal } from '../../../src/workflows/approval';

function activityFailure(cause: Error): ActivityFailure {
  return new ActivityFailure(
    'activity failed',
    'awaitDeploymentActive',
    '1',
    RetryState.NON_RETRYABLE_FAILURE,
    'w',
    cause,
  );
}

describe('release outcome', () => {
  it('reports an activity failure by what the activity threw', () => {
    const err = activityFailure(
      ApplicationFailure.nonRetryable('deployment d1 is BUILD_FAILED', 'DeploymentFailedError'),
    );
    expect(rootFailure(err)).toEqual({ type: 'DeploymentFailedError', message: 'deployment d1 is BUILD_FAILED' });
  });

  it('treats build, deploy, Truss and verification failures as verdicts', () => {
    for (const type of [
      'DeploymentFailedError',
      'DeploymentTimeoutError',
      'TrussConfigError',
      FailureType.VerificationFailed,
    ]) {
      expect(isVerdict(activityFailure(ApplicationFailure.nonRetryable('x', type)))).toBe(true);
    }
  });

  it('treats infrastructure failures as failures, not verdicts', () => {
    expect(
      isVerdict(activityFailure(ApplicationFailure.create({ message: 'no key', type: 'AuthenticationError' }))),
    ).toBe(false);
    expect(isVerdict(new Error('bug'))).toBe(false);
  });

  it('flattens reasons to one bounded line', () => {
    expect(oneLine('a\n  b\tc')).toBe('a b c');
    expect(oneLine('x'.repeat(600))).toHaveLength(500);
  });

  it('explains why the approval gate stopped the release', () => {
    expect(approvalReason(undefined, 90_000)).toBe('not approved within 90 s');
    expect(approvalReason({ by: 'ana', reason: 'not today' }, 1)).toBe(
      'rejected at the approval gate by ana: not today',
    );
  });
});

describe('approval gate validator', () => {
  it('accepts a decision only while the release awaits approval', () => {
    expect(approvalRefusal('awaiting-approval', false, { by: 'ana' })).toBeUndefined();
    expect(approvalRefusal('awaiting-approval', false, undefined)).toBeUndefined();
    expect(approvalRefusal('validating', false, {})).toBe('the release is not awaiting approval (stage: validating)');
  });

  it('refuses a second decision', () => {
    expect(approvalRefusal('awaiting-approval', true, {})).toBe('the approval gate has already decided');
  });

  it('refuses malformed arguments', () => {
    expect(approvalRefusal('awaiting-approval', false, { reason: 'x'.repeat(501) })).toMatch(/longer than 500/);
    expect(approvalRefusal('awaiting-approval', false, { by: 7 as unknown as string })).toBe('"by" must be a string');
  });
});
