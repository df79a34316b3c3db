import type { EmulatorContext } from '../context';
import { isNamedLocalHost, type Front } from '../http/front';
import { managementError } from '../http/http-error';
import { rateLimitFor, rateLimitedReply } from '../http/rate-limit';
import { apiKeyOf, type EmulatorRequest } from '../http/request';
import type { JsonReply } from '../http/respond';
import { Router } from '../http/router';
import { addDeploymentRoutes } from './deployment-routes';
import { addEnvironmentRoutes } from './environment-routes';
import { addPushRoutes } from '../push/rest-push';
import { serveWithFault } from '../control/faulted-call';
import { settleManagementReply } from './errors';
import type { ManagementHandler } from './route-types';

/**
 * The management API (`/v1/...`): on host `api.localhost` (truss through a proxy) or on the
 * emulator's own address. Every call is counted in the request log, faulted ones too.
 */
export function managementFront(ctx: EmulatorContext): Front {
  const router = new Router<ManagementHandler>();
  addDeploymentRoutes(router);
  addEnvironmentRoutes(router);
  addPushRoutes(router, ctx);

  async function reply(req: EmulatorRequest): Promise<JsonReply> {
    if (apiKeyOf(req) !== ctx.options.apiKey)
      return toReply(
        managementError(401, 'Missing or invalid API key: send "Authorization: Api-Key <key>" or "Bearer <key>"'),
      );
    const match = router.match(req.method, req.target.pathname);
    if (match.kind === 'none')
      return toReply(managementError(404, `No such endpoint: ${req.method} ${req.target.pathname}`));
    if (match.kind === 'wrong-method')
      return toReply(managementError(405, `${req.method} is not supported on ${req.target.pathname}`));
    const limit = rateLimitFor(ctx.options.rateLimits, req.method, endpointOf(req.target.pathname));
    const decision = ctx.rateLimiter.take(`${apiKeyOf(req)}:${limit.bucket}`, limit.limit, limit.windowMs);
    if (!decision.ok) return rateLimitedReply(decision.retryAfterSeconds);
    return match.handler({ req, params: match.params, service: ctx.service });
  }

  return {
    name: 'management',
    matches: (req) =>
      req.target.hostname === 'api.localhost' ||
      (!isNamedLocalHost(req.target.hostname) && /^\/v1(\/|$)/.test(req.target.pathname)),
    async handle(req, res) {
      const { pathname, query } = req.target;
      const entry = ctx.requestLog.begin({ method: req.method, path: pathname, query: query.toString() });
      // The fault hook: taken as the call arrives (so shares count calls in arrival order); never for a bad key.
      const fault = apiKeyOf(req) === ctx.options.apiKey ? ctx.faults.management.take(req.method, pathname) : undefined;
      const sent = await serveWithFault({
        req,
        res,
        entry,
        fault,
        apply: () => settleManagementReply(reply(req), ctx.options.logger),
        faults: ctx.faults,
        log: ctx.requestLog,
      });
      if (sent) ctx.options.onResponse?.({ method: req.method, path: pathname, status: sent.status, body: sent.body });
    },
  };
}

function toReply(err: { status: number; body: unknown; headers: Record<string, string> }): JsonReply {
  return { status: err.status, body: err.body, headers: err.headers };
}

/** The path with ids replaced, so each endpoint (not each deployment) has its own rate-limit counter. */
function endpointOf(pathname: string): string {
  return pathname
    .replace(/^\/v1\/models\/[^/]+/, '/v1/models/{model_id}')
    .replace(/\/deployments\/[^/]+/, '/deployments/{deployment}')
    .replace(/\/environments\/[^/]+/, '/environments/{env_name}');
}
