import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Connection } from '@temporalio/client';
import { searchAttributes } from '../workflows/search-attributes';
import { typeName } from './search-attribute-setup';
import { temporalCliPath } from '../tools/paths';

export interface DevServer {
  /** host:port of the gRPC frontend. */
  address: string;
  /** The Web UI, or undefined when started headless. */
  uiUrl?: string;
  namespace: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  port?: number;
  /** Serve the Web UI on port+1000. */
  ui?: boolean;
  namespace?: string;
  dbFilename?: string;
  /** How long to wait for the frontend to answer. The SDK's own limit (5 s) is too short on a busy 2-core CI box. */
  readyTimeoutMs?: number;
  extraArgs?: string[];
  /**
   * Register the project's search attributes at start. False starts a server without them, as a fresh
   * Temporal cluster is (for testing `baseten-cd setup`). @default true
   */
  registerSearchAttributes?: boolean;
}

/** Asks the OS for a free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `temporal server start-dev` (with the project's search attributes unless told not to) and waits until it answers. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const port = options.port ?? (await freePort());
  const namespace = options.namespace ?? 'default';
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--namespace', namespace];
  args.push('--log-level', 'error');
  if (options.ui) args.push('--ui-port', String(port + 1000));
  else args.push('--headless');
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  if (options.registerSearchAttributes !== false) {
    for (const key of searchAttributes) args.push('--search-attribute', `${key.name}=${typeName(key.type)}`);
  }
  args.push(...(options.extraArgs ?? []));

  const child = spawn(temporalCliPath(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = `127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`temporal server exited with code ${child.exitCode} before it was ready: ${stderr.trim()}`);
    }
    try {
      // No retry interceptor: a probe that fails must fail now. With the default one, a probe given up at its
      // connect timeout left a retry timer behind that later fired on the closed channel ("Channel has been shut
      // down", thrown from a timer into whatever ran next in the process).
      const connection = await Connection.connect({ address, connectTimeout: 1000, interceptors: [] });
      try {
        await connection.workflowService.getSystemInfo({});
      } finally {
        await connection.close();
      }
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`temporal server at ${address} did not answer within ${options.readyTimeoutMs ?? 60_000} ms`, {
          cause: err,
        });
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  return {
    address,
    namespace,
    uiUrl: options.ui ? `http://127.0.0.1:${port + 1000}` : undefined,
    process: child,
    stop,
  };
}
