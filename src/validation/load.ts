import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { UsageError } from '../common/usage-error';
import { validationSpecSchema, type ValidationSpec } from './schema';
import { parseYamlText } from './yaml-text';

/**
 * A validation file (or the Truss default) that cannot be used. The message is one line: the file, the
 * key path and the problem. It is a UsageError, so the CLI prints it and exits with the usage code.
 */
export class ValidationFileError extends UsageError {
  override name = 'ValidationFileError';
  constructor(
    readonly file: string,
    readonly keyPath: string | undefined,
    problem: string,
  ) {
    super(keyPath ? `${file}: ${keyPath}: ${problem}` : `${file}: ${problem}`);
  }
}

/** Reads, parses and checks a validation file; throws ValidationFileError before anything starts. */
export async function loadValidationFile(path: string): Promise<ValidationSpec> {
  const raw = parseYaml(path, await readText(path));
  if (raw === null || raw === undefined) throw new ValidationFileError(path, undefined, 'the file is empty');
  return checkSpec(path, raw);
}

/**
 * The validation used when no file is given: one smoke case sending `model_metadata.example_model_input`
 * from the Truss's config.yaml and expecting HTTP 200.
 */
export async function defaultValidationFromTruss(trussDir: string): Promise<ValidationSpec> {
  const configPath = join(trussDir, 'config.yaml');
  const config = parseYaml(configPath, await readText(configPath));
  const metadata = isRecord(config) ? config['model_metadata'] : undefined;
  const example = isRecord(metadata) ? metadata['example_model_input'] : undefined;
  if (example === undefined || example === null) {
    throw new ValidationFileError(
      configPath,
      'model_metadata.example_model_input',
      'missing; add an example input there (it becomes the smoke test) or pass --validation <file>',
    );
  }
  return checkSpec(configPath, { cases: [{ name: 'example_model_input', input: example }] });
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ValidationFileError(
      path,
      undefined,
      code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (err as Error).message})`,
    );
  }
}

function parseYaml(path: string, text: string): unknown {
  const parsed = parseYamlText(path, text);
  if ('problem' in parsed)
    throw new ValidationFileError(parsed.problem.where, undefined, `YAML syntax: ${parsed.problem.message}`);
  return parsed.value;
}

function checkSpec(file: string, raw: unknown): ValidationSpec {
  const result = validationSpecSchema.safeParse(raw, { reportInput: true });
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  if (!first) throw new ValidationFileError(file, undefined, 'invalid');
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
  const keyPath = formatKeyPath(first.path);
  throw new ValidationFileError(file, keyPath, describeIssue(first) + more);
}

/** `['cases', 1, 'expect', 'values', 0]` → `cases[1].expect.values[0]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      const plain = /^[A-Za-z_][\w-]*$/.test(name) ? name : JSON.stringify(name);
      return i === 0 ? plain : `.${plain}`;
    })
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  if (issue.input === undefined && issue.code === 'invalid_type') return `missing (expected ${issue.expected})`;
  if (issue.input === undefined && issue.code === 'invalid_union') return 'missing';
  return issue.message.replace(/^(Invalid input|Too big|Too small): /, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
