import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { EmulatorContext } from '../context';
import type { Front } from '../http/front';
import { inferenceError } from '../http/http-error';
import { apiKeyOf, type EmulatorRequest } from '../http/request';
import { errorReply, sendJson, type JsonReply } from '../http/respond';
import { ModelProcessExitedError, PredictTimeoutError } from '../runtime';
import type { DeploymentRecord } from '../state/types';
import { parseInferenceCall, resolveDeployment } from './resolve';

/**
 * Inference: predict and wake on the four prefixes, served by the deployment's model process.
 * Choices where Baseten's docs are silent: a deployment that is still being built answers
 * 503 `model_not_ready`; one that is INACTIVE, failed or deactivating answers 503 `model_unavailable`
 * (it is not woken; activate it); a model process that dies mid-request gives 502; a scaled-to-zero
 * deployment holds the request through its cold start, as Baseten does.
 */
export function inferenceFront(ctx: EmulatorContext): Front {
  /** `served` names the deployment a prediction went to, so its answer (error or not) is counted against it. */
  async function reply(req: EmulatorRequest, signal: AbortSignal, served: Served): Promise<JsonReply> {
    if (apiKeyOf(req) !== ctx.options.apiKey)
      throw inferenceError(401, 'unauthorized', 'Missing or invalid API key: send "Authorization: Api-Key <key>"');
    const call = parseInferenceCall(req.target.hostname, req.target.pathname);
    if (!call || req.method !== 'POST')
      throw inferenceError(404, 'client_error', `No such inference endpoint: ${req.method} ${req.target.pathname}`);
    if (call.action === 'wake') {
      const dep = resolveDeployment(ctx.service.store, call);
      ctx.service.runner(dep.id).wake();
      return { status: 202 };
    }
    // During a rolling promotion the environment's predictions are split between its two deployments.
    let trafficPercent: number | undefined;
    const dep = resolveDeployment(ctx.service.store, call, (env) => {
      const id = ctx.service.rollouts.route(env);
      trafficPercent = ctx.service.rollouts.percentOf(env, id);
      return id;
    });
    served.deploymentId = dep.id;
    return predict(dep, await readInput(req), signal, trafficPercent);
  }

  async function predict(
    dep: DeploymentRecord,
    input: unknown,
    signal: AbortSignal,
    trafficPercent: number | undefined,
  ): Promise<JsonReply> {
    const state = await ctx.service.awaitServing(dep, signal);
    if (!state.ok) {
      if (state.reason === 'timeout')
        throw inferenceError(504, 'timeout', `Deployment ${dep.id} did not wake up in time`);
      if (state.reason === 'not_ready')
        throw inferenceError(503, 'model_not_ready', `Deployment ${dep.id} is not ready yet (status ${state.status})`);
      throw inferenceError(503, 'model_unavailable', `Deployment ${dep.id} is not serving (status ${state.status})`);
    }
    const runner = ctx.service.runner(dep.id);
    const latency = ctx.faults.latencyMs(dep.id, trafficPercent);
    if (latency > 0) await delay(latency, undefined, { signal });
    if (ctx.faults.takePredictionError(dep.id, trafficPercent)) {
      runner.recordResult(true);
      throw inferenceError(500, 'application_error', 'Injected prediction error (emulator fault)');
    }
    try {
      const result = await runner.predict(input);
      return { status: result.status, body: result.body };
    } catch (err) {
      if (err instanceof PredictTimeoutError) throw inferenceError(504, 'timeout', err.message);
      if (err instanceof ModelProcessExitedError) throw inferenceError(502, 'model_unavailable', err.message);
      throw err;
    }
  }

  return {
    name: 'inference',
    matches: (req) =>
      /^model-[a-z0-9]+\.localhost$/.test(req.target.hostname) || req.target.pathname.startsWith('/inference/'),
    async handle(req, res) {
      const arrived = Date.now();
      const started = performance.now();
      const controller = new AbortController();
      res.once('close', () => controller.abort());
      const served: Served = {};
      const result = await reply(req, controller.signal, served).catch((err: unknown) =>
        errorReply(err, (message) => ({ error: message, error_code: 'internal_baseten_error' }), ctx.options.logger),
      );
      req.raw.resume();
      // A client that hung up saw no answer, so there is nothing to count.
      const hungUp = controller.signal.aborted;
      sendJson(res, {
        ...result,
        headers: { ...result.headers, 'x-baseten-request-id': randomBytes(16).toString('hex') },
      });
      if (served.deploymentId && !hungUp)
        ctx.service.traffic.record(served.deploymentId, {
          at: arrived,
          status: result.status,
          latencyMs: performance.now() - started,
        });
    },
  };
}

interface Served {
  deploymentId?: string;
}

async function readInput(req: EmulatorRequest): Promise<unknown> {
  const text = (await req.body()).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw inferenceError(400, 'client_error', `The request body is not valid JSON: ${why}`);
  }
}
