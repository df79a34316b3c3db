import { z } from 'zod';
import { ConfigError, parseEnv, requiredEnv, type EnvDoc } from '../../config/env-schema';
import { temporalCombinationProblems, temporalEnvShape, temporalSettingsFrom } from '../settings';
import type { PayloadKeys } from './keys';

/** What `baseten-cd codec-server` runs with, read once from the environment. Secrets: never logged. */
export interface CodecServerConfig {
  keys: PayloadKeys;
  /** BASETEN_CD_CODEC_TOKEN: the bearer token every request must carry. */
  token: string;
  /** The origin of TEMPORAL_UI_URL (or of the UI derived from TEMPORAL_ADDRESS): the browser origin allowed. */
  allowedOrigin: string;
}

/** What the codec server reads besides the encryption keys (`codec-server --help`). */
export const codecServerEnvironment: readonly EnvDoc[] = [
  ['BASETEN_CD_CODEC_TOKEN', 'the bearer token callers must send (required; at least 16 characters)'],
  ['TEMPORAL_UI_URL', 'the Temporal Web UI: its origin is the only one allowed to call (CORS)'],
  ['TEMPORAL_ADDRESS', 'used for the UI origin when TEMPORAL_UI_URL is unset (http://<host>:<port+1000>)'],
];

const envSchema = z.object({
  ...temporalEnvShape,
  BASETEN_CD_CODEC_TOKEN: requiredEnv('the bearer token callers must send').refine((v) => v.length >= 16, {
    message: 'must be at least 16 characters (a long random token)',
  }),
});

/** Reads and checks the codec server's environment; throws ConfigError listing every problem. */
export function loadCodecServerConfig(env: NodeJS.ProcessEnv = process.env): CodecServerConfig {
  const e = parseEnv(envSchema, env, temporalCombinationProblems(env));
  const settings = temporalSettingsFrom(e);
  if (!settings.encryption) {
    throw new ConfigError([
      'BASETEN_CD_ENCRYPTION_KEY is required (with BASETEN_CD_ENCRYPTION_KEY_ID): the codec server opens what it sealed',
    ]);
  }
  return { keys: settings.encryption, token: e.BASETEN_CD_CODEC_TOKEN, allowedOrigin: new URL(settings.uiUrl).origin };
}
