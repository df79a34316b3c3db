import type { CallOptions } from '../../../src/baseten/client';
import type { PromotionStatus } from '../../../src/baseten/schemas';
import type { CancelPromotionInput } from '../../../src/activities/cancel-promotion';
import { waitFor } from '../../support/wait-for';
import { setup } from './activity-harness';
import { deployment } from './fake-baseten';

/** Production serves `current` while a promotion towards `candidate` has `status`. */
function promoting(
  fake: ReturnType<typeof setup>['fake'],
  current: string,
  candidate: string,
  status: PromotionStatus,
): void {
  fake.script(current, 'ACTIVE');
  fake.script(candidate, 'ACTIVE');
  fake.environments.set('production', {
    current,
    candidate,
    promotion: { status, percent_traffic_to_new_version: status === 'RAMPING_DOWN' ? 40 : 0 },
  });
}

const toNew = {
  modelId: 'm1',
  environment: 'production',
  target: { kind: 'deployment', deploymentId: 'new' },
  via: 'deployment',
} as const;

describe('promoteCandidate: one attempt, one call in flight', () => {
  it('heartbeats while the promote call runs and bounds the call inside the heartbeat window', async () => {
    const { fake, promote, heartbeats } = setup({ heartbeatTimeoutMs: 1_500, startToCloseTimeoutMs: 120_000 });
    fake.productionId = 'old';
    fake.script('old', 'ACTIVE');
    fake.script('new', 'ACTIVE');
    let seen: CallOptions | undefined;
    let release: () => void = () => undefined;
    fake.api.promoteDeployment = async (_m, id, _body, options) => {
      seen = options;
      // A slow promote: the attempt must keep heart-beating until it answers.
      await new Promise<void>((resolve) => (release = resolve));
      fake.productionId = id;
      return deployment(id, 'ACTIVE');
    };
    const promoted = promote(toNew);
    const before = heartbeats.length;
    await waitFor(
      'a heartbeat while the promote call is held',
      () => seen !== undefined && heartbeats.length > before + 1,
    );
    release();
    expect(await promoted).toEqual({ deploymentId: 'new', alreadyPromoted: false });
    expect(heartbeats).toContain('promoting');
    // The call gives up before Temporal would declare the attempt dead, and stops when the activity is cancelled.
    expect(seen?.timeoutMs).toBeLessThanOrEqual(1_200);
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
  }, 20_000);

  it('reads what serves the environment and what is being promoted into it from one read', async () => {
    const { fake, promote } = setup();
    promoting(fake, 'old', 'new', 'RELEASING');
    expect(await promote(toNew)).toEqual({ deploymentId: 'new', alreadyPromoted: true });
    expect(fake.calls).toEqual(['getEnvironment production']);
  });

  it('promotes again when the earlier promotion of the deployment was cancelled', async () => {
    const { fake, promote } = setup();
    promoting(fake, 'old', 'new', 'CANCELED');
    expect(await promote(toNew)).toEqual({ deploymentId: 'new', alreadyPromoted: false });
    expect(fake.calls.filter((c) => c.startsWith('promote'))).toEqual(['promoteDeployment new']);
  });

  it('recognises a development promotion still building as done, and does not build a second one', async () => {
    const { fake, promote } = setup();
    fake.productionId = 'old';
    fake.script('old', 'ACTIVE');
    const input = {
      modelId: 'm1',
      environment: 'production',
      target: { kind: 'development' },
      via: 'deployment',
      previousProductionId: 'old',
    } as const;
    expect(await promote(input)).toEqual({ deploymentId: 'built1', alreadyPromoted: false });
    // The retry comes while the new deployment is still building: production is still `old`.
    expect(await promote(input)).toEqual({ deploymentId: 'built1', alreadyPromoted: true });
    expect(fake.calls.filter((c) => c.startsWith('promote'))).toEqual(['promoteDeployment development']);
  });
});

describe('cancelPendingPromotion', () => {
  const input: CancelPromotionInput = {
    modelId: 'm1',
    environment: 'production',
    keepDeploymentId: 'old',
    gracefulMs: 1_000,
    timeoutMs: 5_000,
  };

  it('does nothing when no promotion is in progress', async () => {
    const { fake, run, activities } = setup();
    fake.script('old', 'ACTIVE');
    fake.environments.set('production', { current: 'old' });
    expect(await run(activities.cancelPendingPromotion, input)).toEqual({ cancelled: 'none' });
    expect(fake.calls.some((c) => c.includes('ancelPromotion'))).toBe(false);
  });

  it('cancels a promotion that is still building towards the candidate', async () => {
    const { fake, run, activities } = setup();
    promoting(fake, 'old', 'new', 'RELEASING');
    const result = await run(activities.cancelPendingPromotion, input);
    expect(result).toEqual({ cancelled: 'graceful', candidateDeploymentId: 'new', finalStatus: 'CANCELED' });
    expect(fake.calls.filter((c) => c.includes('ancelPromotion'))).toEqual(['cancelPromotion production']);
  });

  it('forces the cancel when the graceful one has not finished within gracefulMs', async () => {
    const { fake, run, activities } = setup();
    promoting(fake, 'old', 'new', 'RAMPING_DOWN');
    // A graceful cancel that only starts ramping back.
    fake.api.cancelPromotion = async (_m, name) => {
      fake.calls.push(`cancelPromotion ${name}`);
      return { status: 'RAMPING_DOWN', message: 'ramping back' };
    };
    const result = await run(activities.cancelPendingPromotion, input);
    expect(result).toMatchObject({ cancelled: 'forced', candidateDeploymentId: 'new' });
    expect(fake.calls.filter((c) => c.includes('ancelPromotion'))).toEqual([
      'cancelPromotion production',
      'forceCancelPromotion production',
    ]);
  });

  it('leaves a promotion towards the deployment it must keep alone', async () => {
    const { fake, run, activities } = setup();
    promoting(fake, 'new', 'old', 'RAMPING_UP');
    expect(await run(activities.cancelPendingPromotion, input)).toMatchObject({ cancelled: 'none' });
  });

  it('fails, non-retryably, when the promotion does not end by the deadline', async () => {
    const { fake, run, activities } = setup();
    promoting(fake, 'old', 'new', 'RAMPING_DOWN');
    fake.api.cancelPromotion = async () => ({ status: 'RAMPING_DOWN', message: 'ramping back' });
    fake.api.forceCancelPromotion = async () => ({ success: true });
    const failure = await run(activities.cancelPendingPromotion, input).catch((err: unknown) => err);
    expect(failure).toMatchObject({ type: 'PromotionNotCancelledError', nonRetryable: true });
    expect((failure as Error).message).toContain('still RAMPING_DOWN');
  });
});

describe('verifyProduction', () => {
  const verifyNew = {
    modelId: 'm1',
    environment: 'production',
    deploymentId: 'new',
    smokeTarget: { kind: 'production' },
    timeoutMs: 5_000,
  } as const;

  it('wakes a promoted deployment that scaled to zero instead of calling it broken', async () => {
    const { fake, verify } = setup();
    fake.productionId = 'new';
    fake.script('new', 'SCALED_TO_ZERO', 'WAKING_UP', 'ACTIVE');
    expect(await verify(verifyNew)).toMatchObject({ verified: true, productionDeploymentId: 'new' });
    expect(fake.calls.filter((c) => c.startsWith('wake'))).toEqual(['wake new']);
  });

  it('heartbeats every read while the environment has no deployment at all, and decides at its deadline', async () => {
    const { verify, heartbeats } = setup();
    const result = await verify({ ...verifyNew, timeoutMs: 1_000 });
    expect(result).toMatchObject({ verified: false });
    expect(result.reason).toBe('production serves no deployment, not new ACTIVE, after 1 s');
    expect(heartbeats.length).toBeGreaterThan(3);
  });

  it('resumes the smoke count of an earlier attempt instead of starting over', async () => {
    // The attempt before sent two smoke predictions (its last heartbeat says so).
    const { fake, verify } = setup({ heartbeatDetails: { startedAt: 1_000_000, smokeAttempts: 2 } });
    fake.productionId = 'new';
    fake.script('new', 'ACTIVE');
    let predictions = 0;
    fake.api.predict = async () => {
      predictions += 1;
      return { status: 500, body: { error: 'boom' }, latencyMs: 2 };
    };
    const smoke = { caseName: 'positive', input: { text: 'hi' }, expectStatus: 200 };
    expect(await verify({ ...verifyNew, smoke })).toMatchObject({ verified: false });
    expect(predictions).toBe(1);
  });
});
