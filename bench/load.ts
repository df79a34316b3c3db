import { performance } from 'node:perf_hooks';
import { latencyStats, percentile, type Sample } from '../src/validation/percentiles';
import type { LatencyStats } from '../src/validation/report';
import type { Metric } from './results';

/** What a bounded load run measured: per-request latency stats and the rate over the whole run. */
export interface LoadResult {
  stats: LatencyStats;
  requestsPerSecond: number;
}

/**
 * Calls `once` `count` times from `concurrency` parallel loops and times each call. `once` resolves true for
 * a good answer and false for a bad one; a throw counts as a bad answer too.
 */
export async function runLoad(
  count: number,
  concurrency: number,
  once: (i: number) => Promise<boolean>,
): Promise<LoadResult> {
  const samples: Sample[] = [];
  let next = 0;
  const loop = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const started = performance.now();
      const ok = await once(i).catch(() => false);
      samples.push(ok ? { ok: true, latencyMs: performance.now() - started } : { ok: false });
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, loop));
  return { stats: latencyStats(samples), requestsPerSecond: rate(count, performance.now() - started) };
}

export function rate(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (count * 1000) / elapsedMs : 0;
}

/**
 * Rate, p50, p95 and errors of labelled load runs, measure by measure, so that runs compared with each other
 * (the validation runner and a bare loop) sit on adjacent rows.
 */
export function loadMetrics(runs: ReadonlyArray<{ label: string; result: LoadResult }>): Metric[] {
  const each = (pick: (label: string, result: LoadResult) => Metric | undefined): Metric[] =>
    runs.flatMap(({ label, result }) => pick(label, result) ?? []);
  // Without a single good answer there are no percentiles; the error count says why.
  return [
    ...each((label, r) => ({ name: `${label} requests/s`, unit: 'req/s', value: r.requestsPerSecond })),
    ...each((label, r) =>
      r.stats.p50Ms === undefined ? undefined : { name: `${label} p50`, unit: 'ms', value: r.stats.p50Ms },
    ),
    ...each((label, r) =>
      r.stats.p95Ms === undefined ? undefined : { name: `${label} p95`, unit: 'ms', value: r.stats.p95Ms },
    ),
    ...each((label, r) => ({ name: `${label} errors`, unit: 'count', value: r.stats.errors })),
  ];
}

/** Median and max of a few repeated measurements, as two metrics. */
export function medianAndMax(name: string, values: readonly number[]): Metric[] {
  if (values.length === 0) return [];
  const sorted = [...values].sort((a, b) => a - b);
  return [
    { name: `${name} median`, unit: 'ms', value: percentile(sorted, 50) },
    { name: `${name} max`, unit: 'ms', value: sorted[sorted.length - 1] as number },
  ];
}
