/**
 * One load run in a process of its own, so that neither load generator shares an event loop with the emulator
 * (nor with the other generator): `node --import tsx bench/load-child.ts` with the run in BENCH_LOAD_RUN (JSON) and
 * the API key in BENCH_LOAD_API_KEY; prints the numbers as one JSON line on stdout.
 */
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { z } from 'zod';
import { BasetenClient } from '../src/baseten/client';
import { inferencePrefix, type InferenceTarget } from '../src/baseten/inference-target';
import { latencyStats } from '../src/validation/percentiles';
import type { RunnerDeps } from '../src/validation/runner-deps';
import { sampleLatency } from '../src/validation/sampling';
import { rate } from './load';

export const loadRunSchema = z.object({
  tool: z.enum(['ours', 'autocannon']),
  managementUrl: z.string(),
  /** With `{model_id}` in it, as Baseten's inference URL template. */
  inferenceUrl: z.string(),
  modelId: z.string(),
  deploymentId: z.string(),
  input: z.unknown(),
  requests: z.number().int().positive(),
  /** Sent first, at the same concurrency, and not counted: see warmupRequests in load-generator.ts. */
  warmupRequests: z.number().int().nonnegative(),
  concurrency: z.number().int().positive(),
  timeoutMs: z.number().int().positive(),
});
export type LoadRun = z.infer<typeof loadRunSchema>;

export const loadNumbersSchema = z.object({
  requestsPerSecond: z.number(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
});
export type LoadNumbers = z.infer<typeof loadNumbersSchema>;

/** The validation step's sampler (what src/validation/run.ts runs for `latency:`) with the real Baseten client. */
async function runOurs(run: LoadRun, apiKey: string): Promise<LoadNumbers> {
  const baseten = new BasetenClient({
    apiKey,
    managementUrl: run.managementUrl,
    inferenceUrl: run.inferenceUrl,
    maxRetries: 0,
  });
  const deps: RunnerDeps = {
    inference: baseten,
    now: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const target: InferenceTarget = { kind: 'deployment', deploymentId: run.deploymentId };
  const plan = (samples: number) => ({ samples, concurrency: run.concurrency, timeout: run.timeoutMs });
  if (run.warmupRequests > 0) await sampleLatency(deps, run.modelId, target, [run.input], plan(run.warmupRequests));
  const started = performance.now();
  const stats = await sampleLatency(deps, run.modelId, target, [run.input], plan(run.requests));
  if (stats.errors > 0) throw new Error(`the validation sampler saw ${stats.errors} failed predictions`);
  const requestsPerSecond = rate(run.requests, performance.now() - started);
  return { requestsPerSecond, p50: stats.p50Ms ?? 0, p95: stats.p95Ms ?? 0, p99: stats.p99Ms ?? 0 };
}

/** autocannon's requests/s over its own duration, and percentiles of the response times it measured. */
async function runAutocannon(run: LoadRun, apiKey: string): Promise<LoadNumbers> {
  if (run.warmupRequests > 0) await autocannonOnce(run, apiKey, run.warmupRequests);
  const { done, times } = await autocannonOnce(run, apiKey, run.requests);
  // Its percentiles from its own per-response times, by the same nearest rank as ours: its summary's come from a
  // histogram of whole milliseconds (36.9 ms reads 36) and has no p95.
  const stats = latencyStats(times.map((latencyMs) => ({ ok: true, latencyMs })));
  return {
    requestsPerSecond: done.requests.total / done.duration,
    p50: stats.p50Ms ?? 0,
    p95: stats.p95Ms ?? 0,
    p99: stats.p99Ms ?? 0,
  };
}

/** One autocannon run of `amount` requests, with each response's time. */
async function autocannonOnce(
  run: LoadRun,
  apiKey: string,
  amount: number,
): Promise<{ done: autocannon.Result; times: number[] }> {
  const target: InferenceTarget = { kind: 'deployment', deploymentId: run.deploymentId };
  const url = `${run.inferenceUrl.replaceAll('{model_id}', run.modelId)}${inferencePrefix(target)}/predict`;
  const times: number[] = [];
  const done = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { authorization: `Api-Key ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(run.input),
        connections: run.concurrency,
        amount,
        timeout: run.timeoutMs / 1000,
        // It stops, and ends its duration, at its next sample tick: at the default 1 s tick a 4 s run of 1,000
        // requests always read 249.4 requests/s, whatever the endpoint did.
        sampleInt: 10,
      },
      (err: unknown, finished: autocannon.Result) =>
        err ? reject(err instanceof Error ? err : new Error('autocannon failed')) : resolve(finished),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });
  if (done.non2xx > 0 || done.errors > 0)
    throw new Error(`autocannon saw ${done.non2xx} non-2xx answers and ${done.errors} errors`);
  return { done, times };
}

async function main(): Promise<void> {
  const run = loadRunSchema.parse(JSON.parse(process.env.BENCH_LOAD_RUN ?? 'null'));
  const apiKey = process.env.BENCH_LOAD_API_KEY ?? '';
  const numbers = run.tool === 'ours' ? await runOurs(run, apiKey) : await runAutocannon(run, apiKey);
  process.stdout.write(`${JSON.stringify(numbers)}\n`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
