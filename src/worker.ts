import { errorLine } from './common/error-line';
import { ExitCode } from './common/exit-codes';
import { UsageError } from './common/usage-error';
import { ConfigError } from './config/env-schema';
import { loadWorkerConfig } from './fleet/config';
import { runWorker } from './fleet/run-worker';
import { installWorkerRuntime } from './fleet/runtime';

/**
 * The fleet worker's entry point (`baseten-cd worker`, or `tsx src/worker.ts`). Temporal's Runtime turns
 * SIGINT and SIGTERM into a graceful shutdown; `done` settles once the worker has stopped and its
 * connection is closed.
 */
export async function run(): Promise<void> {
  const config = loadWorkerConfig();
  installWorkerRuntime(config);
  const running = await runWorker(config);
  const metrics = config.metricsPort === undefined ? '' : `; metrics on :${config.metricsPort}/metrics`;
  console.error(
    `baseten-cd worker: polling task queue ${config.temporal.taskQueue} on ${config.temporal.address} (namespace ${config.temporal.namespace})${metrics}`,
  );
  await running.done;
}

/**
 * Reports a failed start or a stopped worker: one line per configuration problem, or one line for any other
 * usage error (usage exit code); anything else in one line (message and causes, no stack), exit code 1.
 */
export function reportWorkerError(err: unknown): ExitCode {
  if (err instanceof ConfigError) {
    for (const problem of err.problems) console.error(`baseten-cd worker: ${problem}`);
    return ExitCode.usage;
  }
  if (err instanceof UsageError) {
    console.error(`baseten-cd worker: ${errorLine(err)}`);
    return ExitCode.usage;
  }
  console.error(`baseten-cd worker: ${errorLine(err)}`);
  return ExitCode.failure;
}

if (require.main === module) {
  run().catch((err: unknown) => process.exit(reportWorkerError(err)));
}
