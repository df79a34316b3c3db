import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface RunCommandOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Every output line, stdout and stderr interleaved as they arrive. */
  onLine?: (line: string) => void;
  /** How many trailing lines to keep for the result. */
  keepLines?: number;
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the command was stopped by the timeout or the abort signal. */
  stopped?: 'timeout' | 'aborted';
  /** The last `keepLines` output lines. */
  tail: string[];
}

/**
 * Runs a command to completion. It gets its own process group, so a timeout or abort also kills
 * whatever it started (pip runs build backends in subprocesses).
 */
export function runCommand(command: string, args: string[], options: RunCommandOptions): Promise<CommandResult> {
  const keep = options.keepLines ?? 40;
  const tail: string[] = [];
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      resolve({ code: null, signal: null, stopped: 'aborted', tail });
      return;
    }
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stopped: CommandResult['stopped'];
    const stop = (why: NonNullable<CommandResult['stopped']>) => {
      stopped ??= why;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    const onAbort = () => stop('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        tail.push(line);
        if (tail.length > keep) tail.shift();
        options.onLine?.(line);
      });
    }
    child.once('error', (err) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(err);
    });
    // 'close' (not 'exit') so that every output line has been delivered.
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, stopped, tail });
    });
  });
}
