import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { PushInput, PushResult } from '../activities/push-types';
import { connectNative } from '../temporal/connect';
import { dataConverterFor } from '../temporal/encryption/data-converter';
import type { TemporalSettings } from '../temporal/settings';

export type PushCandidate = (input: PushInput) => Promise<PushResult>;

/**
 * The short-lived worker `deploy` hosts so that `truss push` runs where the Truss source is (the CI job).
 * It polls only the release's own task queue and runs only the push activity: no workflows.
 */
export interface PushWorker {
  taskQueue: string;
  /** Resolves with the first successful push (the workflow may retry failed attempts on this same worker). */
  pushed: Promise<PushResult>;
  /** Stops polling; a push in progress finishes and reports its result first. Safe to call twice. */
  stop(): Promise<void>;
}

function quietRuntime(): void {
  try {
    // The CLI's own output is the progress: SDK chatter (even the expected "no workflows registered" warning
    // of an activity-only worker) would drown it. A failed push reaches the user through the release result.
    // shutdownSignals: [] because `deploy` decides what Ctrl-C means (see stopOnSignal), not the SDK.
    Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
  } catch {
    // Already installed in this process (a test, or a second worker).
  }
}

export async function startPushWorker(
  settings: TemporalSettings,
  taskQueue: string,
  pushCandidate: PushCandidate,
): Promise<PushWorker> {
  quietRuntime();
  let markPushed: (result: PushResult) => void = () => undefined;
  const pushed = new Promise<PushResult>((resolve) => (markPushed = resolve));
  const connection = await connectNative(settings);
  const worker = await Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue,
    activities: {
      async pushCandidate(input: PushInput): Promise<PushResult> {
        const result = await pushCandidate(input);
        markPushed(result);
        return result;
      },
    },
    maxConcurrentActivityTaskExecutions: 1,
    // The push's input and result, and its failures, are sealed like the fleet's.
    dataConverter: dataConverterFor(settings.encryption),
  });
  const running = worker.run();
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      try {
        await running;
      } finally {
        await connection.close();
      }
    })();
    return stopping;
  };
  return { taskQueue, pushed, stop };
}
