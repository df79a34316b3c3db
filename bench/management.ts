import { request } from 'undici';
import type { Emulator } from '../src/emulator/server';
import type { DeployedModel } from './deployment';
import { loadMetrics, runLoad } from './load';
import type { BenchmarkResult } from './results';

const requests = 2000;
const concurrency = 8;
const requestTimeoutMs = 30_000;

/** How many GET deployment requests per second the emulator's management API serves at concurrency 8. */
export async function benchManagement(emulator: Emulator, model: DeployedModel): Promise<BenchmarkResult> {
  const result: BenchmarkResult = {
    title: 'Emulator management API (GET /v1/models/{id}/deployments/{id})',
    setup: `${requests} requests at concurrency ${concurrency}, bare undici, rate limit raised (Baseten's is 100/s per endpoint)`,
    metrics: [],
  };
  try {
    const url = `${emulator.managementUrl}/v1/models/${model.modelId}/deployments/${model.deploymentId}`;
    const get = async (): Promise<boolean> => {
      const response = await request(url, {
        headers: { authorization: `Api-Key ${emulator.apiKey}` },
        headersTimeout: requestTimeoutMs,
        bodyTimeout: requestTimeoutMs,
      });
      await response.body.text();
      return response.statusCode === 200;
    };
    await runLoad(100, concurrency, get); // connection set-up, JIT
    const run = await runLoad(requests, concurrency, get);
    result.metrics.push(...loadMetrics([{ label: `c=${concurrency}`, result: run }]));
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return result;
}
