import { readFile } from 'node:fs/promises';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { ConfigError } from '../config/env-schema';
import { dataConverterFor } from './encryption/data-converter';
import type { TemporalSettings, TemporalTls } from './settings';

/** How long to wait for the Temporal frontend before giving up with a clear message. */
const connectTimeoutMs = 10_000;

export interface TemporalClient {
  client: Client;
  connection: Connection;
  close(): Promise<void>;
}

/** Connects the workflow client; an unreachable server fails within connectTimeoutMs with the address in the message. */
export async function connectClient(settings: TemporalSettings): Promise<TemporalClient> {
  const tls = await tlsConfig(settings.tls);
  let connection: Connection;
  try {
    connection = await Connection.connect({
      address: settings.address,
      tls,
      apiKey: settings.apiKey,
      connectTimeout: connectTimeoutMs,
    });
  } catch (err) {
    throw unreachable(settings, err);
  }
  const client = new Client({
    connection,
    namespace: settings.namespace,
    dataConverter: dataConverterFor(settings.encryption),
  });
  return { client, connection, close: () => connection.close() };
}

/** The worker-side connection (a different class from the client's, without a connect timeout of its own). */
export async function connectNative(settings: TemporalSettings): Promise<NativeConnection> {
  const tls = await tlsConfig(settings.tls);
  const connecting = NativeConnection.connect({ address: settings.address, tls, apiKey: settings.apiKey });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${connectTimeoutMs / 1000} s`)), connectTimeoutMs);
  });
  try {
    return await Promise.race([connecting, deadline]);
  } catch (err) {
    // A connection that arrives after the deadline is closed rather than leaked.
    connecting.then((late) => late.close()).catch(() => undefined);
    throw unreachable(settings, err);
  } finally {
    clearTimeout(timer);
  }
}

function unreachable(settings: TemporalSettings, err: unknown): Error {
  return new Error(`cannot reach Temporal at ${settings.address}: ${(err as Error).message}`, { cause: err });
}

async function tlsConfig(tls: TemporalTls | undefined): Promise<TLSConfig | undefined> {
  if (!tls) return undefined;
  const [crt, key, ca] = await Promise.all([
    tls.clientCert && readTlsFile('TEMPORAL_TLS_CERT', tls.clientCert.certPath),
    tls.clientCert && readTlsFile('TEMPORAL_TLS_KEY', tls.clientCert.keyPath),
    tls.caPath === undefined ? undefined : readTlsFile('TEMPORAL_TLS_CA', tls.caPath),
  ]);
  return {
    clientCertPair: crt && key ? { crt, key } : undefined,
    serverRootCACertificate: ca,
    serverNameOverride: tls.serverName,
  };
}

async function readTlsFile(variable: string, path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new ConfigError([`${variable}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
}
