import { Router } from '../../../src/emulator/http/router';
import { parseInferenceCall } from '../../../src/emulator/inference/resolve';

test('the router prefers literal segments and tells a wrong method from a missing route', () => {
  const router = new Router<string>()
    .add('GET', '/v1/m/:id/deployments/:ref', 'by-ref')
    .add('GET', '/v1/m/:id/deployments/production', 'prod');
  expect(router.match('GET', '/v1/m/x/deployments/production')).toEqual({
    kind: 'found',
    handler: 'prod',
    params: { id: 'x' },
  });
  expect(router.match('GET', '/v1/m/x/deployments/abc%20d')).toEqual({
    kind: 'found',
    handler: 'by-ref',
    params: { id: 'x', ref: 'abc d' },
  });
  expect(router.match('POST', '/v1/m/x/deployments/abc')).toEqual({ kind: 'wrong-method' });
  expect(router.match('GET', '/v1/other')).toEqual({ kind: 'none' });
});

test.each([
  [
    'model-abc1.localhost',
    '/production/predict',
    { modelId: 'abc1', target: { kind: 'production' }, action: 'predict' },
  ],
  ['model-abc1.localhost', '/development/wake', { modelId: 'abc1', target: { kind: 'development' }, action: 'wake' }],
  [
    '127.0.0.1',
    '/inference/abc1/deployment/d1/predict',
    { modelId: 'abc1', target: { kind: 'deployment', deploymentId: 'd1' }, action: 'predict' },
  ],
  [
    'localhost',
    '/inference/abc1/environments/staging/wake',
    { modelId: 'abc1', target: { kind: 'environment', name: 'staging' }, action: 'wake' },
  ],
])('%s %s is an inference call', (host, path, expected) => {
  expect(parseInferenceCall(host, path)).toEqual(expected);
});

test('paths outside the four prefixes are not inference calls', () => {
  expect(parseInferenceCall('model-abc1.localhost', '/predict')).toBeUndefined();
  expect(parseInferenceCall('127.0.0.1', '/inference/abc1/staging/predict')).toBeUndefined();
  expect(parseInferenceCall('127.0.0.1', '/v1/models')).toBeUndefined();
});

test('a trailing slash or an empty segment is not the route: /v1/models/ and /v1//models are not /v1/models', () => {
  const router = new Router<string>().add('GET', '/v1/models', 'list').add('GET', '/v1/models/:id', 'one');
  expect(router.match('GET', '/v1/models')).toMatchObject({ kind: 'found', handler: 'list' });
  expect(router.match('GET', '/v1/models/')).toEqual({ kind: 'none' });
  expect(router.match('GET', '/v1//models')).toEqual({ kind: 'none' });
  expect(router.match('GET', '/v1/models/m1/')).toEqual({ kind: 'none' });
});
