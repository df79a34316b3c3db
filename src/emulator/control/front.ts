import type { EmulatorContext } from '../context';
import { isNamedLocalHost, type Front } from '../http/front';
import { managementError } from '../http/http-error';
import { parseJsonBody, parseWith } from '../http/json-body';
import { apiKeyOf, type EmulatorRequest } from '../http/request';
import type { JsonReply } from '../http/respond';
import { Router, type Params } from '../http/router';
import { sendManagementReply } from '../management/errors';
import type { FaultSelection, ManagementFaultEffect } from './management-faults';
import {
  createDeploymentSchema,
  dropFaultSchema,
  failSchema,
  holdFaultSchema,
  managementFaultSchema,
  nextBuildFailureSchema,
  predictionFaultSchema,
  releaseHeldSchema,
  requestLogQuerySchema,
  slowFaultSchema,
} from './schemas';

type Handler = (req: EmulatorRequest, params: Params) => Promise<JsonReply>;

/** Test and demo controls under /_emulator (never /v1): deployments from local folders, faults, the request log. */
export function controlFront(ctx: EmulatorContext): Front {
  const { service, faults, requestLog } = ctx;
  const dep = (params: Params) => service.runner(params.deploymentId ?? '');
  const ok = (body: unknown): JsonReply => ({ status: 200, body });
  const arm = (effect: ManagementFaultEffect, body: FaultSelection): JsonReply => {
    const { method, path, rate, burst, count, durationMs } = body;
    return ok(faults.management.add(effect, { method, path, rate, burst, count, durationMs }));
  };
  const router = new Router<Handler>()
    .add('POST', '/_emulator/deployments', async (req) => {
      const body = await parseJsonBody(req, createDeploymentSchema);
      return { status: 201, body: service.createDeployment(body) };
    })
    .add('GET', '/_emulator/deployments/:deploymentId', async (_req, params) => {
      const runner = dep(params);
      return ok({
        id: runner.dep.id,
        modelId: runner.dep.modelId,
        status: runner.dep.status,
        pid: runner.pid ?? null,
        port: runner.port ?? null,
      });
    })
    .add('POST', '/_emulator/deployments/:deploymentId/unhealthy', async (_req, params) => {
      dep(params).setForcedUnhealthy(true);
      return ok({ ok: true });
    })
    .add('POST', '/_emulator/deployments/:deploymentId/fail', async (req, params) => {
      const runner = dep(params);
      runner.fail((await parseJsonBody(req, failSchema)).message);
      return ok({ ok: true });
    })
    .add('POST', '/_emulator/deployments/:deploymentId/kill', async (_req, params) => {
      const runner = dep(params);
      const pid = runner.pid;
      if (!runner.killProcess()) throw managementError(409, `Deployment ${runner.dep.id} has no running model process`);
      return ok({ killed: pid });
    })
    .add('PUT', '/_emulator/deployments/:deploymentId/prediction-faults', async (req, params) => {
      const runner = dep(params);
      return ok(faults.setPredictionFault(runner.dep.id, await parseJsonBody(req, predictionFaultSchema)));
    })
    .add('DELETE', '/_emulator/deployments/:deploymentId/faults', async (_req, params) => {
      const runner = dep(params);
      faults.clearDeployment(runner.dep.id);
      runner.setForcedUnhealthy(false);
      return ok({ ok: true });
    })
    .add('POST', '/_emulator/faults/next-build', async (req) => {
      faults.failNextBuild((await parseJsonBody(req, nextBuildFailureSchema)).message);
      return ok({ ok: true });
    })
    .add('POST', '/_emulator/faults/management', async (req) => {
      const body = await parseJsonBody(req, managementFaultSchema);
      const { status, retryAfterSeconds = 1, message } = body;
      return arm({ kind: 'error', status, retryAfterSeconds, ...(message === undefined ? {} : { message }) }, body);
    })
    .add('POST', '/_emulator/faults/management/slow', async (req) => {
      const body = await parseJsonBody(req, slowFaultSchema);
      return arm({ kind: 'slow', delayMs: body.delayMs, apply: body.apply }, body);
    })
    .add('POST', '/_emulator/faults/management/drop', async (req) => {
      const body = await parseJsonBody(req, dropFaultSchema);
      return arm({ kind: 'drop', when: body.when }, body);
    })
    .add('POST', '/_emulator/faults/management/hold', async (req) => {
      const body = await parseJsonBody(req, holdFaultSchema);
      return arm({ kind: 'hold', holdMs: body.holdMs ?? null }, body);
    })
    .add('GET', '/_emulator/faults/management', async () => ok({ faults: faults.management.list() }))
    .add('DELETE', '/_emulator/faults/management/:faultId', async (_req, params) => {
      const id = params.faultId ?? '';
      if (!faults.management.remove(id)) throw managementError(404, `No management fault ${id} is armed`);
      return ok({ ok: true });
    })
    .add('GET', '/_emulator/faults/management/held', async () => ok({ held: faults.held.list() }))
    .add('POST', '/_emulator/faults/management/held/release', async (req) => {
      const { id } = await parseJsonBody(req, releaseHeldSchema);
      const released = faults.held.release(id);
      if (id !== undefined && released.length === 0) throw managementError(404, `No answer ${id} is held`);
      return ok({ released });
    })
    .add('DELETE', '/_emulator/faults', async () => {
      faults.clearAll();
      for (const d of service.store.deployments.values()) service.runner(d.id).setForcedUnhealthy(false);
      return ok({ ok: true });
    })
    .add('GET', '/_emulator/requests', async (req) => {
      const filter = parseWith(requestLogQuerySchema, Object.fromEntries(req.target.query), 'query');
      return ok({ requests: requestLog.list(filter) });
    })
    .add('DELETE', '/_emulator/requests', async () => {
      requestLog.clear();
      return ok({ ok: true });
    });

  async function reply(req: EmulatorRequest): Promise<JsonReply> {
    if (apiKeyOf(req) !== ctx.options.apiKey) throw managementError(401, 'Missing or invalid API key');
    const match = router.match(req.method, req.target.pathname);
    if (match.kind === 'none') throw managementError(404, `No such control endpoint: ${req.target.pathname}`);
    if (match.kind === 'wrong-method')
      throw managementError(405, `${req.method} is not supported on ${req.target.pathname}`);
    return match.handler(req, match.params);
  }

  return {
    name: 'control',
    matches: (req) => !isNamedLocalHost(req.target.hostname) && req.target.pathname.startsWith('/_emulator/'),
    async handle(req, res) {
      await sendManagementReply(req, res, reply(req), ctx.options.logger);
    },
  };
}
