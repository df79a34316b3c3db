import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import { readEnv } from '../baseten/env';
import { splitAddress, temporalUiBaseUrl } from './ui-link';
import { UsageError } from './usage-error';

/** Where the CLI finds Temporal and the fleet, resolved once from the environment. */
export interface TemporalSettings {
  /** TEMPORAL_ADDRESS, host:port of the frontend. @default localhost:7233 */
  address: string;
  /** TEMPORAL_NAMESPACE. @default default */
  namespace: string;
  /** TEMPORAL_API_KEY (Temporal Cloud); turns TLS on. */
  apiKey?: string;
  /** TEMPORAL_TLS=true, or mTLS from TEMPORAL_TLS_CERT + TEMPORAL_TLS_KEY (+ TEMPORAL_TLS_CA, TEMPORAL_TLS_SERVER_NAME). */
  tls?: TLSConfig | boolean;
  /** BASETEN_CD_TASK_QUEUE: the fleet workers' task queue. @default baseten-cd */
  taskQueue: string;
  /** TEMPORAL_UI_URL, else derived from the address (see temporalUiBaseUrl). */
  uiUrl: string;
}

/** How long to wait for the Temporal frontend before giving up with a clear message. */
const connectTimeoutMs = 10_000;

export function temporalSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const address = readEnv('TEMPORAL_ADDRESS', env) ?? 'localhost:7233';
  try {
    splitAddress(address);
  } catch (err) {
    throw new UsageError(`TEMPORAL_ADDRESS: ${(err as Error).message}`);
  }
  const apiKey = readEnv('TEMPORAL_API_KEY', env);
  return {
    address,
    namespace: readEnv('TEMPORAL_NAMESPACE', env) ?? 'default',
    apiKey,
    tls: tlsFromEnv(env),
    taskQueue: readEnv('BASETEN_CD_TASK_QUEUE', env) ?? 'baseten-cd',
    uiUrl: temporalUiBaseUrl(address, readEnv('TEMPORAL_UI_URL', env)),
  };
}

function tlsFromEnv(env: NodeJS.ProcessEnv): TLSConfig | boolean | undefined {
  const cert = readEnv('TEMPORAL_TLS_CERT', env);
  const key = readEnv('TEMPORAL_TLS_KEY', env);
  const ca = readEnv('TEMPORAL_TLS_CA', env);
  const serverName = readEnv('TEMPORAL_TLS_SERVER_NAME', env);
  if (Boolean(cert) !== Boolean(key)) {
    throw new UsageError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together (mTLS)');
  }
  if (!cert && !ca && !serverName) return readEnv('TEMPORAL_TLS', env) === 'true' ? true : undefined;
  return {
    clientCertPair:
      cert && key
        ? { crt: readTlsFile('TEMPORAL_TLS_CERT', cert), key: readTlsFile('TEMPORAL_TLS_KEY', key) }
        : undefined,
    serverRootCACertificate: ca ? readTlsFile('TEMPORAL_TLS_CA', ca) : undefined,
    serverNameOverride: serverName,
  };
}

function readTlsFile(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`${variable}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export interface TemporalClient {
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

/** Connects the workflow client; an unreachable server fails within connectTimeoutMs with the address in the message. */
export async function connectClient(settings: TemporalSettings): Promise<TemporalClient> {
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address: settings.address,
      tls: settings.tls,
      apiKey: settings.apiKey,
      connectTimeout: connectTimeoutMs,
    });
  } catch (err) {
    throw new Error(`cannot reach Temporal at ${settings.address}: ${(err as Error).message}`, { cause: err });
  }
  const client = new Client({ connection, namespace: settings.namespace });
  return { client, connection, close: () => connection.close() };
}

/** The worker-side connection (a different class from the client's), for the CLI's push worker. */
export async function connectNative(settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect({ address: settings.address, tls: settings.tls, apiKey: settings.apiKey });
}
