import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../../src/tools/paths';
import { assertNoSecretIn } from '../../support/secrets';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  pid: number | undefined;
  /** Everything printed so far (stdout then stderr), for waiting on a line. */
  output(): string;
  done: Promise<CliRun>;
}

const binPath = path.join(projectRoot, 'bin', 'baseten-cd.js');

/**
 * Starts `baseten-cd <args>` as a user would, with `env` added to this process's environment. What it prints is
 * scanned for the API key marker: `done` rejects when the key shows (except for `emulator`, whose job is to print
 * the environment a worker needs, key included).
 */
export function startCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 240_000): RunningCli {
  // `--` ends Node's own options, so an argument like --env-file reaches baseten-cd, not Node.
  const child = spawn(process.execPath, ['--', binPath, ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      try {
        if (args[0] !== 'emulator') assertNoSecretIn(`the output of baseten-cd ${args.join(' ')}`, stdout + stderr);
        resolve({ code, stdout, stderr });
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
  return { pid: child.pid, output: () => `${stdout}${stderr}`, done };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs?: number): Promise<CliRun> {
  return startCli(args, env, timeoutMs).done;
}
