import { releaseWorkflowId, resolveReleaseRef } from '../../../src/operations/workflow-refs';
import { UsageError } from '../../../src/common/usage-error';

describe('release ids', () => {
  it('derives one id per model and environment, safe for URLs and shells', () => {
    expect(releaseWorkflowId('text-transform', 'production')).toBe('release-text-transform-production');
    expect(releaseWorkflowId('My Model (v2)', 'Staging')).toBe('release-my-model-v2-staging');
  });

  it('refuses a name with nothing to build an id from', () => {
    expect(() => releaseWorkflowId('!!!', 'production')).toThrow(UsageError);
  });

  it('accepts a release id as is, or a model name with an environment', () => {
    expect(resolveReleaseRef('release-a-staging', 'production')).toBe('release-a-staging');
    expect(resolveReleaseRef('a', 'staging')).toBe('release-a-staging');
  });
});
