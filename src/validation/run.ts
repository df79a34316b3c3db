import type { InferenceTarget } from '../baseten/inference-target';
import { judgeComparison, judgeLatency } from './budgets';
import type { LatencyStats, ValidationReport } from './report';
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
 * same sampling against production. A model that answers wrongly or slowly gives `passed: false` with
 * reasons; only a candidate that cannot serve or never answers during warm-up throws.
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
    const stats = await sampleLatency(deps, modelId, candidate, inputs, spec.latency, 'latency');
    const latency = judgeLatency(stats, spec.latency);
    report.latency = latency.report;
    reasons.push(...latency.reasons);

    if (spec.compareWithProduction) {
      let production: LatencyStats | 'candidate' | undefined;
      if (run.production && (await candidateServesProduction(deps.inference, modelId, candidate, run.production))) {
        production = 'candidate';
      } else if (run.production) {
        production = await sampleLatency(deps, modelId, run.production, inputs, spec.latency, 'production');
      }
      const comparison = judgeComparison(stats, production, spec.compareWithProduction);
      report.comparison = comparison.report;
      reasons.push(...comparison.reasons);
    }
  }

  report.passed = reasons.length === 0;
  report.durationMs = deps.now() - started;
  return report;
}
