import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/tools/paths';
import { waitFor } from './wait-for';

const launcher = path.join(projectRoot, 'bin', 'baseten-cd.js');

export interface EmulatorCli {
  child: ChildProcess;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** The management API URL, once it has printed its environment. */
  url: string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

/**
 * Runs `baseten-cd emulator ARGS` through the launcher itself (its shebang stops Node from taking
 * `--env-file` as its own option) and waits until it has printed its environment.
 */
export async function startEmulatorCli(args: string[], options: { cwd?: string } = {}): Promise<EmulatorCli> {
  const child = spawn(launcher, ['emulator', '--port', '0', ...args], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await waitFor(
    () => `the emulator to print its environment: ${output}`,
    () => {
      if (child.exitCode !== null) throw new Error(`emulator exited (${child.exitCode}) before starting: ${output}`);
      // The last variable printed: once it is there, any --env-file has been written too.
      return output.includes('TRUSS_REMOTE') ? /BASETEN_API_URL='([^']+)'/.exec(output)?.[1] : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 50 },
  );
  return {
    child,
    output: () => output,
    url,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Reads an env file of `KEY='value'` lines. */
export function readEnvFile(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => /^(\w+)='(.*)'$/.exec(line)?.slice(1) ?? []),
  ) as Record<string, string>;
}
