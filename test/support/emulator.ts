import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { BasetenClient, retryAfterMs } from '../../src/baseten';
import { EmulatorControl } from '../../src/emulator/control-client';
import { fastTimings, type EmulatorOptions, type RecordedResponse } from '../../src/emulator/options';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import type { DeploymentStatus } from '../../src/emulator/state/types';
import type { RequestLogEntry } from '../../src/emulator/control/request-log';
import type { DeploymentV1, ModelV1 } from '../../src/emulator/state/views';
import { testApiKey } from './secrets';
import { waitFor } from './wait-for';

/** The emulator's fast phases, and a tighter load limit so a hung model fails a test within a minute. */
const testTimings = { ...fastTimings, loadTimeoutMs: 60_000 };

/** Shared across test files and runs, so a Truss's requirements are installed once per machine. */
export const testCacheDir = path.join(os.tmpdir(), 'baseten-cd-test-envs');

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface TestEmulator {
  emulator: Emulator;
  control: EmulatorControl;
  /** The real Baseten client pointed at this emulator, with no retries (a test sees every answer). */
  client: BasetenClient;
  /** Every management API response so far (for the OpenAPI conformance checks). */
  responses: RecordedResponse[];
  /** A management/inference/control call with the emulator's key (pass `apiKey: null` for none); `signal` aborts it. */
  call(
    method: string,
    pathOrUrl: string,
    body?: unknown,
    options?: { apiKey?: string | null; raw?: string; signal?: AbortSignal },
  ): Promise<HttpResult>;
  getDeployment(modelId: string, deploymentId: string): Promise<DeploymentV1>;
  /** The model's production deployment id, as the management API reports it. */
  productionOf(modelId: string): Promise<string | null>;
  /** Every promote call the emulator has received for the model (to check a release promoted exactly once). */
  promoteCalls(modelId: string): Promise<RequestLogEntry[]>;
  /** Polls the management API until the deployment has `status`; fails early on a failure status it is not waiting for. */
  waitForStatus(
    modelId: string,
    deploymentId: string,
    status: DeploymentStatus,
    options?: { timeoutMs?: number },
  ): Promise<DeploymentV1>;
  close(): Promise<void>;
}

const failureStatuses: DeploymentStatus[] = ['BUILD_FAILED', 'DEPLOY_FAILED', 'FAILED', 'BUILD_STOPPED'];

/** One emulator per test file: fast timings, a temp state dir, quiet logs, an API key with the secret marker. */
export async function startTestEmulator(options: EmulatorOptions = {}): Promise<TestEmulator> {
  const responses: RecordedResponse[] = [];
  const stateDir = options.stateDir ?? mkdtempSync(path.join(os.tmpdir(), 'emulator-test-'));
  const emulator = await startEmulator({
    cacheDir: testCacheDir,
    logger: { info: () => undefined, warn: () => undefined, error: (m) => console.error(m) },
    ...options,
    apiKey: options.apiKey ?? testApiKey('emulator'),
    stateDir,
    timings: { ...testTimings, ...options.timings },
    onResponse: (r) => {
      responses.push(r);
      options.onResponse?.(r);
    },
  });
  const control = new EmulatorControl({ url: emulator.url, apiKey: emulator.apiKey });

  const call: TestEmulator['call'] = async (method, pathOrUrl, body, callOptions = {}) => {
    const apiKey = callOptions.apiKey === undefined ? emulator.apiKey : callOptions.apiKey;
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${emulator.url}${pathOrUrl}`;
    const response = await request(url, {
      method: method as 'GET',
      headers: {
        ...(apiKey ? { authorization: `Api-Key ${apiKey}` } : {}),
        ...(body !== undefined || callOptions.raw !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: callOptions.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
      headersTimeout: 120_000,
      bodyTimeout: 120_000,
      signal: callOptions.signal,
    });
    const text = await response.body.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.statusCode, headers: response.headers, body: parsed };
  };

  /**
   * A read the test makes to see state, not to test the limits: on a 429 it waits the `retry_after` Baseten asks
   * for and reads again, as a well-behaved client does (suites whose cases poll together share one key's limit).
   */
  const read = async (pathname: string): Promise<HttpResult> => {
    for (let attempt = 1; ; attempt++) {
      const result = await call('GET', pathname);
      if (result.status !== 429 || attempt >= 30) return result;
      // The emulator's 429 names its wait in the body, as Baseten's does.
      await new Promise((resolve) => setTimeout(resolve, retryAfterMs(result.body, {}) ?? 1000));
    }
  };

  const getDeployment = async (modelId: string, deploymentId: string) => {
    const result = await read(`/v1/models/${modelId}/deployments/${deploymentId}`);
    if (result.status !== 200)
      throw new Error(`GET deployment ${deploymentId}: HTTP ${result.status} ${JSON.stringify(result.body)}`);
    return result.body as DeploymentV1;
  };

  const productionOf = async (modelId: string) => {
    const result = await read(`/v1/models/${modelId}`);
    if (result.status !== 200)
      throw new Error(`GET model ${modelId}: HTTP ${result.status} ${JSON.stringify(result.body)}`);
    return (result.body as ModelV1).production_deployment_id;
  };

  const promoteCalls = async (modelId: string) =>
    (await control.requests({ method: 'POST', path: `/v1/models/${modelId}/` })).filter((r) =>
      r.path.endsWith('/promote'),
    );

  const waitForStatus: TestEmulator['waitForStatus'] = async (modelId, deploymentId, status, waitOptions = {}) => {
    const seen: string[] = [];
    return waitFor(
      () => `deployment ${deploymentId} to reach ${status} (saw ${seen.join(' → ')})`,
      async () => {
        const dep = await getDeployment(modelId, deploymentId);
        if (seen[seen.length - 1] !== dep.status) seen.push(dep.status);
        if (dep.status === status) return dep;
        if (failureStatuses.includes(dep.status) && !failureStatuses.includes(status)) {
          const logs = await call('GET', `/v1/models/${modelId}/deployments/${deploymentId}/logs`);
          throw new Error(
            `deployment ${deploymentId} is ${dep.status}, not ${status} (saw ${seen.join(' → ')}): ${JSON.stringify(logs.body)}`,
          );
        }
        return undefined;
      },
      { timeoutMs: waitOptions.timeoutMs ?? 60_000, intervalMs: 50 },
    );
  };

  const client = new BasetenClient({
    apiKey: emulator.apiKey,
    managementUrl: emulator.managementUrl,
    inferenceUrl: emulator.inferenceUrl,
    maxRetries: 0,
  });

  return {
    emulator,
    control,
    client,
    responses,
    call,
    getDeployment,
    productionOf,
    promoteCalls,
    waitForStatus,
    async close() {
      await emulator.close();
      if (!options.stateDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
