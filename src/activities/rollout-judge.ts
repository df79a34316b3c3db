import type { StepAnalysis, StepBudgets } from './rollout-types';
import type { SmokeOutcome } from './smoke';

/** What one traffic step's window showed, before it is judged (traffic absent when the metrics could not be read). */
export type StepFacts = Pick<
  StepAnalysis,
  'percent' | 'windowStartMs' | 'windowEndMs' | 'candidateStatus' | 'candidate' | 'previous'
> & { probe?: SmokeOutcome };

const pct = (share: number) => `${+(share * 100).toFixed(1)}%`;

/**
 * Judges a traffic step. It fails when the candidate is UNHEALTHY or FAILED, when its real traffic (at least
 * `minRequests` requests) has a 5xx share over the budget that the previous deployment did not show over the same
 * window, a p95 over the budget or over `maxLatencyRatio` times the previous deployment's, or when the probe sent
 * because traffic was thin failed. A 5xx share over `hardErrorRate` marks the step for a forced cancel.
 */
export function judgeStep(facts: StepFacts, budgets: StepBudgets): StepAnalysis {
  const reasons: string[] = [];
  const { candidate, previous } = facts;
  if (facts.candidateStatus === 'UNHEALTHY' || facts.candidateStatus === 'FAILED') {
    reasons.push(`candidate ${facts.candidateStatus}`);
  }
  const enough = candidate !== undefined && candidate.requests >= budgets.minRequests;
  const errorRate = enough ? candidate.errorRate : undefined;
  if (errorRate !== undefined && errorRate > budgets.maxErrorRate) {
    const previousRate = previous?.errorRate;
    if (previousRate === undefined || errorRate > previousRate) {
      reasons.push(
        `5xx share ${pct(errorRate)} of ${candidate?.requests} requests at ${facts.percent}% traffic, over ${pct(budgets.maxErrorRate)}` +
          (previousRate !== undefined ? ` (previous deployment: ${pct(previousRate)})` : ''),
      );
    }
  }
  const p95 = enough ? candidate.p95Ms : undefined;
  if (p95 !== undefined && budgets.maxP95Ms !== undefined && p95 > budgets.maxP95Ms) {
    reasons.push(`p95 ${Math.round(p95)} ms at ${facts.percent}% traffic, over ${budgets.maxP95Ms} ms`);
  }
  const previousP95 = previous && previous.requests >= budgets.minRequests ? previous.p95Ms : undefined;
  if (p95 !== undefined && previousP95 && budgets.maxLatencyRatio !== undefined) {
    const ratio = p95 / previousP95;
    if (ratio > budgets.maxLatencyRatio) {
      reasons.push(
        `p95 ${Math.round(p95)} ms is ${ratio.toFixed(2)} × the previous deployment's ${Math.round(previousP95)} ms, over ${budgets.maxLatencyRatio} ×`,
      );
    }
  }
  if (facts.probe && !facts.probe.ok) reasons.push(`probe failed: ${facts.probe.reason ?? 'no answer'}`);
  const served = (candidate?.requests ?? 0) + (previous?.requests ?? 0);
  return {
    percent: facts.percent,
    windowStartMs: facts.windowStartMs,
    windowEndMs: facts.windowEndMs,
    ...(facts.candidateStatus ? { candidateStatus: facts.candidateStatus } : {}),
    ...(candidate ? { candidate } : {}),
    ...(previous ? { previous } : {}),
    ...(served > 0 ? { share: (candidate?.requests ?? 0) / served } : {}),
    ...(facts.probe ? { probe: { ...facts.probe } } : {}),
    verdict: reasons.length > 0 ? 'failed' : 'passed',
    reasons,
    overHardLimit: errorRate !== undefined && errorRate > budgets.hardErrorRate,
  };
}
