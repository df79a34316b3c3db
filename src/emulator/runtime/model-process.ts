import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import type { BuiltEnvironment } from './build';
import { LoadError, ModelProcessExitedError, PredictTimeoutError } from './errors';
import { modelProcessEnv } from './model-process-env';
import type { TrussConfig } from './truss-config';

export interface ModelExitInfo {
  code: number | null;
  signal: string | null;
  /** True when the exit followed kill(); false means the model process died on its own. */
  expected: boolean;
}

export interface StartModelProcessOptions {
  trussDir: string;
  config: TrussConfig;
  environment: BuiltEnvironment;
  /** Secret values by name (the workspace's secrets); merged over the config's placeholders. */
  secrets?: Record<string, string>;
  /** Every output line of the process: the model's prints and the server's progress. */
  onLog?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Called once when a process that finished loading exits. Start failures reject instead. */
  onExit?: (info: ModelExitInfo) => void;
  /** @default 600_000 @unit ms */
  loadTimeoutMs?: number;
  /** Cancels a start that is still loading: the process is killed and the start rejects with LoadError. */
  signal?: AbortSignal;
}

export interface PredictResponse {
  status: number;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

export interface ModelProcess {
  readonly pid: number;
  readonly port: number;
  readonly alive: boolean;
  /** POSTs `body` as JSON to the model's /predict. @default timeoutMs 60_000 */
  predict(body: unknown, opts?: { timeoutMs?: number; signal?: AbortSignal }): Promise<PredictResponse>;
  /** Stops the process (SIGTERM, then SIGKILL after 3 s) and resolves once it has exited. */
  kill(): Promise<void>;
}

const serverScript = path.join(__dirname, 'model_server.py');
const defaultLoadTimeoutMs = 10 * 60_000;
const defaultPredictTimeoutMs = 60_000;
const killGraceMs = 3_000;
// How long to wait for the exit event after a connection error, to tell a dead process from a network hiccup.
const exitNoticeMs = 1_000;

type ServerEvent =
  | { event: 'listening'; port: number }
  | { event: 'loaded' }
  | { event: 'load_failed'; error: string; traceback?: string };

function parseEvent(line: string): ServerEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(line) as { event?: unknown };
    return typeof value.event === 'string' ? (value as ServerEvent) : undefined;
  } catch {
    return undefined;
  }
}

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

class PythonModelProcess implements ModelProcess {
  port = 0;
  private exitInfo: { code: number | null; signal: string | null } | undefined;
  private killRequested = false;
  readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        // Whatever the model started goes with it: a crashed server would otherwise leave its helpers running.
        this.signal('SIGKILL');
        resolve();
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.exitInfo === undefined;
  }

  /** How the process ended, once it has; `expected` says whether kill() asked for it. */
  get exitStatus(): ModelExitInfo | undefined {
    return this.exitInfo && { ...this.exitInfo, expected: this.killRequested };
  }

  describeExit(): string {
    const info = this.exitInfo;
    return info?.signal ? `signal ${info.signal}` : `code ${info?.code ?? 'unknown'}`;
  }

  /** Signals the whole process group: model code may have started helpers of its own. */
  signal(sig: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, sig);
    } catch {
      // Already gone.
    }
  }

  async predict(body: unknown, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<PredictResponse> {
    if (!this.alive) throw new ModelProcessExitedError(`model process ${this.pid} has exited (${this.describeExit()})`);
    const timeoutMs = opts.timeoutMs ?? defaultPredictTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
    try {
      const response = await request(`http://127.0.0.1:${this.port}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body ?? null),
        signal,
        // The abort signal is the one deadline; undici's own defaults (300 s) would cut long predicts short.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      const text = await response.body.text();
      try {
        return { status: response.statusCode, body: JSON.parse(text) as unknown };
      } catch {
        return { status: response.statusCode, body: text };
      }
    } catch (err) {
      if (timeout.aborted && !opts.signal?.aborted) {
        throw new PredictTimeoutError(`model did not answer within ${timeoutMs} ms`, { cause: err });
      }
      if (opts.signal?.aborted) throw err;
      await within(this.exited, exitNoticeMs);
      if (!this.alive) {
        throw new ModelProcessExitedError(`model process ${this.pid} exited (${this.describeExit()}) during predict`, {
          cause: err,
        });
      }
      throw err;
    }
  }

  async kill(): Promise<void> {
    this.killRequested = true;
    if (!this.alive) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), killGraceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Starts model_server.py on the Truss and resolves once load() has finished. */
export function startModelProcess(options: StartModelProcessOptions): Promise<ModelProcess> {
  const { trussDir, config, environment, onLog } = options;
  const args = ['-u', serverScript, '--truss-dir', trussDir, '--parent-pid', String(process.pid)];
  const child = spawn(environment.pythonPath, args, {
    cwd: trussDir,
    env: modelProcessEnv(trussDir, config, environment),
    stdio: ['pipe', 'pipe', 'pipe'],
    // Its own process group, so kill() reaches anything the model started.
    detached: true,
  });
  const proc = new PythonModelProcess(child);
  const stderrTail: string[] = [];
  let loadFailure: { error: string; traceback?: string } | undefined;
  let phase: 'loading' | 'ready' | 'failed' = 'loading';

  child.stdin.on('error', () => undefined); // EPIPE when the process dies first; its exit is handled below.
  // The pipe then stays open: model_server.py exits (with its process group) when it closes, so models never
  // outlive the emulator, even one that was SIGKILLed and closed nothing itself.
  child.stdin.write(`${JSON.stringify({ config: config.raw, secrets: { ...config.secrets, ...options.secrets } })}\n`);

  createInterface({ input: child.stderr }).on('line', (line) => {
    stderrTail.push(line);
    if (stderrTail.length > 20) stderrTail.shift();
    onLog?.(line, 'stderr');
  });
  const stdoutLines = createInterface({ input: child.stdout });
  const stdoutClosed = new Promise<void>((resolve) => stdoutLines.once('close', resolve));

  return new Promise((resolve, reject) => {
    const loadTimeoutMs = options.loadTimeoutMs ?? defaultLoadTimeoutMs;
    const loadTimer = setTimeout(
      () => fail(new LoadError(`model did not finish loading within ${loadTimeoutMs} ms; the process was killed`)),
      loadTimeoutMs,
    );
    const onAbort = () => fail(new LoadError('model start was cancelled; the process was killed'));
    const leaveLoading = (next: 'ready' | 'failed'): boolean => {
      if (phase !== 'loading') return false;
      phase = next;
      clearTimeout(loadTimer);
      options.signal?.removeEventListener('abort', onAbort);
      return true;
    };
    function fail(error: LoadError): void {
      if (!leaveLoading('failed')) return;
      if (child.pid === undefined) return reject(error); // never started, so no exit will come
      proc.signal('SIGKILL');
      void proc.exited.then(() => reject(error));
    }

    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });

    stdoutLines.on('line', (line) => {
      const event = parseEvent(line);
      if (!event) return onLog?.(line, 'stdout');
      if (event.event === 'listening') proc.port = event.port;
      else if (event.event === 'load_failed') loadFailure = { error: event.error, traceback: event.traceback };
      else if (event.event === 'loaded' && leaveLoading('ready')) resolve(proc);
    });

    child.once('error', (err) => {
      fail(new LoadError(`cannot start the model process (${environment.pythonPath}): ${err.message}`));
    });
    void proc.exited.then(async () => {
      const status = proc.exitStatus;
      if (phase === 'ready' && status) options.onExit?.(status);
      if (phase !== 'loading') return;
      // The load_failed line may still be in the pipe when the exit is noticed.
      await within(stdoutClosed, exitNoticeMs);
      if (loadFailure) {
        fail(new LoadError(`model load failed: ${loadFailure.error}`, loadFailure.traceback));
      } else {
        const detail = stderrTail.slice(-10).join('\n');
        fail(new LoadError(`model process exited (${proc.describeExit()}) before it finished loading:\n${detail}`));
      }
    });
  });
}
