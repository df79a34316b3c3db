import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannonPackage from 'autocannon/package.json';
import type { EmulatorControl } from '../src/emulator/control-client';
import type { Emulator } from '../src/emulator/server';
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

const childScript = path.join(__dirname, 'load-child.ts');
/** Only guards against a hang: a run is seconds. */
const childTimeoutMs = 180_000;

/**
 * The validation step's load generator (sampleLatency, what src/validation/run.ts runs for `latency:`) next to
 * autocannon against the same endpoint, with the same request count and concurrency: requests per second and
 * latency percentiles must agree within 10 %.
 */
export async function benchLoadGenerator(
  emulator: Emulator,
  control: EmulatorControl,
  model: DeployedModel,
  requests: number,
): Promise<BenchmarkResult> {
  const result: BenchmarkResult = {
    title: 'Validation load generator vs autocannon (same endpoint, same load)',
    setup: `${requests} predicts at concurrency ${concurrency} against one text-transform deployment with ${addedLatencyMs} ms added per prediction; each generator in a process of its own (not the emulator's); ours: sampleLatency with the real Baseten client; autocannon ${autocannonPackage.version} (its own requests/s and p50/p99; its p95 from its per-response times, nearest rank); each run twice, alternating, the second counted`,
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
      concurrency,
      timeoutMs: requestTimeoutMs,
    };
    let ours: LoadNumbers | undefined;
    let theirs: LoadNumbers | undefined;
    for (let round = 0; round < 2; round++) {
      ours = await runInChild({ ...run, tool: 'ours' }, emulator.apiKey);
      theirs = await runInChild({ ...run, tool: 'autocannon' }, emulator.apiKey);
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
