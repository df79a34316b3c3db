import type { ComparisonReport, LatencyReport, LatencyStats } from './report';
import type { LatencyBudget, ValidationSpec } from './schema';

/** Judges measured latency against the budget; returns the report and one reason per broken limit. */
export function judgeLatency(stats: LatencyStats, budget: LatencyBudget): { report: LatencyReport; reasons: string[] } {
  const reasons: string[] = [];
  if (stats.errorRate > budget.maxErrorRate) {
    reasons.push(
      `latency: error rate ${percent(stats.errorRate)} over budget ${percent(budget.maxErrorRate)} (${stats.errors} of ${stats.samples} samples failed)`,
    );
  }
  for (const [name, limit, measured] of [
    ['p50', budget.p50, stats.p50Ms],
    ['p95', budget.p95, stats.p95Ms],
  ] as const) {
    if (limit === undefined) continue;
    if (measured === undefined) reasons.push(`latency: no successful sample to measure ${name} against ${limit}ms`);
    else if (measured > limit) reasons.push(`latency: ${name} ${measured}ms over budget ${limit}ms`);
  }
  const report: LatencyReport = {
    ...stats,
    concurrency: budget.concurrency,
    budget: { p50Ms: budget.p50, p95Ms: budget.p95, maxErrorRate: budget.maxErrorRate },
    passed: reasons.length === 0,
  };
  return { report, reasons };
}

/** Compares candidate and production latency at the chosen percentile; `'candidate'`: production is the candidate. */
export function judgeComparison(
  candidate: LatencyStats,
  production: LatencyStats | 'candidate' | undefined,
  compare: NonNullable<ValidationSpec['compareWithProduction']>,
): { report: ComparisonReport; reasons: string[] } {
  const base = { percentile: compare.percentile, maxLatencyRatio: compare.maxLatencyRatio };
  if (!production) {
    return { report: { ...base, passed: true, skipped: 'no production deployment to compare with' }, reasons: [] };
  }
  if (production === 'candidate') {
    const skipped = 'the candidate already serves production (a first deployment takes it by itself)';
    return { report: { ...base, passed: true, skipped }, reasons: [] };
  }
  const key = compare.percentile === 'p50' ? 'p50Ms' : 'p95Ms';
  const ours = candidate[key];
  const theirs = production[key];
  if (theirs === undefined || theirs <= 0) {
    return {
      report: { ...base, production, passed: true, skipped: 'production gave no successful sample' },
      reasons: [],
    };
  }
  if (ours === undefined) {
    const reason = `comparison: candidate gave no successful sample to compare with production ${compare.percentile} ${theirs}ms`;
    return { report: { ...base, production, passed: false }, reasons: [reason] };
  }
  const ratio = Math.round((ours / theirs) * 100) / 100;
  const passed = ratio <= compare.maxLatencyRatio;
  const reasons = passed
    ? []
    : [
        `comparison: candidate ${compare.percentile} is ${ratio}× production (${ours}ms vs ${theirs}ms), over ${compare.maxLatencyRatio}×`,
      ];
  return { report: { ...base, production, ratio, passed }, reasons };
}

function percent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}
