import type { InferenceTarget } from '../baseten/inference-target';
import { latencyStats, type Sample } from './percentiles';
import type { RunnerDeps } from './runner-deps';
import type { LatencyStats } from './report';

export interface SamplingPlan {
  samples: number;
  concurrency: number;
  /** Per-request timeout. */
  timeout: number;
}

/**
 * Sends `samples` predicts over `concurrency` parallel workers, cycling through the inputs, and measures
 * them. Non-2xx answers and requests without an answer count as errors. `onSample` runs after each one.
 */
export async function sampleLatency(
  deps: RunnerDeps,
  modelId: string,
  target: InferenceTarget,
  inputs: readonly unknown[],
  plan: SamplingPlan,
  onSample?: () => void,
): Promise<LatencyStats> {
  const results: Sample[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < plan.samples) {
      const input = inputs[next % inputs.length];
      next += 1;
      results.push(await timedRequest(deps, modelId, target, input, plan.timeout));
      onSample?.();
    }
  };
  const workers = Math.min(plan.concurrency, plan.samples);
  await Promise.all(Array.from({ length: workers }, worker));
  return latencyStats(results);
}

async function timedRequest(
  deps: RunnerDeps,
  modelId: string,
  target: InferenceTarget,
  input: unknown,
  timeoutMs: number,
): Promise<Sample> {
  try {
    const res = await deps.inference.predict(modelId, target, input, { timeoutMs, signal: deps.signal });
    return res.status >= 200 && res.status < 300 ? { ok: true, latencyMs: res.latencyMs } : { ok: false };
  } catch {
    // A cancelled run stops here; any other missing answer is a failed sample.
    deps.signal?.throwIfAborted();
    return { ok: false };
  }
}
