import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import {
  pauseUpdate,
  resumeUpdate,
  rollbackSignal,
  rollbackUpdate,
  stateQuery,
  supersedeSignal,
} from '../../../src/workflows/messages';
import type { watchProduction } from '../../../src/workflows/watch';
import { defaultWatchSettings } from '../../../src/workflows/watch-rules';
import type { WatchInput, WatchState } from '../../../src/workflows/watch-types';
import { recordHistory } from '../release/histories';
import { uniqueId } from '../../support/temporal';
import { fakeActivityWorker, startTimeSkipping, stopTimeSkipping } from '../../support/time-skipping';
import { waitFor } from '../../support/wait-for';
import { basetenFailure, FakeFleet, unhealthy } from './fake-fleet';

// The production watcher on the time-skipping server, its activities typed fakes: each test scripts what the
// observation slices report, and days of watching pass in simulated time.

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(() => stopTimeSkipping(env));

type WatchHandle = WorkflowHandleWithFirstExecutionRunId<typeof watchProduction>;

function watchInput(overrides: Partial<WatchInput> = {}): WatchInput {
  return {
    modelId: 'm1',
    modelName: 'tt',
    environment: 'production',
    deploymentId: 'new',
    fallbackDeploymentId: 'old',
    settings: defaultWatchSettings,
    verifyCheck: { caseName: 'smoke', input: { text: 'hi' }, expectStatus: 200 },
    ...overrides,
  };
}

/** Runs a watcher over `fleet` while `body` drives it; the watcher is superseded at the end if still running. */
async function withWatcher(
  fleet: FakeFleet,
  body: (handle: WatchHandle, worker: Worker) => Promise<void>,
  overrides: Partial<WatchInput> = {},
): Promise<WatchHandle> {
  fleet.production = overrides.deploymentId ?? 'new';
  const { worker, taskQueue } = await fakeActivityWorker(env, fleet.activities);
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof watchProduction>('watchProduction', {
      args: [watchInput(overrides)],
      taskQueue,
      workflowId: uniqueId('watch'),
    });
    await body(handle, worker);
    if ((await handle.describe()).status.name === 'RUNNING') {
      // parked() returns at once for a watcher that ended meanwhile; there is nothing to supersede then.
      await parked(handle);
      if ((await handle.describe()).status.name === 'RUNNING') {
        await handle.signal(supersedeSignal, { by: 'release-next' });
      }
    }
    await handle.result();
    return handle;
  });
}

/**
 * Waits until the watcher sits between two observation slices (its last command a timer). The time-skipping test
 * server, unlike Temporal's, refuses to cancel an activity that completed while the workflow task was running
 * (temporalio/sdk-typescript#1058), which is what a message arriving just then makes the watcher do; messages in
 * these tests are sent once it is parked.
 */
async function parked(handle: WatchHandle): Promise<void> {
  let seen = '';
  await waitFor(
    () => `the watcher to park between two observation slices (history: ${seen})`,
    async () => {
      const events = (await handle.fetchHistory()).events ?? [];
      seen = events
        .map((e) =>
          Object.keys(e)
            .find((k) => k.endsWith('Attributes'))
            ?.replace('EventAttributes', ''),
        )
        .join(' ');
      const last = (predicate: (e: (typeof events)[number]) => unknown): number => {
        for (let i = events.length - 1; i >= 0; i--) if (predicate(events[i] as (typeof events)[number])) return i;
        return -1;
      };
      const timer = last((e) => e.timerStartedEventAttributes);
      if (events.at(-1)?.workflowExecutionCompletedEventAttributes) return true;
      return (
        timer > last((e) => e.activityTaskScheduledEventAttributes) &&
        timer > last((e) => e.timerFiredEventAttributes || e.timerCanceledEventAttributes)
      );
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}

async function stateWhen(handle: WatchHandle, what: string, check: (s: WatchState) => boolean): Promise<WatchState> {
  return waitFor(
    what,
    async () => {
      const state = await handle.query(stateQuery);
      return check(state) && state;
    },
    { timeoutMs: 30_000 },
  );
}

describe('the production watcher', () => {
  it('reverts automatically when production turns bad, onto the previous deployment, and keeps watching it', async () => {
    const fleet = new FakeFleet();
    fleet.observations.push(unhealthy(Date.now()));
    const handle = await withWatcher(fleet, async (h) => {
      const state = await stateWhen(h, 'the revert', (s) => s.incidents[0]?.outcome === 'reverted');
      expect(state).toMatchObject({ stage: 'reverted', watchedDeploymentId: 'old' });
      expect(state.incidents[0]).toMatchObject({
        kind: 'automatic',
        from: 'new',
        to: 'old',
        reason: 'status UNHEALTHY',
      });
      expect(state.incidents[0]?.evidence).toHaveLength(2);
    });
    expect(fleet.production).toBe('old');
    expect(fleet.calls).toEqual(
      expect.arrayContaining(['cancelPendingPromotion', 'prepareForTraffic old', 'promoteCandidate old']),
    );
    // It went on watching the restored deployment.
    expect(fleet.calls).toContain('observeProduction old automatic');
    await recordHistory(handle, 'watch-reverted');
  });

  it('does not revert while paused, reports what it sees, and reverts on resume if production is still bad', async () => {
    const fleet = new FakeFleet();
    const handle = await withWatcher(fleet, async (h) => {
      await parked(h);
      const paused = await h.executeUpdate(pauseUpdate, { args: [{ reason: 'load test', by: 'ana' }] });
      expect(paused).toMatchObject({ stage: 'paused', mode: 'paused', pausedReason: 'load test' });
      fleet.observations.push(unhealthy(Date.now()));
      await env.sleep('31 minutes');
      const suppressed = await stateWhen(h, 'the suppressed incident', (s) => s.incidents.length === 1);
      expect(suppressed.incidents[0]?.outcome).toBe('suppressed-while-paused');
      expect(fleet.callsOf('prepareForTraffic')).toEqual([]);

      fleet.observations.push(unhealthy(Date.now()));
      await parked(h);
      const resumed = await h.executeUpdate(resumeUpdate, { args: [{ by: 'ana' }] });
      expect(resumed.mode).toBe('automatic');
      await stateWhen(h, 'the revert after resume', (s) => s.incidents.some((i) => i.outcome === 'reverted'));
    });
    expect(fleet.production).toBe('old');
    await recordHistory(handle, 'watch-pause-resume');
  });

  it('rolls back to a named deployment when asked, and answers with the state after the revert', async () => {
    const fleet = new FakeFleet();
    await withWatcher(fleet, async (h) => {
      await parked(h);
      const state = await h.executeUpdate(rollbackUpdate, { args: [{ reason: 'bad answers', to: 'older', by: 'bo' }] });
      expect(state).toMatchObject({ watchedDeploymentId: 'older', stage: 'reverted' });
      expect(state.incidents[0]).toMatchObject({ kind: 'manual', requestedBy: 'bo', to: 'older', outcome: 'reverted' });
    });
    expect(fleet.production).toBe('older');
  });

  it('refuses a rollback it cannot carry out, in one line, and changes nothing', async () => {
    const fleet = new FakeFleet();
    await withWatcher(
      fleet,
      async (h) => {
        await parked(h);
        const refused = await h
          .executeUpdate(rollbackUpdate, { args: [{ reason: 'x' }] })
          .catch((err: unknown) => err as Error);
        expect((refused as { cause?: Error }).cause?.message).toBe(
          'there is no previous deployment to roll back to: name one with "to"',
        );
      },
      { fallbackDeploymentId: undefined },
    );
    expect(fleet.callsOf('promoteCandidate')).toEqual([]);
  });

  it('takes a plain rollback signal, and records an invalid one without crashing', async () => {
    const fleet = new FakeFleet();
    await withWatcher(fleet, async (h) => {
      await parked(h);
      await h.signal(rollbackSignal, { reson: 'typo' });
      const rejected = await stateWhen(h, 'the rejected signal', (s) => s.rejectedSignals.length === 1);
      expect(rejected.rejectedSignals[0]?.problem).toBe('unknown field "reson"');
      expect(rejected.stage).toBe('watching');

      await parked(h);
      await h.signal(rollbackSignal, { reason: 'from the UI' });
      const state = await stateWhen(h, 'the revert', (s) => s.incidents[0]?.outcome === 'reverted');
      expect(state.incidents[0]).toMatchObject({ kind: 'manual', reason: 'from the UI', to: 'old' });
    });
    expect(fleet.production).toBe('old');
  });

  it('ends without reverting when production is changed outside baseten-cd', async () => {
    const fleet = new FakeFleet();
    fleet.observations.push({ reason: 'production-changed', servingDeploymentId: 'someone-elses' });
    const handle = await withWatcher(fleet, async () => undefined);
    expect(await handle.result()).toMatchObject({
      stage: 'superseded',
      endedBecause: 'production-changed',
      by: 'someone-elses',
    });
    expect(fleet.callsOf('promoteCandidate')).toEqual([]);
  });

  it('says loudly when there is nothing to revert to, and goes back to watching once production recovers', async () => {
    const fleet = new FakeFleet();
    fleet.observations.push(unhealthy(Date.now()));
    await withWatcher(
      fleet,
      async (h) => {
        const failed = await stateWhen(h, 'revert-failed', (s) => s.stage === 'revert-failed');
        expect(failed.failure).toBe('there is no previous deployment to revert to (roll back to one by name)');
        expect(fleet.calls).toContain('notify revert-failed');
        // From now on it only reports: production heals by itself.
        fleet.observations.push({ reason: 'recovered', consecutiveBad: 0, badRunReported: false });
        await parked(h);
        await env.sleep('31 minutes');
        const healed = await stateWhen(h, 'back to watching', (s) => s.stage === 'watching');
        expect(healed.failure).toBeUndefined();
      },
      { fallbackDeploymentId: undefined },
    );
    expect(fleet.callsOf('promoteCandidate')).toEqual([]);
    expect(fleet.calls).toContain('observeProduction new paused');
  });

  it('retries a failing revert until its deadline, then says so loudly', async () => {
    const fleet = new FakeFleet();
    fleet.activities.prepareForTraffic = async () => {
      throw basetenFailure('DeploymentFailedError', 'deployment old is DEPLOY_FAILED', true);
    };
    fleet.observations.push(unhealthy(Date.now()));
    await withWatcher(fleet, async (h) => {
      await env.sleep('20 minutes');
      const state = await stateWhen(h, 'the failed revert', (s) => s.stage === 'revert-failed');
      expect(state.failure).toBe('the revert to old failed: deployment old is DEPLOY_FAILED');
      expect(state.incidents[0]?.outcome).toBe('revert-failed');
    });
    expect(fleet.callsOf('cancelPendingPromotion').length).toBeGreaterThan(2);
    expect(fleet.production).toBe('new');
  });
});

describe('a week of watching', () => {
  it('continues as new to keep every run small, and still reverts a fault on day 7', async () => {
    const fleet = new FakeFleet();
    const handle = await withWatcher(fleet, async (h) => {
      await env.sleep('7 days');
      fleet.observations.push(unhealthy(Date.now()));
      await env.sleep('1 hour');
      await stateWhen(h, 'the day-7 revert', (s) => s.incidents[0]?.outcome === 'reverted');
    });
    // 7 days of 30-minute observation slices, handed over to a new run once a day.
    expect(fleet.slices).toBeGreaterThanOrEqual(7 * 48);
    const runs = await runHistories(handle);
    expect(runs.length).toBeGreaterThanOrEqual(7);
    for (const length of runs) expect(length).toBeLessThan(800);
    // The first run: it ends by continuing as new.
    await recordHistory(
      env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId),
      'watch-continued-as-new',
    );
  }, 120_000);
});

/** The history length of every run of the watcher, following continue-as-new from the first run. */
async function runHistories(handle: WatchHandle): Promise<number[]> {
  const lengths: number[] = [];
  let runId: string | undefined = handle.firstExecutionRunId;
  while (runId) {
    const history: History = await env.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    lengths.push(events.length);
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return lengths;
}
