import { parseCandidate, parseDeployOptions } from '../../../src/cli/deploy/options';
import { UsageError } from '../../../src/common/usage-error';

function usageMessage(raw: unknown): string {
  try {
    parseDeployOptions(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('deploy options', () => {
  it('defaults to a published candidate promoted into production, waiting for the result', () => {
    const options = parseDeployOptions({ label: [], wait: true });
    expect(options.approvalTimeout).toBeUndefined();
    expect(options).toMatchObject({
      environment: 'production',
      candidate: { kind: 'published' },
      label: {},
      approveRequired: false,
      supersede: false,
      cleanup: false,
      wait: true,
      json: false,
    });
  });

  it('parses every candidate kind and rejects anything else with the accepted forms', () => {
    expect(parseCandidate('published')).toEqual({ kind: 'published' });
    expect(parseCandidate('development')).toEqual({ kind: 'development' });
    expect(parseCandidate('environment:staging')).toEqual({ kind: 'environment', name: 'staging' });
    expect(parseCandidate('environment:')).toBeUndefined();
    expect(usageMessage({ candidate: 'draft' })).toBe(
      "--candidate: 'draft': expected published, development or environment:<name>",
    );
  });

  it('turns repeated --label k=v into a map, keeping = signs inside values', () => {
    const options = parseDeployOptions({ label: ['team=ml', 'query=a=b', 'empty='] });
    expect(options.label).toEqual({ team: 'ml', query: 'a=b', empty: '' });
  });

  it('names the bad label and why', () => {
    expect(usageMessage({ label: ['novalue'] })).toBe(
      "--label: 'novalue': expected key=value with a key of letters, digits, . _ / -",
    );
    expect(usageMessage({ label: ['a=1', 'a=2'] })).toBe("--label: 'a=2': label a is given twice");
  });

  it('reads the approval timeout as a duration, only together with --approve-required', () => {
    expect(parseDeployOptions({ approveRequired: true, approvalTimeout: '30m' }).approvalTimeout).toBe(1_800_000);
    expect(usageMessage({ approveRequired: true, approvalTimeout: 'soon' })).toBe(
      "--approval-timeout: 'soon': expected a duration such as 30m or 24h",
    );
    expect(usageMessage({ approvalTimeout: '1h' })).toBe('--approval-timeout: only applies with --approve-required');
  });

  it('rejects a malformed environment, git commit or empty model name, naming the flag', () => {
    expect(usageMessage({ environment: 'prod uction' })).toMatch(/^--environment: /);
    expect(usageMessage({ gitCommit: 'not-a-sha' })).toBe(
      '--git-commit: expected a git commit sha (7 to 40 hex digits)',
    );
    expect(usageMessage({ modelName: '  ' })).toBe('--model-name: must not be empty');
  });

  it('takes --rollout rolling into the release, leaves the environment to decide by default, refuses anything else', () => {
    expect(parseDeployOptions({ rollout: 'rolling' }).rollout).toBe('rolling');
    expect(parseDeployOptions({}).rollout).toBeUndefined();
    expect(parseDeployOptions({ rollout: 'environment' }).rollout).toBeUndefined();
    expect(usageMessage({ rollout: 'canary' })).toBe('--rollout: expected rolling or environment');
  });
});
