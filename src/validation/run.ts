import type { InferenceTarget } from '../baseten/inference-target';
import { judgeComparison, judgeLatency } from './budgets';
import type { ValidationReport } from './report';
import { runCases } from './run-cases';
import type { RunnerDeps } from './runner-deps';
import { sampleLatency } from './sampling';
import { candidateServesProduction } from './serves-itself';
import type { ValidationSpec } from './schema';
import { warmUp } from './warmup';

/** What to validate: the candidate, and the current production to compare with when there is one. */
export interface ValidationRun {
  modelId: string;
  candidate: InferenceTarget;
  production?: InferenceTarget;
  spec: ValidationSpec;
}

/**
 * Validates a candidate: warm-up, each case once, latency sampling against the budget, and optionally the
 * same sampling against production, at the same time. A model that answers wrongly or slowly gives
 * `passed: false` with reasons; only a candidate that cannot serve or never answers during warm-up throws.
 */
export async function runValidation(run: ValidationRun, deps: RunnerDeps): Promise<ValidationReport> {
  const { spec, modelId, candidate } = run;
  const started = deps.now();
  const inputs = spec.cases.map((c) => c.input);
  const warmup = await warmUp(deps, {
    modelId,
    target: candidate,
    inputs,
    warmup: spec.warmup,
    requestTimeoutMs: spec.cases[0]?.timeout ?? spec.warmup.timeout,
  });

  const cases = await runCases(deps, modelId, candidate, spec.cases);
  const reasons = cases.flatMap((c) => c.failures.map((f) => `case "${c.name}": ${f}`));
  const report: ValidationReport = { passed: false, reasons, warmup, cases, durationMs: 0 };

  if (spec.latency) {
    const budget = spec.latency;
    const compare = spec.compareWithProduction;
    const servesItself =
      compare && run.production
        ? await candidateServesProduction(deps.inference, modelId, candidate, run.production)
        : false;
    // Candidate and production are sampled side by side, in the same window: sampled one after the other, a
    // change in load between the two windows (a busy machine, a noisy neighbour) reads as a latency ratio.
    const sampled = compare && !servesItself ? run.production : undefined;
    const total = budget.samples * (sampled ? 2 : 1);
    let done = 0;
    const tick = () => deps.progress?.({ phase: 'latency', done: ++done, total });
    const [stats, productionStats] = await Promise.all([
      sampleLatency(deps, modelId, candidate, inputs, budget, tick),
      sampled && sampleLatency(deps, modelId, sampled, inputs, budget, tick),
    ]);
    const latency = judgeLatency(stats, budget);
    report.latency = latency.report;
    reasons.push(...latency.reasons);

    if (compare) {
      const comparison = judgeComparison(stats, servesItself ? 'candidate' : productionStats, compare);
      report.comparison = comparison.report;
      reasons.push(...comparison.reasons);
    }
  }

  report.passed = reasons.length === 0;
  report.durationMs = deps.now() - started;
  return report;
}
