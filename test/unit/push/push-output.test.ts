import { classifyFailure, parsePushedIds } from '../../../src/activities/push-output';

describe('reading what truss push printed', () => {
  it('takes the ids from the --output json result', () => {
    const stdout = JSON.stringify(
      { model_id: 'abc1d2ef', model_version_id: 'xyz123', predict_url: 'http://h/p', is_draft: false },
      null,
      2,
    );
    expect(parsePushedIds(`${stdout}\n`, '')).toEqual({ modelId: 'abc1d2ef', deploymentId: 'xyz123' });
  });

  it('falls back to the logs link that every truss version prints', () => {
    const text = 'Logs:          http://localhost:8000/models/m7k2/logs/d9q1\n';
    expect(parsePushedIds(text, '')).toEqual({ modelId: 'm7k2', deploymentId: 'd9q1' });
    expect(parsePushedIds('', `stderr ${text}`)).toEqual({ modelId: 'm7k2', deploymentId: 'd9q1' });
    expect(parsePushedIds('nothing useful', '')).toBeUndefined();
  });
});

describe('classifying a failed push', () => {
  const jsonError = (message: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ error: { message, ...extra } });

  it('treats config, validation and usage errors as final, with truss own message', () => {
    const pydantic = '1 validation error for TrussConfig\nresources.cpu\n  Input should be a valid string';
    expect(classifyFailure(1, jsonError(pydantic), [])).toEqual({
      type: 'TrussConfigError',
      message: pydantic,
      nonRetryable: true,
    });
    const backend = 'Validation failed with the following errors:\n  resources.cpu: must be string';
    expect(classifyFailure(1, jsonError(backend), []).type).toBe('TrussConfigError');
    expect(
      classifyFailure(1, jsonError('Expected a truss configuration file at /x/config.yaml'), []).nonRetryable,
    ).toBe(true);
    expect(classifyFailure(2, '', ["No such option '--bogus'."])).toMatchObject({
      type: 'TrussConfigError',
      message: "No such option '--bogus'.",
    });
  });

  it('treats refused credentials as final', () => {
    expect(classifyFailure(1, jsonError('401 Client Error: Unauthorized', { status_code: 401 }), [])).toMatchObject({
      type: 'TrussAuthError',
      nonRetryable: true,
    });
  });

  it('treats an unreachable server as retryable', () => {
    const refused =
      "HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded with url: http://localhost:8000/graphql/ (Caused by ProxyError('Unable to connect to proxy'))";
    expect(classifyFailure(1, jsonError(refused), [])).toMatchObject({
      type: 'TrussNetworkError',
      nonRetryable: false,
    });
    expect(classifyFailure(1, jsonError('503 Server Error', { status_code: 503 }), []).type).toBe('TrussNetworkError');
  });

  it('retries anything else, reporting the last lines truss printed', () => {
    const failure = classifyFailure(1, '', ['Traceback (most recent call last):', 'KeyError: boom']);
    expect(failure.type).toBe('TrussPushError');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toContain('KeyError: boom');
  });
});
