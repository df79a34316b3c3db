import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import type { BasetenClient } from '../src/baseten/client';
import { inferencePrefix, type InferenceTarget } from '../src/baseten/inference-target';
import type { Emulator } from '../src/emulator/server';
import { projectRoot } from '../src/tools/paths';
import { loadValidationFile } from '../src/validation/load';
import type { RunnerDeps } from '../src/validation/runner-deps';
import { sampleLatency } from '../src/validation/sampling';
import type { DeployedModel } from './deployment';
import { loadMetrics, rate, runLoad, type LoadResult } from './load';
import type { BenchmarkResult } from './results';

const concurrencies = [1, 4, 8] as const;
const warmupRequests = 20;
const requestTimeoutMs = 30_000;
const validationFile = path.join(projectRoot, 'examples', 'validation', 'text-transform.yaml');

/**
 * The validation runner's latency sampling (sampleLatency with the real Baseten client) against an ACTIVE
 * text-transform deployment, next to the same requests sent by a bare undici loop: the difference is the
 * runner's own overhead.
 */
export async function benchValidation(
  emulator: Emulator,
  baseten: BasetenClient,
  model: DeployedModel,
  samples: number,
): Promise<BenchmarkResult> {
  const result: BenchmarkResult = {
    title: 'Validation throughput and overhead (runner vs bare undici loop)',
    setup: `${samples} predicts per run against one text-transform deployment (predict_concurrency 4), inputs from examples/validation/text-transform.yaml`,
    metrics: [],
  };
  try {
    const inputs = (await loadValidationFile(validationFile)).cases.map((c) => c.input);
    const target: InferenceTarget = { kind: 'deployment', deploymentId: model.deploymentId };
    const url = `${emulator.inferenceUrl.replaceAll('{model_id}', model.modelId)}${inferencePrefix(target)}/predict`;
    const bare = (i: number) => barePredict(url, emulator.apiKey, inputs[i % inputs.length]);
    const deps: RunnerDeps = {
      inference: baseten,
      now: () => performance.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    };
    // The first requests pay for connection set-up and the model process's first imports.
    await runLoad(warmupRequests, 4, bare);
    for (const concurrency of concurrencies) {
      const started = performance.now();
      const plan = { samples, concurrency, timeout: requestTimeoutMs };
      const stats = await sampleLatency(deps, model.modelId, target, inputs, plan);
      const runner: LoadResult = { stats, requestsPerSecond: rate(samples, performance.now() - started) };
      const loop = await runLoad(samples, concurrency, bare);
      result.metrics.push(
        ...loadMetrics([
          { label: `c=${concurrency} runner`, result: runner },
          { label: `c=${concurrency} bare undici`, result: loop },
        ]),
      );
    }
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return result;
}

async function barePredict(url: string, apiKey: string, input: unknown): Promise<boolean> {
  const response = await request(url, {
    method: 'POST',
    headers: { authorization: `Api-Key ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
    headersTimeout: requestTimeoutMs,
    bodyTimeout: requestTimeoutMs,
  });
  await response.body.text();
  return response.statusCode >= 200 && response.statusCode < 300;
}
