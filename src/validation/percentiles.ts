import type { LatencyStats } from './report';

/** One timed request: `ok` means a 2xx answer. */
export type Sample = { ok: true; latencyMs: number } | { ok: false };

/** Nearest-rank percentile (always a value that was observed) of an ascending, non-empty list. */
export function percentile(sortedAsc: readonly number[], p: number): number {
  if (sortedAsc.length === 0) throw new Error('percentile of no values');
  const rank = Math.ceil((p / 100) * sortedAsc.length);
  return sortedAsc[Math.min(sortedAsc.length, Math.max(1, rank)) - 1] as number;
}

/** Percentiles over successful samples; failed samples only count towards the error rate. */
export function latencyStats(samples: readonly Sample[]): LatencyStats {
  const ok = samples.flatMap((s) => (s.ok ? [s.latencyMs] : [])).sort((a, b) => a - b);
  const errors = samples.length - ok.length;
  const stats: LatencyStats = {
    samples: samples.length,
    errors,
    errorRate: samples.length === 0 ? 0 : errors / samples.length,
  };
  if (ok.length === 0) return stats;
  return {
    ...stats,
    p50Ms: round(percentile(ok, 50)),
    p95Ms: round(percentile(ok, 95)),
    p99Ms: round(percentile(ok, 99)),
    maxMs: round(ok[ok.length - 1] as number),
    meanMs: round(ok.reduce((sum, v) => sum + v, 0) / ok.length),
  };
}

/** Tenths of a millisecond are as precise as a network measurement gets. */
function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
