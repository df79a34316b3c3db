import { z } from 'zod';
import { splitAddress, temporalUiBaseUrl } from './ui-link';
import { httpUrlEnv, isSet, optionalEnv, parseEnv, type EnvDoc } from '../config/env-schema';
import {
  encryptionCombinationProblems,
  encryptionEnvShape,
  encryptionEnvironment,
  payloadKeysFrom,
  type PayloadKeys,
} from './encryption/keys';

/** TLS towards the Temporal frontend: file paths, read when connecting (see connect.ts). */
export interface TemporalTls {
  /** TEMPORAL_TLS_CERT + TEMPORAL_TLS_KEY: the mTLS client certificate pair. */
  clientCert?: { certPath: string; keyPath: string };
  /** TEMPORAL_TLS_CA: a private CA's certificate. @default the system's CAs */
  caPath?: string;
  /** TEMPORAL_TLS_SERVER_NAME: the name the server certificate is checked against. @default the address's host */
  serverName?: string;
}

/** Where every baseten-cd process finds Temporal and the fleet, resolved once from the environment. */
export interface TemporalSettings {
  /** TEMPORAL_ADDRESS: host:port of the frontend. @default localhost:7233 */
  address: string;
  /** TEMPORAL_NAMESPACE. @default default */
  namespace: string;
  /** BASETEN_CD_TASK_QUEUE: the fleet workers' task queue. @default baseten-cd */
  taskQueue: string;
  /** TEMPORAL_UI_URL, else derived from the address (see temporalUiBaseUrl). */
  uiUrl: string;
  /** TEMPORAL_API_KEY (Temporal Cloud); implies TLS. Never logged. */
  apiKey?: string;
  /** Set when TLS is on: TEMPORAL_TLS=true, an API key, or any TEMPORAL_TLS_* file or name. Unset: plain TCP. */
  tls?: TemporalTls;
  /**
   * BASETEN_CD_ENCRYPTION_KEY(_ID) and BASETEN_CD_DECRYPTION_KEYS: workflow payloads are sealed with these keys
   * (see encryption/). Workers and clients of a namespace must agree. Unset: payloads are plain. Never logged.
   */
  encryption?: PayloadKeys;
}

/** The Temporal variables, for every command's `--help` (one list, so the commands cannot disagree). */
export const temporalEnvironment: readonly EnvDoc[] = [
  ['TEMPORAL_ADDRESS', 'host:port of the Temporal frontend (default localhost:7233)'],
  ['TEMPORAL_NAMESPACE', 'Temporal namespace (default "default")'],
  ['TEMPORAL_API_KEY', 'Temporal Cloud API key (turns TLS on); not together with the mTLS files'],
  ['TEMPORAL_TLS', 'true to use TLS with the system CAs (default false: plain TCP)'],
  ['TEMPORAL_TLS_CERT', 'mTLS client certificate file (with TEMPORAL_TLS_KEY)'],
  ['TEMPORAL_TLS_KEY', 'mTLS client private key file (with TEMPORAL_TLS_CERT)'],
  ['TEMPORAL_TLS_CA', 'CA certificate file of the Temporal server (default: the system CAs)'],
  ['TEMPORAL_TLS_SERVER_NAME', 'server name to check the Temporal certificate against'],
  ['TEMPORAL_UI_URL', 'Temporal Web UI for links (default http://<host>:<port+1000>, or Temporal Cloud UI)'],
  ['BASETEN_CD_TASK_QUEUE', 'task queue of the worker fleet (default baseten-cd)'],
  ...encryptionEnvironment,
];

const isAddress = (v: string) => {
  try {
    splitAddress(v);
    return true;
  } catch {
    return false;
  }
};

/** The Temporal variables' schema, also composed into the fleet worker's (see worker/config.ts). */
export const temporalEnvShape = {
  TEMPORAL_ADDRESS: optionalEnv.refine((v) => v === undefined || isAddress(v), {
    message: 'must be host:port, e.g. localhost:7233',
  }),
  TEMPORAL_NAMESPACE: optionalEnv,
  TEMPORAL_API_KEY: optionalEnv,
  TEMPORAL_TLS: optionalEnv.refine((v) => v === undefined || v === 'true' || v === 'false', {
    message: 'must be true or false',
  }),
  TEMPORAL_TLS_CERT: optionalEnv,
  TEMPORAL_TLS_KEY: optionalEnv,
  TEMPORAL_TLS_CA: optionalEnv,
  TEMPORAL_TLS_SERVER_NAME: optionalEnv,
  TEMPORAL_UI_URL: httpUrlEnv(),
  BASETEN_CD_TASK_QUEUE: optionalEnv,
  ...encryptionEnvShape,
};

const temporalEnvSchema = z.object(temporalEnvShape);
export type TemporalEnv = z.output<typeof temporalEnvSchema>;

const tlsVariables = [
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS_CERT',
  'TEMPORAL_TLS_KEY',
  'TEMPORAL_TLS_CA',
  'TEMPORAL_TLS_SERVER_NAME',
];

/** Rules across the Temporal variables, read from the raw environment so they show beside per-variable problems. */
export function temporalCombinationProblems(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => isSet(env, name);
  const problems: string[] = [];
  if (set('TEMPORAL_TLS_CERT') !== set('TEMPORAL_TLS_KEY')) {
    const [missing, given] = set('TEMPORAL_TLS_CERT')
      ? ['TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CERT']
      : ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'];
    problems.push(`${missing} is required with ${given} (mTLS needs both files)`);
  }
  if (set('TEMPORAL_API_KEY') && (set('TEMPORAL_TLS_CERT') || set('TEMPORAL_TLS_KEY'))) {
    problems.push(
      'TEMPORAL_API_KEY and TEMPORAL_TLS_CERT/TEMPORAL_TLS_KEY are exclusive: use an API key or mTLS, not both',
    );
  }
  const needTls = tlsVariables.filter(set);
  if (env.TEMPORAL_TLS?.trim() === 'false' && needTls.length > 0) {
    problems.push(`TEMPORAL_TLS is false, but ${needTls.join(', ')} need(s) TLS`);
  }
  return [...problems, ...encryptionCombinationProblems(env)];
}

/** Settings from an already validated environment. */
export function temporalSettingsFrom(e: TemporalEnv): TemporalSettings {
  const address = e.TEMPORAL_ADDRESS ?? 'localhost:7233';
  const clientCert =
    e.TEMPORAL_TLS_CERT && e.TEMPORAL_TLS_KEY
      ? { certPath: e.TEMPORAL_TLS_CERT, keyPath: e.TEMPORAL_TLS_KEY }
      : undefined;
  const encryption = payloadKeysFrom(e);
  const tlsOn =
    e.TEMPORAL_TLS === 'true' ||
    Boolean(e.TEMPORAL_API_KEY ?? clientCert ?? e.TEMPORAL_TLS_CA ?? e.TEMPORAL_TLS_SERVER_NAME);
  return {
    address,
    namespace: e.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: e.BASETEN_CD_TASK_QUEUE ?? 'baseten-cd',
    uiUrl: temporalUiBaseUrl(address, e.TEMPORAL_UI_URL),
    apiKey: e.TEMPORAL_API_KEY,
    tls: tlsOn ? { clientCert, caPath: e.TEMPORAL_TLS_CA, serverName: e.TEMPORAL_TLS_SERVER_NAME } : undefined,
    ...(encryption ? { encryption } : {}),
  };
}

/** Reads and checks the Temporal variables; throws ConfigError (exit code 2) listing every problem. */
export function temporalSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  return temporalSettingsFrom(parseEnv(temporalEnvSchema, env, temporalCombinationProblems(env)));
}
