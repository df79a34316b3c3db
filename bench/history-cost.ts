import type { Client, WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
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

function minus(a: Cost, b: Cost): Cost {
  return { events: a.events - b.events, actions: a.actions - b.actions, sliceTimers: a.sliceTimers - b.sliceTimers };
}

/** What a watch cost: once, to start it, and over the watched hours that followed. */
interface Watched {
  start: Cost;
  steady: Cost;
  hours: number;
}

/**
 * Counts are taken this far into the watch and the same past the whole hours, off every beat of both watchers (10 s
 * looks, 30-minute slices): taken on one, a count raced the events due at that instant (the 0.5-hour figure swung
 * between 24 and 30 events/h).
 */
const offBeatMs = 5_000;

/** A watch to measure: its worker, and how to start it on that worker's task queue. */
interface Watcher {
  worker: Worker;
  start: () => Promise<WorkflowHandleWithFirstExecutionRunId>;
}

/**
 * Starts a watch on a test server of its own, counts its history once it is under way and again after `hours` of
 * simulated time, and throws the server away. The difference is what watching costs per hour, apart from the start,
 * which a watcher pays once in its life and which would dominate a short window. One server per watch: after a
 * watch was ended (terminated, with or without its worker still running) the test server went on skipping time at
 * wall-clock pace for minutes, which stalled the next watch on that server by 2 to 5 minutes in about a third of
 * runs.
 */
async function watchOnOwnServer(
  hours: number,
  watcher: (env: TestWorkflowEnvironment) => Promise<Watcher>,
): Promise<Watched> {
  const env = await startTimeSkipping();
  try {
    const { worker, start } = await watcher(env);
    return await worker.runUntil(async () => {
      const handle = await start();
      const count = async () => costOf(await allRuns(env.client, handle.workflowId, handle.firstExecutionRunId));
      await env.sleep(offBeatMs);
      const started = await count();
      await env.sleep(hours * 3_600_000);
      return { start: started, steady: minus(await count(), started), hours };
    });
  } finally {
    await env.teardown();
  }
}

function watchOurs(hours: number): Promise<Watched> {
  return watchOnOwnServer(hours, async (env) => {
    const fleet = new FakeFleet();
    fleet.production = 'new';
    const { worker, taskQueue } = await fakeActivityWorker(env, fleet.activities);
    const start = () =>
      env.client.workflow.start<typeof watchProduction>('watchProduction', {
        taskQueue,
        workflowId: `bench-history-ours-${hours}h`,
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
    return { worker, start };
  });
}

function watchNaive(hours: number): Promise<Watched> {
  return watchOnOwnServer(hours, async (env) => {
    const taskQueue = `bench-history-naive-${hours}h`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(require.resolve('./naive-watcher/workflows')),
      activities: healthyProduction,
    });
    const start = () =>
      env.client.workflow.start<typeof naiveWatch>('naiveWatch', {
        taskQueue,
        workflowId: `bench-history-naive-${hours}h`,
        args: [
          {
            modelId: 'm1',
            deploymentId: 'new',
            previousDeploymentId: 'old',
            intervalMs: defaultWatchSettings.intervalMs,
          },
        ],
      });
    return { worker, start };
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
    setup: `${hours} simulated hours each, every watch on a time-skipping test server of its own, with fake activities; ours also over ${longHours} h (it continues as new daily); actions = events Temporal Cloud bills (workflow starts incl. continue-as-new, activities, timers, signals, search-attribute upserts, markers), heartbeats not included (they are not in the history: see the scale benchmark)`,
    metrics: [],
    notes: [],
  };
  try {
    // Each watch has a server of its own and simulated time, so they run side by side without skewing a count.
    const [naive, ours, oursLong] = await Promise.all([watchNaive(hours), watchOurs(hours), watchOurs(longHours)]);
    const perHour = (n: number, w: Watched) => n / w.hours;
    // With real activities a slice ends by itself at its end; the instantly-answering fake makes the watcher wait
    // out the rest of the slice on a timer instead. Those timers are counted, and also taken out.
    const real = (c: Cost) => ({
      events: c.events - c.sliceTimers * eventsPerTimer,
      actions: c.actions - c.sliceTimers,
    });
    const metrics: Metric[] = [
      { name: 'ours events', unit: 'events/h', value: perHour(ours.steady.events, ours) },
      {
        name: 'ours events without the fakes’ slice timers',
        unit: 'events/h',
        value: perHour(real(ours.steady).events, ours),
      },
      {
        name: 'ours events over the long run',
        unit: 'events/h',
        value: perHour(real(oursLong.steady).events, oursLong),
      },
      { name: 'ours events to start watching', unit: 'count', value: ours.start.events },
      { name: 'naive events', unit: 'events/h', value: perHour(naive.steady.events, naive) },
      { name: 'naive ÷ ours events', unit: 'ratio', value: ratio(naive.steady.events, real(ours.steady).events) ?? 0 },
      { name: 'ours actions', unit: 'actions/h', value: perHour(ours.steady.actions, ours) },
      {
        name: 'ours actions without the fakes’ slice timers',
        unit: 'actions/h',
        value: perHour(real(ours.steady).actions, ours),
      },
      { name: 'naive actions', unit: 'actions/h', value: perHour(naive.steady.actions, naive) },
      {
        name: 'naive ÷ ours actions',
        unit: 'ratio',
        value: ratio(naive.steady.actions, real(ours.steady).actions) ?? 0,
      },
    ];
    result.metrics.push(...metrics);
    const goal = perHour(real(ours.steady).events, ours);
    result.notes?.push(
      `target ≤ 20 events per watched model-hour at 10 s: ${goal <= 20 ? 'met' : 'MISSED'} (${goal.toFixed(1)} without the test-only timers, ${perHour(ours.steady.events, ours).toFixed(1)} with them; starting a watch costs ${ours.start.events} events once)`,
    );
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return result;
}
