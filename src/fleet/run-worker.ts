import { Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { BasetenClient } from '../baseten/client';
import { connectNative } from '../temporal/connect';
import { dataConverterFor } from '../temporal/encryption/data-converter';
import { requireSearchAttributes } from '../temporal/search-attribute-setup';
import { checkBasetenKey } from './key-check';
import type { WorkerConfig } from './config';

export interface RunWorkerOptions {
  /** Poll intervals of the waiting activities (tests shorten them). */
  poll?: ActivityDeps['poll'];
  /** Shown in the Temporal UI next to each task this worker ran. @default Temporal's (pid@host) */
  identity?: string;
  /**
   * The longest one Baseten management call waits for its answer (tests shorten it, so a slow answer costs them
   * seconds). @default the Baseten client's (60 s) @unit ms
   */
  basetenTimeoutMs?: number;
}

/** A started fleet worker. `done` settles when it has stopped and its connection is closed. */
export interface RunningWorker {
  worker: Worker;
  done: Promise<void>;
  /** Stops polling, lets running tasks finish (within the grace time) and closes the connection. */
  shutdown(): Promise<void>;
}

/**
 * Starts a fleet worker: the release workflows plus every Baseten activity, on the configured task queue.
 * The Baseten client does not retry (maxRetries 0): Temporal's retry policies own retries.
 */
export async function runWorker(config: WorkerConfig, options: RunWorkerOptions = {}): Promise<RunningWorker> {
  const baseten = new BasetenClient({
    apiKey: config.basetenApiKey,
    managementUrl: config.basetenApiUrl,
    inferenceUrl: config.basetenInferenceUrl,
    maxRetries: 0,
    ...(options.basetenTimeoutMs === undefined ? {} : { timeoutMs: options.basetenTimeoutMs }),
    // One client serves every activity of this worker, so the limit holds for all its watchers together.
    rateLimitPerSecond: config.apiRateLimitPerSecond,
  });
  const connection = await connectNative(config.temporal);
  let worker: Worker;
  try {
    // Before bundling (the slow part): a namespace without the attributes would fail every release.
    const warning = await requireSearchAttributes(connection, config.temporal);
    if (warning) console.error(`baseten-cd worker: ${warning}`);
    // A wrong key would fail every release at its first Baseten call: refuse it now, in one line.
    const keyWarning = await checkBasetenKey(baseten);
    if (keyWarning) console.error(`baseten-cd worker: ${keyWarning}`);
    worker = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      workflowsPath: require.resolve('../workflows'),
      activities: createActivities(
        { baseten, poll: options.poll },
        { webhookUrl: config.webhookUrl, uiBaseUrl: config.temporal.uiUrl },
      ),
      ...(options.identity ? { identity: options.identity } : {}),
      maxConcurrentActivityTaskExecutions: config.maxConcurrentActivities,
      dataConverter: dataConverterFor(config.temporal.encryption),
      shutdownGraceTime: '10 seconds',
    });
  } catch (err) {
    await connection.close();
    throw err;
  }
  const done = (async () => {
    try {
      await worker.run();
    } finally {
      await connection.close();
    }
  })();
  return {
    worker,
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
