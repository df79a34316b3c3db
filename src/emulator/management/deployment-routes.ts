import { parseJsonBody, parseWith } from '../http/json-body';
import type { Router } from '../http/router';
import { InvalidInputError } from '../http/json-body';
import type { LogQuery } from '../lifecycle/log-book';
import { deploymentView, modelView } from '../state/views';
import { applyAutoscalingPatch } from '../lifecycle/settings';
import { invalid } from '../lifecycle/service-error';
import { parseMetricsQuery } from '../metrics/query';
import { deploymentMetrics } from '../metrics/report';
import { ok, param, type ManagementCall, type ManagementHandler } from './route-types';
import {
  autoscalingPatchSchema,
  logsBodySchema,
  logsQuerySchema,
  promoteSchema,
  updateDeploymentSchema,
  type LogsInput,
} from './schemas';

/** Models and deployments: /v1/models/... */
export function addDeploymentRoutes(router: Router<ManagementHandler>): void {
  const dep = '/v1/models/:modelId/deployments/:ref';
  router
    .add('GET', '/v1/models', async ({ req, service }) => {
      const name = req.target.query.get('name');
      const models = [...service.store.models.values()].filter((m) => name === null || m.name === name);
      return ok({ models: models.map((m) => modelView(service.store, m)) });
    })
    .add('GET', '/v1/models/:modelId', async (call) =>
      ok(modelView(call.service.store, call.service.getModel(param(call, 'modelId')))),
    )
    .add('DELETE', '/v1/models/:modelId', async (call) => {
      const id = param(call, 'modelId');
      await call.service.deleteModel(id);
      return ok({ id, deleted: true });
    })
    .add('GET', '/v1/models/:modelId/deployments', async (call) => {
      const name = call.req.target.query.get('name');
      const model = call.service.getModel(param(call, 'modelId'));
      const deployments = call.service.store.deploymentsOf(model.id).filter((d) => name === null || d.name === name);
      return ok({ deployments: deployments.map((d) => deploymentView(call.service.store, d)) });
    })
    .add('GET', dep, async (call) => ok(view(call)))
    .add('PATCH', dep, async (call) => {
      const body = await parseJsonBody(call.req, updateDeploymentSchema);
      const record = deployment(call);
      if (record.isDevelopment) throw invalid('The development deployment cannot be renamed');
      const clash = call.service.store
        .deploymentsOf(record.modelId)
        .find((d) => d.name === body.name && d.id !== record.id);
      if (clash) throw invalid(`Model ${record.modelId} already has a deployment named "${body.name}"`);
      record.name = body.name;
      call.service.save();
      return ok(view(call));
    })
    .add('DELETE', dep, async (call) => {
      const record = await call.service.deleteDeployment(param(call, 'modelId'), param(call, 'ref'));
      return ok({ id: record.id, deleted: true, model_id: record.modelId });
    })
    .add('POST', `${dep}/promote`, async (call) => {
      const body = await parseJsonBody(call.req, promoteSchema);
      const record = call.service.promoteDeployment(
        param(call, 'modelId'),
        param(call, 'ref'),
        body.scale_down_previous_production,
      );
      return ok(deploymentView(call.service.store, record));
    })
    .add('POST', `${dep}/activate`, async (call) => {
      call.service.activate(param(call, 'modelId'), param(call, 'ref'));
      return ok({ success: true });
    })
    .add('POST', `${dep}/deactivate`, async (call) => {
      call.service.deactivate(param(call, 'modelId'), param(call, 'ref'));
      return ok({ success: true });
    })
    .add('POST', `${dep}/retry`, async (call) => {
      const result = call.service.retry(param(call, 'modelId'), param(call, 'ref'));
      return ok({
        retried: result.retried,
        reason: result.reason,
        deployment: deploymentView(call.service.store, result.dep),
      });
    })
    .add('PATCH', `${dep}/autoscaling_settings`, async (call) => {
      const patch = await parseJsonBody(call.req, autoscalingPatchSchema);
      const record = deployment(call);
      const { next, changed } = applyAutoscalingPatch(record.autoscaling, patch);
      if (!changed) return ok({ status: 'UNCHANGED', message: 'Autoscaling settings are unchanged' });
      record.autoscaling = next;
      call.service.save();
      call.service.runner(record.id).settingsChanged();
      return ok({ status: 'ACCEPTED', message: 'Autoscaling settings updated' });
    })
    .add('GET', `${dep}/logs`, async (call) => logs(call, parseWith(logsQuerySchema, queryObject(call), 'query')))
    .add('POST', `${dep}/logs`, async (call) => logs(call, await parseJsonBody(call.req, logsBodySchema)))
    .add('GET', `${dep}/metrics`, async (call) => {
      const record = deployment(call);
      const now = Date.now();
      const window = parseMetricsQuery(call.req.target.query, now);
      return ok(deploymentMetrics(call.service.traffic, record.id, window, now));
    });
}

function deployment(call: ManagementCall) {
  return call.service.getDeployment(param(call, 'modelId'), param(call, 'ref'));
}

function view(call: ManagementCall) {
  return deploymentView(call.service.store, deployment(call));
}

function logs(call: ManagementCall, input: LogsInput) {
  const record = deployment(call);
  const query: LogQuery = {
    startEpochMillis: input.start_epoch_millis,
    endEpochMillis: input.end_epoch_millis,
    direction: input.direction,
    limit: input.limit,
    minLevel: input.min_level,
    searchPattern: input.search_pattern,
    includes: input.includes,
    excludes: input.excludes,
  };
  try {
    return ok({ logs: call.service.logs.query(record.id, query) });
  } catch (err) {
    if (err instanceof SyntaxError)
      throw new InvalidInputError(`search_pattern is not a valid pattern: ${err.message}`);
    throw err;
  }
}

/** Query parameters as an object; `includes`/`excludes` may repeat. */
function queryObject(call: ManagementCall): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(call.req.target.query.keys())) {
    const values = call.req.target.query.getAll(key);
    out[key] = key === 'includes' || key === 'excludes' ? values : (values[0] ?? '');
  }
  return out;
}
