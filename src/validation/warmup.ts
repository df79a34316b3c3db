import type { InferenceTarget } from '../baseten/inference-target';
import { CandidateUnavailableError, WarmupTimeoutError } from './errors';
import type { WarmupReport } from './report';
import type { RunnerDeps } from './runner-deps';
import type { ValidationSpec } from './schema';
import { show } from './value-checks';

/** Statuses a deployment leaves through `wake` (or a request). */
const ASLEEP = new Set(['SCALED_TO_ZERO', 'WAKING_UP']);
/** Statuses from which no request will ever be answered. */
const CANNOT_SERVE = new Set(['BUILD_FAILED', 'BUILD_STOPPED', 'DEPLOY_FAILED', 'FAILED', 'DEACTIVATING', 'INACTIVE']);
/**
 * Answers that mean "not up yet" during a cold start (gateway timeouts, throttling, unavailable).
 * Any other status means the model itself answered, even with an error: that is for the cases to judge.
 */
const NOT_YET = new Set([408, 425, 429, 502, 503, 504]);

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 10_000;

export interface WarmupPlan {
  modelId: string;
  target: InferenceTarget;
  inputs: readonly unknown[];
  warmup: ValidationSpec['warmup'];
  /** Timeout of the warm-up requests after the first answer. */
  requestTimeoutMs: number;
}

/**
 * Wakes a scaled-to-zero candidate, then sends `requests` predicts. The first one is retried until the
 * candidate answers within `timeout`, which absorbs the cold start; the rest only warm it further.
 * Throws when the candidate cannot serve or never answers: that is an infrastructure problem, not a verdict.
 */
export async function warmUp(deps: RunnerDeps, plan: WarmupPlan): Promise<WarmupReport> {
  const { modelId, target, inputs, warmup } = plan;
  const started = deps.now();
  const report: WarmupReport = { woke: false, attempts: 0, durationMs: 0 };
  if (target.kind === 'deployment') {
    const { status } = await deps.inference.getDeployment(modelId, target.deploymentId);
    report.initialStatus = status;
    if (CANNOT_SERVE.has(status)) {
      throw new CandidateUnavailableError(`deployment ${target.deploymentId} is ${status}; it cannot serve requests`);
    }
    if (ASLEEP.has(status)) {
      await deps.inference.wake(modelId, target);
      report.woke = true;
    }
  }
  const total = warmup.requests;
  if (total > 0) {
    const deadline = started + warmup.timeout;
    let retryMs = FIRST_RETRY_MS;
    for (;;) {
      const remaining = deadline - deps.now();
      if (remaining <= 0) {
        throw new WarmupTimeoutError(
          `candidate did not answer within ${warmup.timeout}ms of warm-up (${report.attempts} attempts; last: ${report.lastProblem ?? 'none'})`,
        );
      }
      report.attempts += 1;
      // One request may take the whole remaining budget: a cold start can hold it that long.
      const problem = await warmRequest(deps, plan, inputs[0], remaining);
      if (problem === undefined) break;
      report.lastProblem = problem;
      deps.progress?.({ phase: 'warmup', done: 0, total });
      await deps.sleep(Math.min(retryMs, Math.max(0, deadline - deps.now())));
      retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
    }
    report.firstAnswerMs = deps.now() - started;
    deps.progress?.({ phase: 'warmup', done: 1, total });
    for (let done = 1; done < total; done += 1) {
      report.attempts += 1;
      await warmRequest(deps, plan, inputs[done % inputs.length], plan.requestTimeoutMs);
      deps.progress?.({ phase: 'warmup', done: done + 1, total });
    }
  }
  report.durationMs = deps.now() - started;
  return report;
}

/** One warm-up predict; returns why it does not count as an answer, or undefined when it does. */
async function warmRequest(
  deps: RunnerDeps,
  plan: WarmupPlan,
  input: unknown,
  timeoutMs: number,
): Promise<string | undefined> {
  try {
    const res = await deps.inference.predict(plan.modelId, plan.target, input, { timeoutMs, signal: deps.signal });
    return NOT_YET.has(res.status) ? `status ${res.status} ${show(res.body, 80)}` : undefined;
  } catch (err) {
    deps.signal?.throwIfAborted();
    return `no answer (${err instanceof Error ? err.message : String(err)})`;
  }
}
