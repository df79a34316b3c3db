import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Metric, BenchmarkResult } from '../results';
import { p50p95, ratio } from '../stats';
import type { BenchStack, EmulatorParts } from '../stack';
import { Lane } from './lane';
import { runIncident, type Fault, type IncidentOutcome, type IncidentSpec, type PreviousState } from './incident';

const intervals = [10_000, 2_000] as const;
const previousStates: PreviousState[] = ['warm', 'scaled-to-zero', 'inactive'];
const faults: Fault[] = ['unhealthy', 'failed', 'error-rate'];
const probeEveryMs = 100;

export interface DetectRestoreOptions {
  /** Incidents per interval × previous-deployment state × guard. */
  perCell: number;
  /** Models the incidents run on in parallel (each with its own client traffic). */
  lanes: number;
}

/**
 * Detect-to-restore as a client of production sees it: the emulator turns production bad (UNHEALTHY, FAILED, or 30 %
 * of its real traffic answered 500), and the time until the previous deployment answers that client again. Our
 * watcher against the polling script Baseten's CI/CD guide suggests, at the same interval, in the same run, with the
 * previous deployment warm, scaled to zero, or inactive; and the seconds of traffic no deployment served.
 */
export async function benchDetectRestore(
  stack: BenchStack,
  parts: EmulatorParts,
  options: DetectRestoreOptions,
): Promise<BenchmarkResult> {
  const result: BenchmarkResult = {
    title: 'Detect-to-restore (fault injected → the previous deployment answers the client again)',
    setup: `${options.perCell} incidents per interval × previous state × guard (faults ${faults.join(', ')} in turn), ${options.lanes} models in parallel, a client predicting every ${probeEveryMs} ms; ours: watchProduction (defaults, unhealthyAfter 2) on a fleet worker with production poll spacing; baseline: the CI/CD guide's status poller (bench/naive-poller.ts); production's metrics hold a full window (60 s) of good traffic at each fault (the time before it served is filled in); emulator phases 50 ms, real Python model processes`,
    metrics: [],
    notes: [],
  };
  try {
    const temporal = await stack.sharedTemporal();
    const watchTaskQueue = 'bench-watch';
    await stack.startFleetWorker(parts, temporal, watchTaskQueue);
    const dir = path.join(stack.workDir, 'detect-restore');
    await mkdir(dir, { recursive: true });

    const specs: IncidentSpec[] = [];
    // Each cell takes the faults in turn, starting from a different one, so a short run still sees each fault and
    // no previous state is tied to one fault (a turn counted across the three states gave each state one fault).
    // The inactive cells start with the error rate, which the baseline cannot see anyway: so the baseline's figures
    // exist for the other cells (and keys match) even in a --quick run of one incident per cell.
    for (const intervalMs of intervals) {
      for (let i = 0; i < options.perCell; i++) {
        for (const [stateIndex, previous] of previousStates.entries()) {
          const fault = faults[(i + stateIndex) % faults.length] as Fault;
          for (const guard of ['ours', 'naive'] as const) specs.push({ guard, intervalMs, previous, fault });
        }
      }
    }
    const lanes = await Promise.all(
      Array.from({ length: options.lanes }, async (_, i) => {
        const lane = new Lane(parts, `lane${i}`, dir);
        await lane.open(probeEveryMs);
        return lane;
      }),
    );
    const outcomes: IncidentOutcome[] = [];
    let next = 0;
    const failures: string[] = [];
    try {
      await Promise.all(
        lanes.map(async (lane) => {
          while (next < specs.length) {
            const spec = specs[next++] as IncidentSpec;
            try {
              const outcome = await runIncident({ parts, client: temporal.client, watchTaskQueue }, lane, spec);
              outcomes.push(outcome);
            } catch (err) {
              failures.push(`${describe(spec)}: ${err instanceof Error ? err.message : String(err)}`);
              await lane.reset().catch(() => undefined);
            }
          }
        }),
      );
    } finally {
      for (const lane of lanes) lane.close();
    }
    result.metrics.push(...cellMetrics(outcomes));
    result.notes?.push(...targetNotes(outcomes));
    if (failures.length > 0)
      result.error = `${failures.length} incidents could not run: ${failures.slice(0, 3).join('; ')}`;
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return result;
}

function describe(spec: IncidentSpec): string {
  return `${spec.guard} ${spec.intervalMs / 1000}s ${spec.previous} ${spec.fault}`;
}

function cellName(intervalMs: number, previous: PreviousState): string {
  return `${intervalMs / 1000} s interval, previous ${previous}`;
}

function cellMetrics(outcomes: IncidentOutcome[]): Metric[] {
  const metrics: Metric[] = [];
  const s = (ms: number) => ms / 1000;
  for (const intervalMs of intervals) {
    for (const previous of previousStates) {
      const cell = outcomes.filter((o) => o.spec.intervalMs === intervalMs && o.spec.previous === previous);
      const of = (guard: 'ours' | 'naive') => cell.filter((o) => o.spec.guard === guard);
      const times = (guard: 'ours' | 'naive') =>
        p50p95(of(guard).flatMap((o) => (o.restoreMs === undefined ? [] : [s(o.restoreMs)])));
      const ours = times('ours');
      const naive = times('naive');
      const name = cellName(intervalMs, previous);
      const push = (label: string, unit: Metric['unit'], value: number | undefined) => {
        if (value !== undefined) metrics.push({ name: `${name}: ${label}`, unit, value });
      };
      push('ours p50', 's', ours?.p50);
      push('ours p95', 's', ours?.p95);
      push('baseline p50', 's', naive?.p50);
      push('baseline p95', 's', naive?.p95);
      const part = (pick: (o: IncidentOutcome) => number | undefined) =>
        p50p95(of('ours').flatMap((o) => (pick(o) === undefined ? [] : [s(pick(o) as number)])));
      push('ours fault → decision p50', 's', part((o) => o.detectMs)?.p50);
      push('ours fault → promote sent p50', 's', part((o) => o.promoteMs)?.p50);
      push('ours p95 ÷ interval', 'ratio', ratio(ours?.p95, s(intervalMs)));
      push('ours p95 ÷ baseline p95', 'ratio', ratio(ours?.p95, naive?.p95));
      push('ours not restored', 'count', of('ours').filter((o) => o.restoreMs === undefined).length);
      push('baseline not restored', 'count', of('naive').filter((o) => o.restoreMs === undefined).length);
      push('ours unserved max', 's', Math.max(0, ...of('ours').map((o) => o.unservedS)));
      push('baseline unserved max', 's', Math.max(0, ...of('naive').map((o) => o.unservedS)));
    }
  }
  return metrics;
}

/** The target (warm: p95 ≤ interval + 3 s; nothing unserved) and what missed it, in words. */
function targetNotes(outcomes: IncidentOutcome[]): string[] {
  const notes: string[] = [];
  for (const intervalMs of intervals) {
    const warm = outcomes.filter(
      (o) => o.spec.guard === 'ours' && o.spec.intervalMs === intervalMs && o.spec.previous === 'warm',
    );
    const p95 = p50p95(warm.flatMap((o) => (o.restoreMs === undefined ? [] : [o.restoreMs / 1000])))?.p95;
    const limit = intervalMs / 1000 + 3;
    if (p95 !== undefined)
      notes.push(
        `target warm p95 ≤ interval + 3 s = ${limit} s at ${intervalMs / 1000} s: ${p95 <= limit ? 'met' : 'MISSED'} (${p95.toFixed(1)} s)`,
      );
    const byFault = faults.map((fault) => {
      const times = warm
        .filter((o) => o.spec.fault === fault)
        .flatMap((o) => (o.restoreMs === undefined ? [] : [o.restoreMs / 1000]));
      return `${fault} p95 ${p50p95(times)?.p95.toFixed(1) ?? '-'} s`;
    });
    notes.push(`ours, warm, ${intervalMs / 1000} s, by fault: ${byFault.join(', ')}`);
  }
  const unserved = outcomes.filter((o) => o.spec.guard === 'ours' && o.unservedS > 0).length;
  notes.push(`ours: ${unserved} incidents with unserved predictions after the switch (goal 0)`);
  const naiveMissed = outcomes.filter(
    (o) => o.spec.guard === 'naive' && o.spec.fault === 'error-rate' && o.restoreMs === undefined,
  ).length;
  const naiveErrorRate = outcomes.filter((o) => o.spec.guard === 'naive' && o.spec.fault === 'error-rate').length;
  notes.push(
    `baseline restored ${naiveErrorRate - naiveMissed} of ${naiveErrorRate} error-rate incidents (it reads the status only)`,
  );
  return notes;
}
