import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { prepareTrussEnvironment, trussRemoteName } from '../../src/emulator/push/truss-env';
import { startEmulator, type Emulator } from '../../src/emulator/server';
import { loadWorkerConfig } from '../../src/fleet/config';
import { runWorker, type RunningWorker } from '../../src/fleet/run-worker';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';

/** What the demo runs: Temporal with its Web UI, the local Baseten, a fleet worker; `close` stops all of it once. */
export interface DemoStack {
  temporal: DevServer;
  emulator: Emulator;
  worker: RunningWorker;
  /** What a CI job has: where Temporal is, and truss configured for the emulator (no Baseten key in Temporal). */
  ciEnv: NodeJS.ProcessEnv;
  uiUrl: string;
  close(): Promise<void>;
}

type Step = (text: string) => void;

export async function startDemoStack(workDir: string, step: Step): Promise<DemoStack> {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const stops: Array<() => Promise<void>> = [];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    })();
    return closing;
  };
  try {
    step('Temporal dev server (with the Web UI)');
    const temporal = await startDevServer({ ui: true, readyTimeoutMs: 120_000 });
    stops.push(() => temporal.stop());
    const uiUrl = temporal.uiUrl ?? '';
    console.log(`  frontend ${temporal.address}, Web UI ${uiUrl}`);

    step('Baseten emulator (management API, inference, truss push, traffic metrics)');
    const quiet = {
      info: () => undefined,
      warn: (m: string) => console.warn(`  emulator: ${m}`),
      error: (m: string) => console.error(`  emulator: ${m}`),
    };
    const emulator = await startEmulator({ stateDir: path.join(workDir, 'emulator'), logger: quiet });
    stops.push(() => emulator.close());
    const trussEnv = await prepareTrussEnvironment(
      { port: emulator.port, apiKey: emulator.apiKey },
      path.join(workDir, 'truss-home'),
    );
    console.log(`  ${emulator.url}; truss pushes to its remote "${trussRemoteName}"`);

    step('fleet worker (release and watcher workflows, Baseten activities; the API key stays here)');
    const worker = await runWorker(
      loadWorkerConfig({
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        BASETEN_CD_TASK_QUEUE: 'baseten-cd',
        BASETEN_API_KEY: emulator.apiKey,
        BASETEN_API_URL: emulator.managementUrl,
        BASETEN_INFERENCE_URL: emulator.inferenceUrl,
      }),
    );
    stops.push(() => worker.shutdown());
    console.log('  polling task queue baseten-cd');
    return {
      temporal,
      emulator,
      worker,
      uiUrl,
      ciEnv: { ...trussEnv, TEMPORAL_ADDRESS: temporal.address, TEMPORAL_UI_URL: uiUrl, TRUSS_REMOTE: trussRemoteName },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
