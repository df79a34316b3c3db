import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../common/usage-error';
import { parseYamlText } from '../validation/yaml-text';

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
  if (!info) throw new UsageError(`truss dir ${dir}: no such directory`);
  if (!info.isDirectory()) throw new UsageError(`truss dir ${dir}: is a file, not a folder (give the Truss's folder)`);
  const configPath = path.join(absolute, 'config.yaml');
  const text = await readFile(configPath, 'utf8').catch(() => undefined);
  if (text === undefined) throw new UsageError(`truss dir ${dir}: no config.yaml (is this a Truss?)`);
  const document = parseConfig(configPath, text);
  if (document === null || document === undefined) {
    throw new UsageError(`${configPath}: the file is empty (a Truss config.yaml names at least model_name)`);
  }
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new UsageError(`${configPath}: expected a mapping of keys (model_name: ...), got ${kindOf(document)}`);
  }
  const config = configSchema.safeParse(document);
  if (!config.success) {
    const issue = config.error.issues[0];
    const where = issue?.path.length ? `: ${issue.path.join('.')}` : '';
    throw new UsageError(`${configPath}${where}: ${issue?.message.replace(/^Invalid input: /, '') ?? 'invalid'}`);
  }
  return { path: absolute, modelName: config.data.model_name ?? undefined };
}

function parseConfig(configPath: string, text: string): unknown {
  const parsed = parseYamlText(configPath, text);
  if ('problem' in parsed) throw new UsageError(`${parsed.problem.where}: not valid YAML: ${parsed.problem.message}`);
  return parsed.value;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}
