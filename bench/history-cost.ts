import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { defaultWatchSettings } from '../src/workflows/watch-rules';
import type { watchProduction } from '../src/workflows/watch';
import { FakeFleet } from '../test/integration/workflows/fake-fleet';
import { fakeActivityWorker, startTimeSkipping } from '../test/support/time-skipping';
import { workflowBundle } from '../test/support/temporal';
import { healthyProduction } from './naive-watcher/activities';
import type { naiveWatch } from './naive-watcher/workflows';
import type { BenchmarkResult, Metric } from './results';
import { ratio } from './stats';

type HistoryEvent = NonNullable<History['events']>[number];

/** Events that Temporal Cloud bills as actions (heartbeats are actions too, but are not in the history). */
function isAction(event: HistoryEvent): boolean {
  return Boolean(
    event.workflowExecutionStartedEventAttributes ||
    event.activityTaskScheduledEventAttributes ||
    event.timerStartedEventAttributes ||
    event.workflowExecutionSignaledEventAttributes ||
    event.upsertWorkflowSearchAttributesEventAttributes ||
    event.markerRecordedEventAttributes ||
    event.workflowExecutionUpdateAcceptedEventAttributes ||
    event.startChildWorkflowExecutionInitiatedEventAttributes,
  );
}

/** The events of every run of a workflow, following continue-as-new from its first run. */
async function allRuns(client: Client, workflowId: string, firstRunId: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  for (let runId: string | undefined = firstRunId; runId;) {
    const history: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const run = history.events ?? [];
    events.push(...run);
    runId = run.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return events;
}

interface Cost {
  events: number;
  actions: number;
  /** The fakes' extra timers: one per observation slice (see observeSlice in src/workflows/watch-steps.ts). */
  sliceTimers: number;
}

function costOf(events: HistoryEvent[]): Cost {
  return {
    events: events.length,
    actions: events.filter(isAction).length,
    sliceTimers: events.filter((e) => e.timerStartedEventAttributes).length,
  };
}

async function watchOurs(env: TestWorkflowEnvironment, hours: number): Promise<Cost> {
  const fleet = new FakeFleet();
  fleet.production = 'new';
  const { worker, taskQueue } = await fakeActivityWorker(env, fleet.activities);
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof watchProduction>('watchProduction', {
      taskQueue,
      workflowId: `bench-history-ours-${hours}h-${Date.now()}`,
      args: [
        {
          modelId: 'm1',
          modelName: 'bench',
          environment: 'production',
          deploymentId: 'new',
          fallbackDeploymentId: 'old',
          settings: defaultWatchSettings,
        },
      ],
    });
    await env.sleep(hours * 3_600_000);
    const cost = costOf(await allRuns(env.client, handle.workflowId, handle.firstExecutionRunId));
    await handle.terminate('bench: watched long enough');
    return cost;
  });
}

async function watchNaive(env: TestWorkflowEnvironment, hours: number): Promise<Cost> {
  const taskQueue = `bench-history-naive-${Date.now()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(require.resolve('./naive-watcher/workflows')),
    activities: healthyProduction,
  });
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start<typeof naiveWatch>('naiveWatch', {
      taskQueue,
      workflowId: `bench-history-naive-${hours}h-${Date.now()}`,
      args: [
        {
          modelId: 'm1',
          deploymentId: 'new',
          previousDeploymentId: 'old',
          intervalMs: defaultWatchSettings.intervalMs,
        },
      ],
    });
    await env.sleep(hours * 3_600_000);
    const cost = costOf(await allRuns(env.client, handle.workflowId, handle.firstExecutionRunId));
    await handle.terminate('bench: watched long enough');
    return cost;
  });
}

/** A timer in history is TimerStarted, TimerFired and the workflow task that follows (scheduled, started, completed). */
const eventsPerTimer = 5;

/**
 * History events and Temporal actions per watched model-hour at the default 10 s interval: our watcher (one
 * heart-beating activity per 30-minute slice) against a naive watcher (one activity per look, bench/naive-watcher),
 * over the same simulated time on the time-skipping test server, both with instantly-answering fake activities.
 */
export async function benchHistoryCost(hours: number, longHours: number): Promise<BenchmarkResult> {
  const result: BenchmarkResult = {
    title: 'History cost of watching (per watched model-hour, 10 s interval)',
    setup: `${hours} simulated hours each on the time-skipping test server with fake activities; ours also over ${longHours} h (it continues as new daily); actions = events Temporal Cloud bills (workflow starts incl. continue-as-new, activities, timers, signals, search-attribute upserts, markers), heartbeats not included (they are not in the history: see the scale benchmark)`,
    metrics: [],
    notes: [],
  };
  let env: TestWorkflowEnvironment | undefined;
  try {
    env = await startTimeSkipping();
    const naive = await watchNaive(env, hours);
    const ours = await watchOurs(env, hours);
    const oursLong = await watchOurs(env, longHours);
    const perHour = (n: number, h: number) => n / h;
    // With real activities a slice ends by itself at its end; the instantly-answering fake makes the watcher wait
    // out the rest of the slice on a timer instead. Those timers are counted, and also taken out.
    const real = (c: Cost) => ({
      events: c.events - c.sliceTimers * eventsPerTimer,
      actions: c.actions - c.sliceTimers,
    });
    const metrics: Metric[] = [
      { name: 'ours events', unit: 'events/h', value: perHour(ours.events, hours) },
      {
        name: 'ours events without the fakes’ slice timers',
        unit: 'events/h',
        value: perHour(real(ours).events, hours),
      },
      { name: 'ours events over the long run', unit: 'events/h', value: perHour(real(oursLong).events, longHours) },
      { name: 'naive events', unit: 'events/h', value: perHour(naive.events, hours) },
      { name: 'naive ÷ ours events', unit: 'ratio', value: ratio(naive.events, real(ours).events) ?? 0 },
      { name: 'ours actions', unit: 'actions/h', value: perHour(ours.actions, hours) },
      {
        name: 'ours actions without the fakes’ slice timers',
        unit: 'actions/h',
        value: perHour(real(ours).actions, hours),
      },
      { name: 'naive actions', unit: 'actions/h', value: perHour(naive.actions, hours) },
      { name: 'naive ÷ ours actions', unit: 'ratio', value: ratio(naive.actions, real(ours).actions) ?? 0 },
    ];
    result.metrics.push(...metrics);
    const goal = perHour(real(ours).events, hours);
    result.notes?.push(
      `target ≤ 20 events per watched model-hour at 10 s: ${goal <= 20 ? 'met' : 'MISSED'} (${goal.toFixed(1)} without the test-only timers, ${perHour(ours.events, hours).toFixed(1)} with them)`,
    );
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  } finally {
    await env?.teardown();
  }
  return result;
}
