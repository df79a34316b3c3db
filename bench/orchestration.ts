import type { History } from '@temporalio/common/lib/proto-utils';
import type { PlainRelease } from './plain-release';
import type { BenchmarkResult, Metric } from './results';
import type { TimedRelease } from './run-release';
import { eventMs } from './stage-times';
import { p50p95, ratio } from './stats';

type HistoryEvent = NonNullable<History['events']>[number];

/**
 * Activities that wait on Baseten (or on truss pushing to it): their run time is Baseten's, not ours. Everything
 * else in a release's wall time is orchestration: workflow tasks, dispatching activities to workers, starting the
 * watcher, and retiring the previous one (an activity, but it waits on Temporal).
 */
const waitsOnBaseten = new Set([
  'pushCandidate',
  'awaitDeploymentActive',
  'validateCandidate',
  'describeProduction',
  'prepareForTraffic',
  'cancelPendingPromotion',
  'promoteCandidate',
  'verifyProduction',
  'smokeTest',
  'deactivateDeployment',
]);

/** One release's wall time split into Baseten's part and ours. */
export interface ReleaseSplit {
  totalMs: number;
  basetenMs: number;
  overheadMs: number;
  /** Scheduled → started of every activity: Temporal handing the task to a worker. */
  dispatchMs: number;
  /** The retireWatcher activity's run time. */
  retireMs: number;
}

/** Splits a closed release's history by its activities' timings (intervals that overlap count once). */
export function splitRelease(history: History): ReleaseSplit {
  const events = history.events ?? [];
  const at = (e: HistoryEvent | undefined) => (e ? (eventMs(e) ?? 0) : 0);
  const byId = new Map(events.map((e) => [String(e.eventId), e]));
  const waits: Array<[number, number]> = [];
  let dispatchMs = 0;
  let retireMs = 0;
  for (const event of events) {
    const closed =
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes;
    if (!closed) continue;
    const scheduled = byId.get(String(closed.scheduledEventId));
    const started = byId.get(String(closed.startedEventId));
    const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '';
    if (!started) continue;
    dispatchMs += at(started) - at(scheduled);
    if (type === 'retireWatcher') retireMs += at(event) - at(started);
    if (waitsOnBaseten.has(type)) waits.push([at(started), at(event)]);
  }
  const totalMs = at(events.at(-1)) - at(events[0]);
  const basetenMs = unionMs(waits);
  return { totalMs, basetenMs, overheadMs: totalMs - basetenMs, dispatchMs, retireMs };
}

function unionMs(intervals: Array<[number, number]>): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of sorted) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}

/**
 * The orchestration overhead of the release benchmark's timed releases (their histories; no extra runs of ours),
 * next to the same number of releases done by the plain script (bench/plain-release.ts) in between ours. Ours:
 * the wall time the CI job saw minus the union of the Baseten-bound activities' run times. The plain script's:
 * its wall time minus its activity calls. Ratios: ours ÷ the plain script's wall time, and our overhead ÷ the
 * plain script's wall time (what Temporal adds on top of doing the same calls by hand).
 */
export function benchOrchestration(
  runs: readonly TimedRelease[],
  plain: readonly PlainRelease[],
  errors: { ours?: string; plain?: string } = {},
): BenchmarkResult {
  const splits = runs.map((run) => ({ ...splitRelease(run.history), wallMs: run.wallMs }));
  const result: BenchmarkResult = {
    title: 'Orchestration overhead of a release (wall time − time waiting on Baseten), vs a plain script',
    setup: `the release benchmark's ${runs.length} timed releases, each followed by one of the plain script's (the same activities called in sequence in one process, no Temporal, no watcher; its own model); Baseten's part = the union of the run times of the activities that call Baseten or truss (${[...waitsOnBaseten].join(', ')}), from the history`,
    metrics: [],
    notes: [],
  };
  const p50 = (values: number[]) => p50p95(values)?.p50;
  const add = (name: string, unit: Metric['unit'], value: number | undefined) => {
    if (value !== undefined) result.metrics.push({ name, unit, value });
  };
  const ours = {
    wall: p50(splits.map((s) => s.wallMs)),
    baseten: p50(splits.map((s) => s.basetenMs)),
    overhead: p50p95(splits.map((s) => s.wallMs - s.basetenMs)),
  };
  const theirs = {
    wall: p50(plain.map((r) => r.wallMs)),
    baseten: p50(plain.map((r) => r.basetenMs)),
    overhead: p50(plain.map((r) => r.wallMs - r.basetenMs)),
  };
  add('ours release wall time p50', 'ms', ours.wall);
  add('plain script release wall time p50', 'ms', theirs.wall);
  add('ours ÷ plain script wall time', 'ratio', ratio(ours.wall, theirs.wall));
  add('ours waiting on Baseten p50', 'ms', ours.baseten);
  add('plain script waiting on Baseten p50', 'ms', theirs.baseten);
  add('ours orchestration overhead p50', 'ms', ours.overhead?.p50);
  add('ours orchestration overhead p95', 'ms', ours.overhead?.p95);
  add('plain script overhead p50', 'ms', theirs.overhead);
  add('ours overhead ÷ plain script wall time', 'ratio', ratio(ours.overhead?.p50, theirs.wall));
  add('ours overhead by the server clock p50', 'ms', p50(splits.map((s) => s.overheadMs)));
  add('of which activity dispatch p50', 'ms', p50(splits.map((s) => s.dispatchMs)));
  add('of which retiring the previous watcher p50', 'ms', p50(splits.map((s) => s.retireMs)));
  const overhead = ours.overhead?.p50;
  if (overhead !== undefined)
    result.notes?.push(
      `target overhead < 1 s per release: ${overhead < 1000 ? 'met' : 'MISSED'} (p50 ${Math.round(overhead)} ms)`,
    );
  const problems = [
    errors.ours ? `ours: ${errors.ours}` : runs.length === 0 ? 'ours: no release finished' : undefined,
    errors.plain
      ? `plain script: ${errors.plain}`
      : plain.length === 0
        ? 'plain script: no release finished'
        : undefined,
  ].filter((problem) => problem !== undefined);
  if (problems.length > 0) result.error = problems.join('; ');
  return result;
}
