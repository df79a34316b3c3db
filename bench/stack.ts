import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createPushActivities } from '../src/activities/push';
import { BasetenClient } from '../src/baseten/client';
import { EmulatorControl } from '../src/emulator/control-client';
import { fastTimings, type EmulatorLogger, type EmulatorOptions } from '../src/emulator/options';
import { prepareTrussEnvironment, trussRemoteName } from '../src/emulator/push/truss-env';
import { startEmulator, type Emulator } from '../src/emulator/server';
import { startDevServer, type DevServer, type DevServerOptions } from '../src/temporal/dev-server';
import { trussCliPath } from '../src/tools/paths';
import { loadWorkerConfig } from '../src/fleet/config';
import { runWorker, type RunningWorker } from '../src/fleet/run-worker';

/**
 * The bench measures the pipeline's own work (truss CLI, model processes, validation, Temporal round trips),
 * so the emulator's simulated phase delays (seconds by default, for a human watching) are cut to 50 ms, and
 * the worker polls as often as the tests do instead of the spacing suited to minute-long Baseten builds.
 */
export const benchSettings = {
  emulatorTimings: fastTimings,
  poll: { initialMs: 100, maxMs: 500 },
  // Baseten documents 100 requests/s per management endpoint; the bench measures what the server can do.
  rateLimits: { otherPerSecond: 1_000_000 },
} as const;

/** What the release benchmarks need on top of the emulator: Temporal, a fleet worker and a push worker. */
export interface ReleaseRig {
  client: Client;
  fleetTaskQueue: string;
  pushTaskQueue: string;
}

/** A Temporal dev server with a client connected to it. */
export interface TemporalParts {
  server: DevServer;
  client: Client;
}

/** The emulator with what talks to it: its control client, a Baseten client, and truss's environment for it. */
export interface EmulatorParts {
  emulator: Emulator;
  control: EmulatorControl;
  baseten: BasetenClient;
  trussEnv: Record<string, string>;
}

/** Everything a bench run started. `close` stops all of it, in reverse order, once (also from a signal). */
export class BenchStack {
  private readonly stops: Array<{ what: string; stop: () => Promise<void> }> = [];
  private closing: Promise<void> | undefined;
  private temporal: Promise<TemporalParts> | undefined;

  private constructor(
    readonly workDir: string,
    private readonly logger: EmulatorLogger,
  ) {}

  static async create(logger: EmulatorLogger): Promise<BenchStack> {
    const stack = new BenchStack(await mkdtemp(path.join(tmpdir(), 'baseten-cd-bench-')), logger);
    stack.onClose('work dir', () => rm(stack.workDir, { recursive: true, force: true }));
    return stack;
  }

  onClose(what: string, stop: () => Promise<void>): void {
    this.stops.unshift({ what, stop });
  }

  /** The emulator (real Python model processes unless `options` says otherwise), with truss configured for it. */
  async startEmulator(options: Partial<EmulatorOptions> = {}, name = 'emulator'): Promise<EmulatorParts> {
    const emulator = await startEmulator({
      stateDir: path.join(this.workDir, name),
      timings: benchSettings.emulatorTimings,
      rateLimits: benchSettings.rateLimits,
      logger: this.logger,
      ...options,
    });
    this.onClose(name, () => emulator.close());
    const baseten = new BasetenClient({
      apiKey: emulator.apiKey,
      managementUrl: emulator.managementUrl,
      inferenceUrl: emulator.inferenceUrl,
      maxRetries: 0,
    });
    const target = { port: emulator.port, apiKey: emulator.apiKey };
    return {
      emulator,
      control: new EmulatorControl({ url: emulator.url, apiKey: emulator.apiKey }),
      baseten,
      trussEnv: await prepareTrussEnvironment(target, path.join(this.workDir, `${name}-truss-home`)),
    };
  }

  /** A Temporal dev server of its own (stopped with the stack) and a client for it. */
  async startTemporal(what = 'Temporal dev server', options: DevServerOptions = {}): Promise<TemporalParts> {
    const server = await startDevServer({ readyTimeoutMs: 120_000, ...options });
    this.onClose(what, () => server.stop());
    const connection = await Connection.connect({ address: server.address, connectTimeout: 10_000 });
    this.onClose(`${what}'s client connection`, () => connection.close());
    return { server, client: new Client({ connection, namespace: server.namespace }) };
  }

  /** The dev server the release and watcher benchmarks share, started once. */
  sharedTemporal(): Promise<TemporalParts> {
    this.temporal ??= this.startTemporal();
    return this.temporal;
  }

  /**
   * A fleet worker on its own task queue, configured from its environment variables as `baseten-cd worker` is;
   * `poll` undefined keeps the production poll spacing (1 s growing to 10 s).
   */
  async startFleetWorker(
    { emulator }: EmulatorParts,
    temporal: TemporalParts,
    taskQueue: string,
    poll?: { initialMs: number; maxMs: number },
  ): Promise<RunningWorker> {
    const config = loadWorkerConfig({
      TEMPORAL_ADDRESS: temporal.server.address,
      TEMPORAL_NAMESPACE: temporal.server.namespace,
      BASETEN_CD_TASK_QUEUE: taskQueue,
      BASETEN_API_KEY: emulator.apiKey,
      BASETEN_API_URL: emulator.managementUrl,
      BASETEN_INFERENCE_URL: emulator.inferenceUrl,
    });
    const worker = await runWorker(config, { ...(poll ? { poll } : {}), identity: taskQueue });
    this.onClose(`fleet worker ${taskQueue}`, () => worker.shutdown());
    return worker;
  }

  /** The shared Temporal dev server, a fleet worker (runWorker) and a push worker running the real truss CLI. */
  async startReleaseRig(parts: EmulatorParts): Promise<ReleaseRig> {
    const temporal = await this.sharedTemporal();
    const fleetTaskQueue = 'bench-fleet';
    await this.startFleetWorker(parts, temporal, fleetTaskQueue, benchSettings.poll);

    // What `baseten-cd deploy` hosts in a CI job: the push activity on the release's own task queue.
    const pushTaskQueue = 'bench-push';
    const pushConnection = await NativeConnection.connect({ address: temporal.server.address });
    this.onClose('push worker connection', () => pushConnection.close());
    const pushWorker = await Worker.create({
      connection: pushConnection,
      namespace: temporal.server.namespace,
      taskQueue: pushTaskQueue,
      activities: createPushActivities({ trussCliPath: trussCliPath(), remote: trussRemoteName, env: parts.trussEnv }),
      identity: 'bench-push',
    });
    const pushRun = pushWorker.run();
    this.onClose('push worker', async () => {
      if (pushWorker.getState() === 'RUNNING') pushWorker.shutdown();
      await pushRun;
    });
    return { client: temporal.client, fleetTaskQueue, pushTaskQueue };
  }

  /** Stops everything started so far; a part that fails to stop is reported and the others still stop. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const { what, stop } of this.stops) {
        await stop().catch((err: unknown) => console.error(`bench: stopping the ${what} failed: ${String(err)}`));
      }
    })();
    return this.closing;
  }
}
