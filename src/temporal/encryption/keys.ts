import { z } from 'zod';
import { isSet, optionalEnv, type EnvDoc } from '../../config/env-schema';

/**
 * The keys that seal workflow payloads: the current one (which seals, named by its id in every payload) and older
 * ones kept for opening what they sealed, so keys can rotate without losing a history. Secrets: never logged.
 */
export interface PayloadKeys {
  /** BASETEN_CD_ENCRYPTION_KEY_ID: the id written into each payload this process seals. */
  keyId: string;
  /** Every key this process can open with, by id: the current one and BASETEN_CD_DECRYPTION_KEYS. */
  keys: ReadonlyMap<string, Buffer>;
}

/** The encryption variables, for every command's `--help` (workers and clients must agree on them). */
export const encryptionEnvironment: readonly EnvDoc[] = [
  ['BASETEN_CD_ENCRYPTION_KEY', 'seal workflow payloads with AES-256-GCM: 32 random bytes, base64 (default: off)'],
  ['BASETEN_CD_ENCRYPTION_KEY_ID', 'the id of that key, recorded in every payload it seals (required with it)'],
  ['BASETEN_CD_DECRYPTION_KEYS', 'older keys that still open what they sealed: id=base64key,id2=base64key2'],
];

const keyIdPattern = /^[A-Za-z0-9._-]{1,64}$/;
const base64Pattern = /^[A-Za-z0-9+/]+={0,2}$/;

/** 32 bytes from base64, or undefined when the text is not exactly that. */
function keyFrom(text: string): Buffer | undefined {
  if (!base64Pattern.test(text)) return undefined;
  const key = Buffer.from(text, 'base64');
  return key.length === 32 ? key : undefined;
}

/** `id=key,id2=key2` as a map, or undefined when any pair is malformed. */
function keyListFrom(text: string): Map<string, Buffer> | undefined {
  const keys = new Map<string, Buffer>();
  for (const pair of text.split(',').map((p) => p.trim())) {
    const at = pair.indexOf('=');
    const id = pair.slice(0, at);
    const key = at > 0 ? keyFrom(pair.slice(at + 1)) : undefined;
    if (!key || !keyIdPattern.test(id) || keys.has(id)) return undefined;
    keys.set(id, key);
  }
  return keys;
}

const keyRule = 'must be 32 random bytes in base64 (e.g. the output of `openssl rand -base64 32`)';

/** The encryption variables' schema (composed into the Temporal settings, which every process reads). */
export const encryptionEnvShape = {
  BASETEN_CD_ENCRYPTION_KEY: optionalEnv.refine((v) => v === undefined || keyFrom(v) !== undefined, {
    message: keyRule,
  }),
  BASETEN_CD_ENCRYPTION_KEY_ID: optionalEnv.refine((v) => v === undefined || keyIdPattern.test(v), {
    message: 'must be 1 to 64 letters, digits, dots, dashes or underscores',
  }),
  BASETEN_CD_DECRYPTION_KEYS: optionalEnv.refine((v) => v === undefined || keyListFrom(v) !== undefined, {
    message: `must be id=key pairs separated by commas, each id once, each key ${keyRule.replace('must be ', '')}`,
  }),
};

export type EncryptionEnv = z.output<z.ZodObject<typeof encryptionEnvShape>>;

/** Rules across the encryption variables, read from the raw environment (values are never quoted). */
export function encryptionCombinationProblems(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => isSet(env, name);
  const problems: string[] = [];
  if (set('BASETEN_CD_ENCRYPTION_KEY') && !set('BASETEN_CD_ENCRYPTION_KEY_ID')) {
    problems.push('BASETEN_CD_ENCRYPTION_KEY_ID is required with BASETEN_CD_ENCRYPTION_KEY (payloads name their key)');
  }
  if (!set('BASETEN_CD_ENCRYPTION_KEY')) {
    for (const name of ['BASETEN_CD_ENCRYPTION_KEY_ID', 'BASETEN_CD_DECRYPTION_KEYS'].filter(set)) {
      problems.push(`${name} needs BASETEN_CD_ENCRYPTION_KEY (the key that seals new payloads)`);
    }
  }
  const keyId = env.BASETEN_CD_ENCRYPTION_KEY_ID?.trim();
  const older = keyListFrom(env.BASETEN_CD_DECRYPTION_KEYS?.trim() ?? '');
  const current = keyFrom(env.BASETEN_CD_ENCRYPTION_KEY?.trim() ?? '');
  const clash = keyId ? older?.get(keyId) : undefined;
  if (clash && current && !clash.equals(current)) {
    problems.push(`BASETEN_CD_DECRYPTION_KEYS gives key id ${keyId} another key than BASETEN_CD_ENCRYPTION_KEY`);
  }
  return problems;
}

/** The keys from an already validated environment; undefined when encryption is off. */
export function payloadKeysFrom(e: EncryptionEnv): PayloadKeys | undefined {
  const current = e.BASETEN_CD_ENCRYPTION_KEY === undefined ? undefined : keyFrom(e.BASETEN_CD_ENCRYPTION_KEY);
  const keyId = e.BASETEN_CD_ENCRYPTION_KEY_ID;
  if (!current || !keyId) return undefined;
  const keys = new Map(keyListFrom(e.BASETEN_CD_DECRYPTION_KEYS ?? '') ?? []);
  keys.set(keyId, current);
  return { keyId, keys };
}
