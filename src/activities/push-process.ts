import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { TrussInvocation } from './push-invocation';

export interface RunOptions {
  env: NodeJS.ProcessEnv;
  /** Aborting kills truss and everything it started. */
  signal: AbortSignal;
  /** Bounds the whole run; truss is killed when it is exceeded. */
  timeoutMs: number;
  /** Called once the process exists. */
  onStart?: (pid: number) => void;
  /** Called for each line truss prints on stderr (its progress in JSON mode). */
  onLine?: (line: string) => void;
}

export interface RunResult {
  exitCode: number | null;
  stdout: string;
  /** The last stderr lines, for error reports. */
  stderrTail: string[];
  timedOut: boolean;
  aborted: boolean;
}

const tailLines = 20;
const killGraceMs = 3_000;

/**
 * Runs truss in its own process group, so that a cancel or timeout can kill the whole tree
 * (truss, and anything it spawned) rather than orphaning children.
 */
export function runTruss(invocation: TrussInvocation, options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(invocation.command, invocation.args, {
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    const stderrTail: string[] = [];
    let timedOut = false;
    let aborted = false;
    let forceKill: NodeJS.Timeout | undefined;

    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const stop = (): void => {
      killGroup('SIGTERM');
      forceKill ??= setTimeout(() => killGroup('SIGKILL'), killGraceMs);
    };
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });

    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderrTail.push(line);
      if (stderrTail.length > tailLines) stderrTail.shift();
      options.onLine?.(line);
    });
    child.once('spawn', () => {
      if (child.pid !== undefined) options.onStart?.(child.pid);
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      reject(new Error(`could not start ${invocation.command}: ${err.message}`, { cause: err }));
    });
    // truss may leave children in its group (holding our pipes open): none may outlive it.
    child.once('exit', () => killGroup('SIGKILL'));
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      clearTimeout(forceKill);
      options.signal.removeEventListener('abort', onAbort);
      resolve({ exitCode, stdout, stderrTail, timedOut, aborted });
    });
  });
}
