import type { InferenceTarget } from '../baseten/inference-target';
import { checkResponse } from './check-case';
import type { CaseReport } from './report';
import type { RunnerDeps } from './runner-deps';
import type { ValidationCase } from './schema';
import { show } from './value-checks';

const EXCERPT_CHARS = 300;

/** Sends each case once and checks its answer; a wrong or missing answer is a failed case, not an error. */
export async function runCases(
  deps: RunnerDeps,
  modelId: string,
  target: InferenceTarget,
  cases: readonly ValidationCase[],
): Promise<CaseReport[]> {
  const reports: CaseReport[] = [];
  for (const kase of cases) {
    reports.push(await runCase(deps, modelId, target, kase));
    deps.progress?.({ phase: 'cases', done: reports.length, total: cases.length });
  }
  return reports;
}

async function runCase(
  deps: RunnerDeps,
  modelId: string,
  target: InferenceTarget,
  kase: ValidationCase,
): Promise<CaseReport> {
  let response: Awaited<ReturnType<RunnerDeps['inference']['predict']>>;
  try {
    response = await deps.inference.predict(modelId, target, kase.input, {
      timeoutMs: kase.timeout,
      signal: deps.signal,
    });
  } catch (err) {
    deps.signal?.throwIfAborted();
    const why = err instanceof Error ? err.message : String(err);
    return { name: kase.name, passed: false, failures: [`no answer: ${why}`] };
  }
  const failures = checkResponse(kase.expect, response);
  const report: CaseReport = {
    name: kase.name,
    passed: failures.length === 0,
    status: response.status,
    latencyMs: response.latencyMs,
    failures,
  };
  return failures.length === 0 ? report : { ...report, outputExcerpt: show(response.body, EXCERPT_CHARS) };
}
