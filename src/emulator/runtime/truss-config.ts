import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { TrussConfigError } from './errors';
import { checkTrussSchema } from './truss-config-schema';

/** The parts of config.yaml the emulator acts on, with truss's defaults applied. */
export interface TrussConfig {
  modelName?: string;
  pythonVersion?: string;
  /** pip requirement lines from `requirements` (empty when `requirementsFile` is used). */
  requirements: string[];
  /** `requirements_file`, relative to the Truss folder. */
  requirementsFile?: string;
  environmentVariables: Record<string, string>;
  /** Declared secrets: name → placeholder (usually null); values come from the workspace. */
  secrets: Record<string, unknown>;
  /** Free-form metadata, including `example_model_input`. */
  modelMetadata: Record<string, unknown>;
  modelModuleDir: string;
  modelClassFilename: string;
  modelClassName: string;
  /** The whole parsed document, as the model receives it in `config`. */
  raw: Record<string, unknown>;
}

// Only the fields used here; the official schema (checked first) covers every other key.
const usedFields = z.object({
  model_name: z.string().nullish(),
  python_version: z.string().optional(),
  requirements: z.array(z.string()).default([]),
  requirements_file: z.string().nullish(),
  environment_variables: z.record(z.string(), z.string()).default({}),
  secrets: z.record(z.string(), z.unknown()).default({}),
  model_metadata: z.record(z.string(), z.unknown()).default({}),
  model_module_dir: z.string().default('model'),
  model_class_filename: z.string().default('model.py'),
  model_class_name: z.string().default('Model'),
});

function fail(file: string, keyPath: string, message: string): never {
  throw new TrussConfigError(`${file}: ${keyPath ? `${keyPath}: ` : ''}${message}`, file, keyPath || undefined);
}

async function readYaml(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new TrussConfigError(`${file}: not found (a Truss needs a config.yaml)`, file);
  }
  const document = parseDocument(text);
  const yamlError = document.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0].line;
    fail(file, '', `invalid YAML${line ? ` at line ${line}` : ''}: ${yamlError.message.split('\n')[0]}`);
  }
  const value: unknown = document.toJS() ?? {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(file, '', 'must be a mapping of keys');
  return value as Record<string, unknown>;
}

async function mustExist(trussDir: string, relative: string, file: string, keyPath: string, what: string) {
  try {
    await access(path.join(trussDir, relative));
  } catch {
    fail(file, keyPath, `${what} ${relative} not found in ${trussDir}`);
  }
}

/** Reads and validates `<trussDir>/config.yaml` the way the truss client does before a push. */
export async function readTrussConfig(trussDir: string): Promise<TrussConfig> {
  const file = path.join(trussDir, 'config.yaml');
  const raw = await readYaml(file);
  const problem = checkTrussSchema(raw);
  if (problem) fail(file, problem.keyPath, problem.message);
  const parsed = usedFields.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    fail(file, issue?.path.join('.') ?? '', issue?.message ?? 'is invalid');
  }
  const c = parsed.data;
  if (c.requirements.length > 0 && c.requirements_file) {
    fail(file, 'requirements_file', 'cannot be combined with requirements (truss allows one or the other)');
  }
  if (c.requirements_file) await mustExist(trussDir, c.requirements_file, file, 'requirements_file', 'file');
  const modelFile = path.join(c.model_module_dir, c.model_class_filename);
  await mustExist(trussDir, modelFile, file, 'model_class_filename', 'model file');
  return {
    modelName: c.model_name ?? undefined,
    pythonVersion: c.python_version,
    requirements: c.requirements,
    requirementsFile: c.requirements_file ?? undefined,
    environmentVariables: c.environment_variables,
    secrets: c.secrets,
    modelMetadata: c.model_metadata,
    modelModuleDir: c.model_module_dir,
    modelClassFilename: c.model_class_filename,
    modelClassName: c.model_class_name,
    raw,
  };
}
