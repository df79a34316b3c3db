import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorContext } from './context';
import { Faults } from './control/faults';
import { RequestLog } from './control/request-log';
import { buildFronts } from './fronts';
import { answerClientError } from './http/client-error';
import { managementError } from './http/http-error';
import { RateLimiter } from './http/rate-limit';
import { toEmulatorRequest } from './http/request';
import { errorReply, sendJson } from './http/respond';
import { EmulatorService } from './lifecycle/service';
import { resolveOptions, type EmulatorOptions } from './options';
import { StateStore } from './state/store';

export interface Emulator {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  port: number;
  /** Base of the management API (paths start with /v1), like `https://api.baseten.co`. */
  managementUrl: string;
  /** Inference base with a `{model_id}` placeholder, like `https://model-{model_id}.api.baseten.co`. */
  inferenceUrl: string;
  apiKey: string;
  stateDir: string;
  /** The control plane: the truss-push fronts create deployments through `service.createDeployment`. */
  service: EmulatorService;
  /** Stops the server and every model process. */
  close(): Promise<void>;
}

/** Starts the local Baseten on 127.0.0.1. Resolves once it is listening. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveOptions(options);
  const store = new StateStore(resolved.stateDir);
  const faults = new Faults();
  const service = new EmulatorService(store, resolved, faults);
  if (store.load()) service.restore();

  const ctx: EmulatorContext = {
    options: resolved,
    service,
    faults,
    requestLog: new RequestLog(),
    rateLimiter: new RateLimiter(),
    urls: { url: '', port: 0 },
  };
  const fronts = buildFronts(ctx);
  const server = createServer((raw, res) => {
    const req = toEmulatorRequest(raw);
    const front = fronts.find((f) => f.matches(req));
    const handled = front
      ? front.handle(req, res)
      : Promise.reject(managementError(404, `Nothing is served at ${req.target.hostname}${req.target.pathname}`));
    handled.catch((err: unknown) => {
      raw.resume();
      sendJson(
        res,
        errorReply(err, (message) => ({ error: 'Internal server error', message }), resolved.logger),
      );
    });
  });
  server.on('clientError', answerClientError);
  // The emulator is not a forward proxy: a CONNECT (HTTPS through HTTP_PROXY) gets an immediate answer, never a hang.
  server.on('connect', (_req, socket) => {
    socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
  });

  const port = await listen(server, resolved.port);
  const url = `http://127.0.0.1:${port}`;
  ctx.urls.url = url;
  ctx.urls.port = port;
  resolved.logger.info(`listening on ${url} (state in ${resolved.stateDir})`);

  return {
    url,
    port,
    managementUrl: url,
    inferenceUrl: `${url}/inference/{model_id}`,
    apiKey: resolved.apiKey,
    stateDir: resolved.stateDir,
    service,
    async close() {
      faults.clearAll(); // lets held and slow answers go, so no call outlives the server
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await service.close();
      await closed;
    },
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
