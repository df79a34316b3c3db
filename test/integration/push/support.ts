import { execFile } from 'node:child_process';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (never throws on a non-zero exit); killed after `timeoutMs`. */
export function runCli(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 180_000,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number' && !stderr) {
        reject(new Error(`${command} did not run: ${err.message}`, { cause: err }));
        return;
      }
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

/** The one JSON object `truss push --output json` prints on stdout. */
export function pushOutput(result: CliResult): { model_id: string; model_version_id: string; is_draft: boolean } {
  if (result.code !== 0) throw new Error(`truss exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(result.stdout) as { model_id: string; model_version_id: string; is_draft: boolean };
}

/** An activity environment that logs only errors (expected failures would otherwise flood the output). */
export function quietActivityEnvironment(): MockActivityEnvironment {
  return new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
}

/** Runs an activity in a mock environment, keeping its result type (MockActivityEnvironment.run loses it). */
export function runActivity<A extends unknown[], R>(
  env: MockActivityEnvironment,
  fn: (...args: A) => Promise<R>,
  ...args: A
): Promise<R> {
  return env.run<A, R, typeof fn>(fn, ...args);
}
