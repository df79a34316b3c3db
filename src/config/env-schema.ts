import { z } from 'zod';
import { blankToUndefined } from './env';
import { UsageError } from '../common/usage-error';

/** A variable a command reads, with what it is for (one line of a `--help` text). */
export type EnvDoc = readonly [name: string, what: string];

/**
 * Bad configuration from the environment: one line per variable at fault, naming it and the rule, never its
 * value (it may be a key). A UsageError, so the CLI exits with the usage code.
 */
export class ConfigError extends UsageError {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const blankAsUnset = (v: unknown) => (typeof v === 'string' ? blankToUndefined(v) : undefined);

export const optionalEnv = z.preprocess(blankAsUnset, z.string().optional());

export const requiredEnv = (what: string) => z.preprocess(blankAsUnset, z.string({ error: `is required (${what})` }));

export const httpUrlEnv = (hint = '') =>
  optionalEnv.refine((v) => v === undefined || /^https?:\/\/[^\s/]+/.test(v), {
    message: `must be an http(s) URL${hint}`,
  });

/**
 * Parses the environment with `schema`; throws one ConfigError listing every bad variable and every broken
 * rule across variables (`combinations`, checked even when a single variable is already wrong).
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv, combinations: string[]): z.output<S> {
  const parsed = schema.safeParse(env);
  const problems = [...(parsed.error?.issues.map((i) => `${i.path.join('.')} ${i.message}`) ?? []), ...combinations];
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
  return parsed.data;
}

/** Whether a variable is set (not blank), for rules across variables that read the raw environment. */
export function isSet(env: NodeJS.ProcessEnv, name: string): boolean {
  return blankAsUnset(env[name]) !== undefined;
}
