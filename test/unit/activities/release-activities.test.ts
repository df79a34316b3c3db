import { ApplicationFailure } from '@temporalio/common';
import { toActivityFailure } from '../../../src/activities/failures';
import { InternalServerError, NotFoundError, RateLimitError } from '../../../src/baseten/errors';
import { setup } from './activity-harness';

describe('awaitDeploymentActive', () => {
  it('returns once the deployment is ACTIVE, heart-beating each status it saw', async () => {
    const { fake, env, heartbeats, activities } = setup();
    fake.script('d1', 'BUILDING', 'DEPLOYING', 'LOADING_MODEL', 'ACTIVE');
    const result = await env.run(activities.awaitDeploymentActive, {
      modelId: 'm1',
      deploymentId: 'd1',
      timeoutMs: 60_000,
    });
    expect(result).toEqual({ deploymentId: 'd1', status: 'ACTIVE' });
    expect(heartbeats.map((h) => (h as { status: string }).status)).toEqual([
      'BUILDING',
      'DEPLOYING',
      'LOADING_MODEL',
      'ACTIVE',
    ]);
  });

  it('fails fast and non-retryably on a failure status, with the status and the last log lines', async () => {
    const { fake, env, activities } = setup();
    fake.script('d1', 'BUILDING', 'BUILD_FAILED');
    const failure = await env
      .run(activities.awaitDeploymentActive, { modelId: 'm1', deploymentId: 'd1', timeoutMs: 60_000 })
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'DeploymentFailedError', nonRetryable: true });
    expect((failure as Error).message).toBe(
      'deployment d1 is BUILD_FAILED; last log lines: building wheel | ERROR: No matching distribution found for nosuchpackage',
    );
  });

  it('wakes a scaled-to-zero deployment once and waits for it', async () => {
    const { fake, env, activities } = setup();
    fake.script('d1', 'SCALED_TO_ZERO', 'SCALED_TO_ZERO', 'WAKING_UP', 'ACTIVE');
    await env.run(activities.awaitDeploymentActive, { modelId: 'm1', deploymentId: 'd1', timeoutMs: 60_000 });
    expect(fake.calls.filter((c) => c.startsWith('wake'))).toEqual(['wake d1']);
  });

  it('gives up at its deadline with DeploymentTimeoutError, polling with growing intervals', async () => {
    const { fake, env, sleeps, activities } = setup();
    fake.script('d1', 'BUILDING');
    const failure = await env
      .run(activities.awaitDeploymentActive, { modelId: 'm1', deploymentId: 'd1', timeoutMs: 1000 })
      .catch((err: unknown) => err);
    expect(failure).toMatchObject({ type: 'DeploymentTimeoutError', nonRetryable: true });
    expect((failure as Error).message).toBe('deployment d1 is still BUILDING after 1 s');
    expect(sleeps).toEqual([100, 150, 225, 338, 187]);
  });
});

describe('promoteCandidate', () => {
  it('promotes a candidate that is not production yet, once', async () => {
    const { fake, promote } = setup();
    fake.productionId = 'old';
    fake.script('old', 'ACTIVE');
    fake.script('new', 'ACTIVE');
    fake.environments.set('production', { current: 'old' });
    const input = {
      modelId: 'm1',
      environment: 'production',
      target: { kind: 'deployment', deploymentId: 'new' },
      via: 'deployment',
    } as const;
    expect(await promote(input)).toEqual({ deploymentId: 'new', alreadyPromoted: false });
    fake.environments.set('production', { current: 'new' });
    // A retry (or a replay after a crash) reads production first and does not promote again.
    expect(await promote(input)).toEqual({ deploymentId: 'new', alreadyPromoted: true });
    expect(fake.calls.filter((c) => c.startsWith('promote'))).toEqual(['promoteDeployment new']);
  });

  it('does not promote a deployment whose promotion is already in progress', async () => {
    const { fake, promote } = setup();
    fake.script('old', 'ACTIVE');
    fake.script('new', 'ACTIVE');
    fake.environments.set('canary', { current: 'old', candidate: 'new' });
    const result = await promote({
      modelId: 'm1',
      environment: 'canary',
      target: { kind: 'deployment', deploymentId: 'new' },
      via: 'environment',
    });
    expect(result).toEqual({ deploymentId: 'new', alreadyPromoted: true });
    expect(fake.calls.some((c) => c.startsWith('promote'))).toBe(false);
  });

  it('promotes into an environment with the environment form', async () => {
    const { fake, promote } = setup();
    fake.script('new', 'ACTIVE');
    await promote({
      modelId: 'm1',
      environment: 'canary',
      target: { kind: 'deployment', deploymentId: 'new' },
      via: 'environment',
    });
    expect(fake.calls.filter((c) => c.startsWith('promote'))).toEqual(['promoteToEnvironment canary new']);
  });
});

describe('prepareForTraffic', () => {
  it('activates an INACTIVE deployment and waits until it is ACTIVE', async () => {
    const { fake, run, activities } = setup();
    fake.script('old', 'INACTIVE');
    const result = await run(activities.prepareForTraffic, {
      modelId: 'm1',
      deploymentId: 'old',
      timeoutMs: 60_000,
    });
    expect(result.status).toBe('ACTIVE');
    expect(fake.calls.filter((c) => c.startsWith('activate'))).toEqual(['activateDeployment old']);
  });
});

describe('verifyProduction', () => {
  it('is not verified when production serves another deployment at the deadline', async () => {
    const { fake, verify } = setup();
    fake.productionId = 'old';
    fake.script('old', 'ACTIVE');
    const result = await verify({
      modelId: 'm1',
      environment: 'production',
      deploymentId: 'new',
      smokeTarget: { kind: 'production' },
      timeoutMs: 500,
    });
    expect(result).toMatchObject({ verified: false, productionDeploymentId: 'old' });
    expect(result.reason).toBe('production serves old (ACTIVE), not new ACTIVE, after 1 s');
  });

  it('is not verified when the smoke case answers with the wrong status', async () => {
    const { fake, verify } = setup();
    fake.productionId = 'new';
    fake.script('new', 'ACTIVE');
    fake.api.predict = async () => ({ status: 500, body: { error: 'boom' }, latencyMs: 2 });
    const result = await verify({
      modelId: 'm1',
      environment: 'production',
      deploymentId: 'new',
      smoke: { caseName: 'positive', input: { text: 'hi' }, expectStatus: 200 },
      smokeTarget: { kind: 'production' },
      timeoutMs: 500,
    });
    expect(result).toMatchObject({
      verified: false,
      reason: 'smoke case "positive" on production: HTTP 500, expected 200',
    });
  });
});

describe('Baseten errors as Temporal failures', () => {
  it('makes a wrong request non-retryable, named by its class', () => {
    const failure = toActivityFailure(new NotFoundError(404, {}, 'model m1 not found', {}));
    expect(failure).toMatchObject({ type: 'NotFoundError', nonRetryable: true, message: 'model m1 not found' });
  });

  it('retries server errors, and waits as long as a 429 asked', () => {
    expect(toActivityFailure(new InternalServerError(503, {}, 'unavailable', {}))).toMatchObject({
      type: 'InternalServerError',
      nonRetryable: false,
    });
    const limited = toActivityFailure(new RateLimitError(429, { retry_after: 37 }, 'Rate limit exceeded', {}));
    expect(limited).toMatchObject({ type: 'RateLimitError', nonRetryable: false, nextRetryDelay: 37_000 });
  });
});
