import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, bundleWorkflowCode, type WorkerOptions } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { searchAttributes } from '../../src/workflows/search-attributes';

/** The dev server started by the jest global setup. */
export function temporalAddress(): string {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address)
    throw new Error('TEMPORAL_ADDRESS is not set: run the tests through jest (global setup starts the server)');
  return address;
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export interface TemporalTestContext {
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  close(): Promise<void>;
}

/** Connections to the test server, or to another one at `address`. */
export async function connectTemporal(address = temporalAddress()): Promise<TemporalTestContext> {
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  return {
    client,
    connection,
    nativeConnection,
    async close() {
      await connection.close();
      await nativeConnection.close();
    },
  };
}

const bundles = new Map<string, Promise<{ code: string }>>();

/** Bundles workflow code once per file path and test process (bundling is the slow part of worker start). */
export function workflowBundle(workflowsPath: string): Promise<{ code: string }> {
  let bundle = bundles.get(workflowsPath);
  if (!bundle) {
    bundle = bundleWorkflowCode({ workflowsPath, logger: quietBundlerLogger });
    bundles.set(workflowsPath, bundle);
  }
  return bundle;
}

const quietBundlerLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (message: string) => console.error(message),
};

/** A worker on a unique task queue, sharing the test's native connection. */
export async function createTestWorker(
  ctx: TemporalTestContext,
  options: Omit<WorkerOptions, 'connection' | 'taskQueue' | 'workflowsPath' | 'workflowBundle'> & {
    workflowsPath: string;
    taskQueue?: string;
  },
): Promise<{ worker: Worker; taskQueue: string }> {
  const { workflowsPath, taskQueue = uniqueId('tq'), ...rest } = options;
  const worker = await Worker.create({
    connection: ctx.nativeConnection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue,
    workflowBundle: await workflowBundle(workflowsPath),
    ...rest,
  });
  return { worker, taskQueue };
}

/**
 * Registers the project's search attributes on a server started without them (the time-skipping test server has
 * no flag for it, but answers the operator service).
 */
export async function registerSearchAttributes(env: { connection: Connection; namespace?: string }): Promise<void> {
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(
      searchAttributes.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
    ),
  });
}
