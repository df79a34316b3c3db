import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { freePort } from '../src/temporal/dev-server';
import { stateQuery } from '../src/workflows/messages';
import type { watchProduction } from '../src/workflows/watch';
import { defaultWatchSettings } from '../src/workflows/watch-rules';
import { workerDefaults } from '../src/fleet/config';
import type { WatchState } from '../src/workflows/watch-types';
import { startWorkerProcess, stopProcess } from '../test/support/worker-process';
import { cpuSeconds, memoryMiB } from './process-usage';
import { RequestTap } from './request-rates';
import type { BenchmarkResult, Metric } from './results';
import { inParallel, p50p95 } from './stats';
import { stubModelProcess } from './stub-model-process';
import type { BenchStack, EmulatorParts } from './stack';

export interface ScaleOptions {
  fleets: ReadonlyArray<{ models: number; faults: number }>;
  /** How long the steady state is measured, faults injected in its first half. @unit ms */
  windowMs: number;
}

/** Baseten's documented limit per management endpoint and API key. */
const basetenLimitPerSecond = 100;
const taskQueue = 'bench-scale';
const detectionDeadlineMs = 90_000;

interface Watched {
  modelId: string;
  workflowId: string;
  faultAt?: number;
}

/** What a watcher calls: production's environment and the watched deployment's metrics, and the deployment to revert to. */
const watcherEndpoints = [
  'GET /v1/models/{model_id}/environments/{env_name}',
  'GET /v1/models/{model_id}/deployments/{deployment_id}/metrics',
  'GET /v1/models/{model_id}/deployments/{deployment_id}',
];

/**
 * How far one worker scales: N models watched at once by one `baseten-cd worker` process (its own Temporal
 * runtime) at the default 10 s interval, against an emulator with Baseten's real rate limits on and its model
 * processes stubbed. The worker's CPU and memory, detection of faults injected meanwhile, and the request rate each
 * Baseten endpoint saw.
 */
export async function benchScale(stack: BenchStack, options: ScaleOptions): Promise<BenchmarkResult> {
  const result: BenchmarkResult = {
    title: 'Scale: models watched by one worker (10 s interval)',
    setup: `one baseten-cd worker process (BASETEN_CD_API_RATE_LIMIT ${workerDefaults.apiRateLimitPerSecond}, the default; activity slots = models + 200) on this machine; fleets of ${options.fleets.map((f) => f.models).join(' and ')} watchProduction workflows started directly, each with a warm fallback; a ${options.windowMs / 1000} s steady window each, faults (UNHEALTHY, FAILED) injected in its first half; emulator with Baseten's rate limits ON (100/s per endpoint) and model processes STUBBED (in-process, no Python)`,
    metrics: [],
    notes: [],
  };
  let rateLimited = 0;
  let looks = 0;
  const promoted = new Set<string>();
  try {
    const parts = await stack.startEmulator(
      {
        startModelProcess: stubModelProcess,
        persistState: false,
        rateLimits: {},
        onResponse: (response) => {
          if (response.status === 429) rateLimited++;
          if (response.method === 'GET' && response.path.endsWith('/environments/production')) looks++;
          if (response.method === 'POST' && response.path.endsWith('/promote'))
            promoted.add(response.path.split('/')[3] ?? '');
        },
      },
      'scale-emulator',
    );
    const metricsPort = await freePort();
    const temporal = await stack.startTemporal('scale Temporal dev server', {
      extraArgs: ['--metrics-port', String(metricsPort)],
    });
    const largest = Math.max(...options.fleets.map((f) => f.models));
    const worker = await startWorkerProcess({
      TEMPORAL_ADDRESS: temporal.server.address,
      TEMPORAL_NAMESPACE: temporal.server.namespace,
      BASETEN_CD_TASK_QUEUE: taskQueue,
      BASETEN_API_KEY: parts.emulator.apiKey,
      BASETEN_API_URL: parts.emulator.managementUrl,
      BASETEN_INFERENCE_URL: parts.emulator.inferenceUrl,
      BASETEN_CD_MAX_CONCURRENT_ACTIVITIES: String(largest + 200),
      BASETEN_CD_API_RATE_LIMIT: String(workerDefaults.apiRateLimitPerSecond),
    });
    // Killed, not stopped: a graceful shutdown waits out its 1,000 running watches (13.5 s), and the measurement is
    // over and its Temporal server is thrown away next.
    stack.onClose('scale worker process', () => stopProcess(worker.child, 'SIGKILL'));
    const rig: ScaleRig = {
      promoted,
      stack,
      parts,
      client: temporal.client,
      metricsPort,
      pid: worker.child.pid ?? 0,
      looks: () => looks,
    };
    for (const [i, fleet] of options.fleets.entries()) {
      rateLimited = 0;
      const metrics = await measureFleet(rig, fleet, options.windowMs, i === options.fleets.length - 1);
      metrics.push({ name: `${fleet.models} models: 429 answers`, unit: 'count', value: rateLimited });
      result.metrics.push(...metrics);
    }
  } catch (err) {
    result.error = err instanceof Error ? err.message : String(err);
  }
  return result;
}

interface ScaleRig {
  stack: BenchStack;
  parts: EmulatorParts;
  client: Client;
  metricsPort: number;
  /** The worker process. */
  pid: number;
  /** Looks at production environments so far (the emulator's count). */
  looks: () => number;
  /** Models whose production something promoted (from the emulator's answers). */
  promoted: Set<string>;
}

async function measureFleet(
  rig: ScaleRig,
  fleet: { models: number; faults: number },
  windowMs: number,
  last: boolean,
): Promise<Metric[]> {
  const { stack, parts, metricsPort, pid } = rig;
  const { emulator, control } = parts;
  const temporal = { client: rig.client };
  const label = `${fleet.models} models`;
  const trussDir = await scaleTruss(path.join(stack.workDir, 'scale-truss'));

  // The fleet: each model with its production deployment and a warm one to fall back to.
  const models: Array<{ modelId: string; production: string; fallback: string }> = [];
  for (let i = 0; i < fleet.models; i++) {
    const first = emulator.service.createDeployment({ trussDir, modelName: `scale-${fleet.models}-${i}` });
    const second = emulator.service.createDeployment({ trussDir, modelId: first.model.id });
    models.push({ modelId: first.model.id, production: first.deployment.id, fallback: second.deployment.id });
  }
  await until(`${fleet.models * 2} deployments ACTIVE`, 120_000, () =>
    models.every(
      (m) =>
        emulator.service.store.deployments.get(m.fallback)?.status === 'ACTIVE' &&
        emulator.service.store.environment(m.modelId, 'production')?.currentDeploymentId === m.production,
    ),
  );

  try {
    const startedAt = Date.now();
    const tap = new RequestTap(control, startedAt);
    tap.start(5_000);
    const looksBefore = rig.looks();
    const watched: Watched[] = await inParallel(
      50,
      models.map((m, i) => async () => {
        const workflowId = `bench-scale-${fleet.models}-${i}`;
        await startWatcher(temporal.client, workflowId, m);
        return { modelId: m.modelId, workflowId };
      }),
    );
    // Steady state: every watcher has looked at least once.
    await until('every watcher to look once', 120_000, () => rig.looks() - looksBefore >= fleet.models);

    const windowStart = Date.now();
    const cpuBefore = await cpuSeconds(pid);
    const heartbeatsBefore = await heartbeatsSoFar(metricsPort);
    let peakRss = 0;
    const sampler = setInterval(() => {
      void memoryMiB(pid).then(
        (m) => (peakRss = Math.max(peakRss, m.rss)),
        () => undefined,
      );
    }, 1_000);
    // Faults at random moments of the window's first half, on distinct models.
    const faulted = shuffle(watched).slice(0, fleet.faults);
    const injections = faulted.map(async (w, i) => {
      await sleep(Math.random() * (windowMs / 2));
      const deploymentId = models.find((m) => m.modelId === w.modelId)?.production ?? '';
      w.faultAt = Date.now();
      if (i % 2 === 0) await control.makeUnhealthy(deploymentId);
      else await control.fail(deploymentId);
    });
    await Promise.all(injections);
    await sleep(Math.max(0, windowStart + windowMs - Date.now()));
    const windowEnd = Date.now();
    const cpu = (await cpuSeconds(pid)) - cpuBefore;
    const heartbeats = (await heartbeatsSoFar(metricsPort)) - heartbeatsBefore;
    clearInterval(sampler);
    const memory = await memoryMiB(pid);

    // Detection: when each faulted watcher decided to revert, from its own state.
    const detections = await Promise.all(
      faulted.map(async (w) => {
        const handle = temporal.client.workflow.getHandle(w.workflowId);
        try {
          const detectedAt = await until(
            `the watcher of ${w.modelId} to detect its fault`,
            detectionDeadlineMs,
            async () => {
              const state: WatchState = await handle.query(stateQuery);
              return state.incidents.find((i) => i.kind === 'automatic')?.detectedAt;
            },
          );
          return detectedAt - (w.faultAt ?? detectedAt);
        } catch {
          return undefined;
        }
      }),
    );
    await tap.stop();
    const faultedModels = new Set(faulted.map((w) => w.modelId));
    const falseReverts = watched.filter((w) => !faultedModels.has(w.modelId) && rig.promoted.has(w.modelId)).length;
    const detected = detections.flatMap((d) => (d === undefined ? [] : [d / 1000]));
    const detection = p50p95(detected);
    const rates = tap.summary(windowStart, windowEnd);
    const windowS = (windowEnd - windowStart) / 1000;

    const metrics: Metric[] = [
      { name: `${label}: worker CPU (of one core)`, unit: '%', value: (cpu / windowS) * 100 },
      { name: `${label}: worker memory (RSS, peak in window)`, unit: 'MiB', value: Math.max(peakRss, memory.rss) },
      ...(detection
        ? [
            { name: `${label}: detection p50`, unit: 's' as const, value: detection.p50 },
            { name: `${label}: detection p95`, unit: 's' as const, value: detection.p95 },
          ]
        : []),
      { name: `${label}: faults injected`, unit: 'count', value: faulted.length },
      { name: `${label}: missed detections`, unit: 'count', value: faulted.length - detected.length },
      { name: `${label}: reverts without a fault`, unit: 'count', value: falseReverts },
      {
        name: `${label}: heartbeats per watched model-hour`,
        unit: 'count',
        value: (heartbeats / fleet.models) * (3600 / windowS),
      },
    ];
    const sorted = [...rates.endpoints].sort((a, b) => b[1].peak - a[1].peak);
    // The endpoints a watcher calls are always listed (0 when a short run called one not at all), so a --quick run
    // has the same result keys as a full one.
    const listed = new Map(sorted.slice(0, 3));
    for (const endpoint of watcherEndpoints) listed.set(endpoint, listed.get(endpoint) ?? { peak: 0, calls: 0 });
    for (const [endpoint, { peak, calls }] of listed) {
      metrics.push({ name: `${label}: peak req/s ${endpoint}`, unit: 'req/s', value: peak });
      metrics.push({ name: `${label}: mean req/s ${endpoint}`, unit: 'req/s', value: calls / windowS });
    }
    const worst = sorted[0]?.[1].peak ?? 0;
    metrics.push({
      name: `${label}: peak req/s of any endpoint ÷ Baseten's limit`,
      unit: 'ratio',
      value: worst / basetenLimitPerSecond,
    });
    return metrics;
  } finally {
    // The next fleet runs alone: this one's watchers end (their observations are cancelled). The last fleet's
    // end with the dev server.
    if (!last)
      await inParallel(
        50,
        models.map((_, i) => async () => {
          await rig.client.workflow
            .getHandle(`bench-scale-${fleet.models}-${i}`)
            .terminate('bench: fleet measured')
            .catch(() => undefined);
        }),
      );
  }
}

async function startWatcher(
  client: Client,
  workflowId: string,
  model: { modelId: string; production: string; fallback: string },
): Promise<void> {
  await client.workflow.start<typeof watchProduction>('watchProduction', {
    taskQueue,
    workflowId,
    args: [
      {
        modelId: model.modelId,
        modelName: workflowId,
        environment: 'production',
        deploymentId: model.production,
        fallbackDeploymentId: model.fallback,
        settings: defaultWatchSettings,
      },
    ],
  });
}

/** RecordActivityTaskHeartbeat calls the dev server has served, from its Prometheus metrics. */
async function heartbeatsSoFar(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  const text = await response.text();
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('service_requests{') || !line.includes('operation="RecordActivityTaskHeartbeat"')) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

async function scaleTruss(dir: string): Promise<string> {
  await mkdir(path.join(dir, 'model'), { recursive: true });
  await writeFile(path.join(dir, 'config.yaml'), 'model_name: scale\npython_version: py311\nrequirements: []\n');
  await writeFile(
    path.join(dir, 'model', 'model.py'),
    'class Model:\n    def predict(self, model_input):\n        return model_input\n',
  );
  return dir;
}

function shuffle<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

async function until<T>(
  what: string,
  timeoutMs: number,
  check: () => T | undefined | false | Promise<T | undefined | false>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve(check()).catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}
