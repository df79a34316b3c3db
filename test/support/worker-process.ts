import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/tools/paths';
import { assertNoSecretIn } from './secrets';

/** Everything each worker process of this test file printed, scanned for the API key marker after the file. */
const printed: Array<{ pid: number | undefined; text: () => string }> = [];

// Outside jest (the bench's scale run starts worker processes with this helper too) there is no afterAll.
if (typeof afterAll === 'function') {
  afterAll(() => {
    for (const { pid, text } of printed.splice(0))
      assertNoSecretIn(`the output of baseten-cd worker (pid ${pid})`, text());
  });
}

export interface WorkerProcess {
  child: ChildProcess;
  /** The last 20 000 characters it printed (stdout and stderr). */
  output: () => string;
}

/**
 * `baseten-cd worker` as an operator runs it, in its own process (its own Temporal Core runtime), with `env`
 * added to this process's environment; resolves once it polls. All it prints is scanned for the API key marker
 * after the test file.
 */
export async function startWorkerProcess(
  env: NodeJS.ProcessEnv,
  options: { startTimeoutMs?: number } = {},
): Promise<WorkerProcess> {
  const startTimeoutMs = options.startTimeoutMs ?? 90_000;
  const child = spawn(process.execPath, ['--', path.join(projectRoot, 'bin', 'baseten-cd.js'), 'worker'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let everything = '';
  printed.push({ pid: child.pid, text: () => everything });
  const collect = (chunk: Buffer) => {
    everything += chunk.toString();
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not start within ${startTimeoutMs / 1000} s:\n${output}`)),
      startTimeoutMs,
    );
    const onData = () => {
      if (!output.includes('polling task queue')) return;
      clearTimeout(timer);
      resolve();
    };
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before polling:\n${output}`));
    });
  });
  return { child, output: () => output };
}

/** Sends `signal` and waits until the process has exited (at once if it already has). */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
