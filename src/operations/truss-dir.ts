import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../common/usage-error';

export interface TrussDir {
  /** Absolute path: the push worker runs `truss push` on it. */
  path: string;
  /** `model_name` from config.yaml, when set. */
  modelName?: string;
}

// Only what the CLI needs before starting; truss itself checks the rest of config.yaml at push time.
const configSchema = z.looseObject({ model_name: z.string().trim().min(1).optional().nullable() });

/** Checks that `dir` is a Truss (a folder with a readable config.yaml mapping) and reads its model name. */
export async function readTrussDir(dir: string): Promise<TrussDir> {
  const absolute = path.resolve(dir);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isDirectory()) throw new UsageError(`truss dir ${dir}: no such directory`);
  const configPath = path.join(absolute, 'config.yaml');
  const text = await readFile(configPath, 'utf8').catch(() => undefined);
  if (text === undefined) throw new UsageError(`truss dir ${dir}: no config.yaml (is this a Truss?)`);
  let document: unknown;
  try {
    document = parse(text);
  } catch (err) {
    throw new UsageError(`${configPath}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const config = configSchema.safeParse(document ?? {});
  if (!config.success) {
    const issue = config.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new UsageError(`${configPath}${where}: ${issue?.message ?? 'expected a mapping'}`);
  }
  return { path: absolute, modelName: config.data.model_name ?? undefined };
}
