import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import autocannonPackage from 'autocannon/package.json';
import type { BasetenClient } from '../src/baseten/client';
import { inferencePrefix, type InferenceTarget } from '../src/baseten/inference-target';
import type { EmulatorControl } from '../src/emulator/control-client';
import type { Emulator } from '../src/emulator/server';
import { latencyStats } from '../src/validation/percentiles';
import type { LatencyStats } from '../src/validation/report';
import type { RunnerDeps } from '../src/validation/runner-deps';
import { sampleLatency } from '../src/validation/sampling';
import type { DeployedModel } from './deployment';
import { rate } from './load';
import type { BenchmarkResult, Metric } from './results';
import { ratio } from './stats';

const concurrency = 8;
/** Added to every prediction, so latencies are tens of milliseconds: autocannon's histogram counts whole ms. */
const addedLatencyMs = 25;
const input = { text: 'load generator' };
const requestTimeoutMs = 30_000;
/** Ours must agree with autocannon within this share. */
const tolerance = 0.1;

interface LoadNumbers {
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * The validation step's load generator (sampleLatency, what src/validation/run.ts runs for `latency:`) next to
 * autocannon against the same endpoint, with the same request count and concurrency: requests per second and
 * latency percentiles must agree within 10 %.
 */
export async function benchLoadGenerator(
  emulator: Emulator,
  control: EmulatorControl,
  baseten: BasetenClient,
  model: DeployedModel,
  requests: number,
): Promise<BenchmarkResult> {
  const result: BenchmarkResult = {
    title: 'Validation load generator vs autocannon (same endpoint, same load)',
    setup: `${requests} predicts at concurrency ${concurrency} against one text-transform deployment with ${addedLatencyMs} ms added per prediction; ours: sampleLatency with the real Baseten client; autocannon ${autocannonPackage.version} (its own requests/s and p50/p99; its p95 from its per-response times, nearest rank); each run twice, alternating, the second counted`,
    metrics: [],
    notes: [],
  };
  try {
    await control.setPredictionFaults(model.deploymentId, { latencyMs: addedLatencyMs });
    const target: InferenceTarget = { kind: 'deployment', deploymentId: model.deploymentId };
    const url = `${emulator.inferenceUrl.replaceAll('{model_id}', model.modelId)}${inferencePrefix(target)}/predict`;
    let ours: LoadNumbers | undefined;
    let theirs: LoadNumbers | undefined;
    for (let round = 0; round < 2; round++) {
      ours = await runOurs(baseten, model.modelId, target, requests);
      theirs = await runAutocannon(url, emulator.apiKey, requests);
    }
    if (!ours || !theirs) throw new Error('no run finished');
    const rows: Array<[string, keyof LoadNumbers, Metric['unit']]> = [
      ['requests/s', 'requestsPerSecond', 'req/s'],
      ['p50', 'p50', 'ms'],
      ['p95', 'p95', 'ms'],
      ['p99', 'p99', 'ms'],
    ];
    for (const [name, key, unit] of rows) {
      const r = ratio(ours[key], theirs[key]) ?? 0;
      result.metrics.push(
        { name: `ours ${name}`, unit, value: ours[key] },
        { name: `autocannon ${name}`, unit, value: theirs[key] },
        { name: `ours ÷ autocannon ${name}`, unit: 'ratio', value: r },
      );
      result.notes?.push(
        `${name}: ${Math.abs(r - 1) <= tolerance ? 'agrees' : 'DISAGREES'} within 10 % (${r.toFixed(3)})`,
      );
    }
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  } finally {
    await control.clearDeploymentFaults(model.deploymentId).catch(() => undefined);
  }
  return result;
}

async function runOurs(
  baseten: BasetenClient,
  modelId: string,
  target: InferenceTarget,
  requests: number,
): Promise<LoadNumbers> {
  const deps: RunnerDeps = {
    inference: baseten,
    now: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const started = performance.now();
  const stats = await sampleLatency(
    deps,
    modelId,
    target,
    [input],
    { samples: requests, concurrency, timeout: requestTimeoutMs },
    'latency',
  );
  return numbers(stats, rate(requests, performance.now() - started));
}

async function runAutocannon(url: string, apiKey: string, requests: number): Promise<LoadNumbers> {
  const times: number[] = [];
  const done = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { authorization: `Api-Key ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
        connections: concurrency,
        amount: requests,
        timeout: requestTimeoutMs / 1000,
      },
      (err: unknown, finished: autocannon.Result) =>
        err ? reject(err instanceof Error ? err : new Error('autocannon failed')) : resolve(finished),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  if (done.non2xx > 0 || done.errors > 0)
    throw new Error(`autocannon saw ${done.non2xx} non-2xx answers and ${done.errors} errors`);
  const p95 = latencyStats(times.map((latencyMs) => ({ ok: true, latencyMs }))).p95Ms ?? 0;
  return { requestsPerSecond: done.requests.total / done.duration, p50: done.latency.p50, p95, p99: done.latency.p99 };
}

function numbers(stats: LatencyStats, requestsPerSecond: number): LoadNumbers {
  if (stats.errors > 0) throw new Error(`the validation sampler saw ${stats.errors} failed predictions`);
  return { requestsPerSecond, p50: stats.p50Ms ?? 0, p95: stats.p95Ms ?? 0, p99: stats.p99Ms ?? 0 };
}
