import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { readEnv } from '../../config/env';
import { BuildError } from './errors';
import { runCommand } from './run-command';
import type { TrussConfig } from './truss-config';

/** What a model process needs to run a Truss: an interpreter and, when it has requirements, their install dir. */
export interface BuiltEnvironment {
  pythonPath: string;
  /** A pip `--target` dir holding the Truss's requirements; absent when it has none. */
  sitePackages?: string;
}

export interface BuildResult extends BuiltEnvironment {
  /** True when no pip run was needed (requirements already installed in the cache, or none at all). */
  cached: boolean;
}

export interface BuildOptions {
  /** Where installed requirements are kept, one folder per distinct interpreter + requirement set. */
  cacheDir: string;
  /** @default env BASETEN_CD_PYTHON, else `python3` */
  pythonPath?: string;
  signal?: AbortSignal;
  onLog?: (line: string) => void;
  /** @default 600_000 @unit ms */
  timeoutMs?: number;
}

const defaultTimeoutMs = 10 * 60_000;
const pipErrorLines = 8;

async function requirementLines(trussDir: string, config: TrussConfig): Promise<string[]> {
  if (!config.requirementsFile) return config.requirements.map((r) => r.trim()).filter(Boolean);
  if (path.extname(config.requirementsFile) !== '.txt') {
    // pyproject.toml and uv.lock need uv or a build frontend; plain pip installs only requirement lists.
    throw new BuildError(
      `requirements_file ${config.requirementsFile}: only requirements .txt files can be built here`,
    );
  }
  const text = await readFile(path.join(trussDir, config.requirementsFile), 'utf8');
  return text
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter(Boolean);
}

async function pythonIdentity(pythonPath: string, signal?: AbortSignal): Promise<string> {
  const check = 'import sys; print(sys.executable, sys.version.split()[0])';
  const result = await runCommand(pythonPath, ['-c', check], { timeoutMs: 30_000, signal }).catch((err: Error) => {
    throw new BuildError(`python interpreter ${pythonPath} cannot be started: ${err.message}`);
  });
  if (result.code !== 0) {
    throw new BuildError(`python interpreter ${pythonPath} failed to start: ${result.tail.join('\n')}`);
  }
  return result.tail.join(' ');
}

async function isDirectory(dir: string): Promise<boolean> {
  return (await stat(dir).catch(() => undefined))?.isDirectory() ?? false;
}

function pipFailure(result: Awaited<ReturnType<typeof runCommand>>, timeoutMs: number): BuildError {
  if (result.stopped === 'aborted') return new BuildError('pip install was cancelled');
  if (result.stopped === 'timeout') return new BuildError(`pip install did not finish within ${timeoutMs} ms`);
  const errors = result.tail.filter((line) => line.startsWith('ERROR:'));
  const detail = (errors.length > 0 ? errors : result.tail).slice(-pipErrorLines).join('\n');
  return new BuildError(`pip install failed (exit ${result.code ?? result.signal}):\n${detail}`);
}

/**
 * Installs the Truss's requirements once per distinct set, into a cache shared by all deployments.
 * pip writes into a private temp dir that is renamed into place only when complete, so a reader never
 * sees a half-built dir and concurrent builds of the same set cannot corrupt each other (the first
 * rename wins; the loser discards its copy).
 */
export async function buildModelEnvironment(
  trussDir: string,
  config: TrussConfig,
  options: BuildOptions,
): Promise<BuildResult> {
  const pythonPath = options.pythonPath ?? readEnv('BASETEN_CD_PYTHON') ?? 'python3';
  const requirements = await requirementLines(trussDir, config);
  if (requirements.length === 0) return { pythonPath, cached: true };

  const identity = await pythonIdentity(pythonPath, options.signal);
  const key = createHash('sha256')
    .update(JSON.stringify({ python: identity, requirements: [...requirements].sort() }))
    .digest('hex');
  const root = path.join(options.cacheDir, 'site-packages');
  const target = path.join(root, key);
  if (await isDirectory(target)) {
    options.onLog?.(`requirements already installed (cache ${key.slice(0, 12)})`);
    return { pythonPath, sitePackages: target, cached: true };
  }

  await mkdir(root, { recursive: true });
  const temp = await mkdtemp(path.join(root, `.building-${key.slice(0, 12)}-`));
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  options.onLog?.(`installing requirements: ${requirements.join(' ')}`);
  const source = config.requirementsFile ? ['-r', path.resolve(trussDir, config.requirementsFile)] : requirements;
  const args = ['-m', 'pip', 'install', '--target', temp, '--disable-pip-version-check', '--no-input'];
  args.push('--no-warn-script-location', '--progress-bar', 'off', ...source);
  try {
    const result = await runCommand(pythonPath, args, {
      cwd: trussDir,
      timeoutMs,
      signal: options.signal,
      onLine: options.onLog,
    });
    if (result.code !== 0 || result.stopped) throw pipFailure(result, timeoutMs);
    await rename(temp, target).catch(async (err: NodeJS.ErrnoException) => {
      // Another build of the same set finished first: its copy is complete, use it.
      if ((err.code === 'ENOTEMPTY' || err.code === 'EEXIST') && (await isDirectory(target))) return;
      throw err;
    });
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
  options.onLog?.(`requirements installed (cache ${key.slice(0, 12)})`);
  return { pythonPath, sitePackages: target, cached: false };
}
