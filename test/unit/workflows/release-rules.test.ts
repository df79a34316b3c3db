import { validationSpecSchema } from '../../../src/validation/schema';
import {
  candidateTarget,
  comparisonTarget,
  defaultTimeouts,
  inputProblem,
  promotionVia,
  releaseTimeouts,
  revertVia,
  smokeCheck,
} from '../../../src/workflows/release-rules';
import type { DeployInput } from '../../../src/workflows/types';

function deployInput(overrides: Partial<DeployInput> = {}): DeployInput {
  return {
    modelName: 'sentiment',
    environment: 'production',
    candidate: { kind: 'published' },
    trussDir: '/src/sentiment',
    pushTaskQueue: 'push-q',
    validation: validationSpecSchema.parse({
      cases: [
        { name: 'positive', input: { text: 'great' }, expect: { status: 200 } },
        { name: 'negative', input: { text: 'awful' } },
      ],
    }),
    cleanupOnReject: false,
    ...overrides,
  };
}

describe('release plan', () => {
  it('accepts a well-formed release', () => {
    expect(inputProblem(deployInput())).toBeUndefined();
  });

  it('refuses to promote a development candidate anywhere but production', () => {
    expect(inputProblem(deployInput({ candidate: { kind: 'development' }, environment: 'staging' }))).toMatch(
      /development candidate can only be promoted to production/,
    );
  });

  it('refuses a candidate environment equal to the target environment', () => {
    expect(
      inputProblem(deployInput({ candidate: { kind: 'environment', name: 'staging' }, environment: 'staging' })),
    ).toMatch(/candidate environment staging/);
  });

  it('refuses an approval gate without a positive timeout', () => {
    expect(inputProblem(deployInput({ approval: { required: true, timeoutMs: 0 } }))).toMatch(/timeoutMs/);
  });

  it('smoke-tests with the first validation case and its expected status', () => {
    expect(smokeCheck(deployInput().validation)).toEqual({
      caseName: 'positive',
      input: { text: 'great' },
      expectStatus: 200,
    });
  });

  it('validates the exact candidate deployment, or the development alias for a development candidate', () => {
    expect(candidateTarget(deployInput(), 'dep1')).toEqual({ kind: 'deployment', deploymentId: 'dep1' });
    expect(candidateTarget(deployInput({ candidate: { kind: 'environment', name: 'staging' } }), 'dep1')).toEqual({
      kind: 'deployment',
      deploymentId: 'dep1',
    });
    expect(candidateTarget(deployInput({ candidate: { kind: 'development' } }), 'dev1')).toEqual({
      kind: 'development',
    });
  });

  it('compares with production only when the validation file asks for it', () => {
    expect(comparisonTarget(deployInput())).toBeUndefined();
    const validation = validationSpecSchema.parse({
      cases: [{ name: 'a', input: 1 }],
      latency: { samples: 5 },
      compareWithProduction: { maxLatencyRatio: 2 },
    });
    expect(comparisonTarget(deployInput({ validation }))).toEqual({ kind: 'production' });
    expect(comparisonTarget(deployInput({ validation, environment: 'staging' }))).toEqual({
      kind: 'environment',
      name: 'staging',
    });
  });

  it('promotes published candidates with the deployment form in production, the environment form elsewhere', () => {
    expect(promotionVia(deployInput())).toBe('deployment');
    expect(promotionVia(deployInput({ candidate: { kind: 'development' } }))).toBe('deployment');
    expect(promotionVia(deployInput({ candidate: { kind: 'environment', name: 'staging' } }))).toBe('environment');
    expect(promotionVia(deployInput({ environment: 'canary' }))).toBe('environment');
    expect(revertVia('production')).toBe('deployment');
    expect(revertVia('canary')).toBe('environment');
  });

  it('fills timeouts the input leaves out with the defaults', () => {
    expect(releaseTimeouts(deployInput())).toEqual(defaultTimeouts);
    expect(releaseTimeouts(deployInput({ timeouts: { buildMs: 5000 } }))).toEqual({
      ...defaultTimeouts,
      buildMs: 5000,
    });
  });
});
