import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannonPackage from 'autocannon/package.json';
import type { EmulatorControl } from '../src/emulator/control-client';
import type { Emulator } from '../src/emulator/server';
import { percentile } from '../src/validation/percentiles';
import type { DeployedModel } from './deployment';
import { loadNumbersSchema, type LoadNumbers, type LoadRun } from './load-child';
import type { BenchmarkResult, Metric } from './results';
import { ratio } from './stats';

const concurrency = 8;
/** Added to every prediction, so latencies are tens of milliseconds: autocannon's histogram counts whole ms. */
const addedLatencyMs = 25;
const input = { text: 'load generator' };
const requestTimeoutMs = 30_000;
/** Ours must agree with autocannon within this share. */
const tolerance = 0.1;
/**
 * Each generator's process first sends this many requests, uncounted, at the same concurrency: a fresh process's
 * first requests are slow while its HTTP client warms up, which a worker's validation does in its warm-up. Without
 * it, the first 16 of our 1,000 answers were 45 to 80 ms against a 30 ms median, and were our p99.
 */
const warmupRequests = 100;

const childScript = path.join(__dirname, 'load-child.ts');
/** Only guards against a hang: a run is seconds. */
const childTimeoutMs = 180_000;

export interface LoadPlan {
  /** Counted requests per round and tool. */
  requests: number;
  /** Alternating rounds; each figure is its tool's median over them, so one slow moment of the machine counts once. */
  rounds: number;
}

/**
 * The validation step's load generator (sampleLatency, what src/validation/run.ts runs for `latency:`) next to
 * autocannon against the same endpoint, with the same request count and concurrency: requests per second and
 * latency percentiles must agree within 10 %.
 */
export async function benchLoadGenerator(
  emulator: Emulator,
  control: EmulatorControl,
  model: DeployedModel,
  plan: LoadPlan,
): Promise<BenchmarkResult> {
  const { requests, rounds } = plan;
  // With more than one round, a first round of each, uncounted, warms the emulator and the model process: ours,
  // always first, was 5 % slower in it in every one of six runs.
  const firstCounted = rounds > 1 ? 1 : 0;
  const result: BenchmarkResult = {
    title: 'Validation load generator vs autocannon (same endpoint, same load)',
    setup: `${requests} predicts at concurrency ${concurrency} against one text-transform deployment with ${addedLatencyMs} ms added per prediction, after ${warmupRequests} uncounted ones from the same process; each generator in a process of its own (not the emulator's); ours: sampleLatency with the real Baseten client; autocannon ${autocannonPackage.version} (its own requests/s, at a 10 ms sample tick; its percentiles from the response times it measured, nearest rank as ours); ${firstCounted ? 'a first round of each uncounted, then ' : ''}${rounds} round(s), alternating, each figure the median of its tool's rounds`,
    metrics: [],
    notes: [],
  };
  try {
    await control.setPredictionFaults(model.deploymentId, { latencyMs: addedLatencyMs });
    const run: Omit<LoadRun, 'tool'> = {
      managementUrl: emulator.managementUrl,
      inferenceUrl: emulator.inferenceUrl,
      modelId: model.modelId,
      deploymentId: model.deploymentId,
      input,
      requests,
      warmupRequests,
      concurrency,
      timeoutMs: requestTimeoutMs,
    };
    const oursRounds: LoadNumbers[] = [];
    const theirRounds: LoadNumbers[] = [];
    for (let round = 0; round < firstCounted + rounds; round++) {
      const ours = await runInChild({ ...run, tool: 'ours' }, emulator.apiKey);
      const theirs = await runInChild({ ...run, tool: 'autocannon' }, emulator.apiKey);
      if (round < firstCounted) continue;
      oursRounds.push(ours);
      theirRounds.push(theirs);
    }
    const each = (runs: LoadNumbers[], key: keyof LoadNumbers) => runs.map((r) => r[key].toFixed(1)).join('/');
    result.notes?.push(
      `rounds, requests/s: ours ${each(oursRounds, 'requestsPerSecond')}, autocannon ${each(theirRounds, 'requestsPerSecond')}; p99 ms: ours ${each(oursRounds, 'p99')}, autocannon ${each(theirRounds, 'p99')}`,
    );
    const ours = medianOf(oursRounds);
    const theirs = medianOf(theirRounds);
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

/** Runs one load generator in its own process (bench/load-child.ts) and reads its numbers. */
async function runInChild(run: LoadRun, apiKey: string): Promise<LoadNumbers> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    env: { ...process.env, BENCH_LOAD_RUN: JSON.stringify(run), BENCH_LOAD_API_KEY: apiKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), childTimeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve)).finally(() =>
    clearTimeout(timer),
  );
  if (code !== 0) throw new Error(`${run.tool} (exit ${code}): ${stderr.trim().split('\n').at(-1) ?? ''}`);
  return loadNumbersSchema.parse(JSON.parse(stdout.trim()));
}

/** Each figure's median over the rounds. */
function medianOf(runs: readonly LoadNumbers[]): LoadNumbers {
  const median = (key: keyof LoadNumbers) =>
    percentile(
      runs.map((r) => r[key]).sort((a, b) => a - b),
      50,
    );
  return { requestsPerSecond: median('requestsPerSecond'), p50: median('p50'), p95: median('p95'), p99: median('p99') };
}
