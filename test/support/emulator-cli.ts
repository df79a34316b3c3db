import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/tools/paths';
import { testApiKey } from './secrets';
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

export interface EmulatorCliOptions {
  cwd?: string;
  /** How `baseten-cd` is started, e.g. `['npx', 'baseten-cd']`. @default the launcher bin/baseten-cd.js itself */
  command?: readonly string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs `baseten-cd emulator ARGS` (through the launcher itself unless `command` says otherwise) and waits until
 * it has printed its environment. Without `--api-key` in ARGS it gets a key with the secret marker. It runs in its own process group, so `stop` also reaches a wrapper's child
 * (npx runs the command through `sh -c`).
 */
export async function startEmulatorCli(args: string[], options: EmulatorCliOptions = {}): Promise<EmulatorCli> {
  const [command = launcher, ...prefix] = options.command ?? [];
  const key = args.includes('--api-key') ? [] : ['--api-key', testApiKey('emulator-cli')];
  const child = spawn(command, [...prefix, 'emulator', '--port', '0', ...key, ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await waitFor(
    () => `the emulator to print its environment: ${output}`,
    () => {
      if (child.exitCode !== null) throw new Error(`emulator exited (${child.exitCode}) before starting: ${output}`);
      // The last variable printed: once it is there, any --write-env file has been written too.
      return output.includes('TRUSS_REMOTE') ? /BASETEN_API_URL='([^']+)'/.exec(output)?.[1] : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 50 },
  );
  return {
    child,
    output: () => output,
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(-child.pid, 'SIGTERM');
      }
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
