import { errorLine } from '../../../src/common/error-line';

describe('errorLine', () => {
  it('joins an error and its causes on one line, leaving out a cause already in the message', () => {
    const root = new Error('connect ECONNREFUSED 127.0.0.1:7233');
    const wrapped = new Error('cannot reach Temporal at 127.0.0.1:7233: connect ECONNREFUSED 127.0.0.1:7233', {
      cause: root,
    });
    expect(errorLine(wrapped)).toBe('cannot reach Temporal at 127.0.0.1:7233: connect ECONNREFUSED 127.0.0.1:7233');
    expect(errorLine(new Error('failed to start the release', { cause: root }))).toBe(
      'failed to start the release: connect ECONNREFUSED 127.0.0.1:7233',
    );
  });

  it('flattens multi-line messages and objects, and never prints a stack', () => {
    const err = new Error('first line\n  second line');
    const line = errorLine(err);
    expect(line).toBe('first line second line');
    expect(errorLine({ code: 14, details: 'No connection established' })).toBe(
      '{"code":14,"details":"No connection established"}',
    );
    expect(errorLine('plain text')).toBe('plain text');
  });

  it('reads the inner errors of an AggregateError without a message', () => {
    const aggregate = new AggregateError([
      new Error('connect ECONNREFUSED ::1:80'),
      new Error('connect ECONNREFUSED 127.0.0.1:80'),
    ]);
    expect(errorLine(new Error('fetch failed', { cause: aggregate }))).toBe(
      'fetch failed: connect ECONNREFUSED ::1:80; connect ECONNREFUSED 127.0.0.1:80',
    );
  });

  it('cuts a very long line', () => {
    expect(errorLine(new Error('x'.repeat(1000)), 50)).toHaveLength(50);
  });
});
