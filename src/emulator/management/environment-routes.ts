import { parseJsonBody } from '../http/json-body';
import type { Router } from '../http/router';
import {
  createEnvironment,
  deleteEnvironment,
  getEnvironment,
  promoteToEnvironment,
  updateEnvironment,
} from '../lifecycle/environments';
import {
  cancelPromotion,
  forceCancelPromotion,
  forceRollForwardPromotion,
  pausePromotion,
  resumePromotion,
} from '../lifecycle/promotion-controls';
import type { PromotionHost } from '../lifecycle/promotion';
import { notFound } from '../lifecycle/service-error';
import type { EnvironmentRecord } from '../state/types';
import { deploymentView, environmentView } from '../state/views';
import { ok, param, type ManagementCall, type ManagementHandler } from './route-types';
import { createEnvironmentSchema, promoteToEnvironmentSchema, updateEnvironmentSchema } from './schemas';

/** Environments: /v1/models/{model_id}/environments/... */
export function addEnvironmentRoutes(router: Router<ManagementHandler>): void {
  const envs = '/v1/models/:modelId/environments';
  const env = `${envs}/:envName`;
  router
    .add('GET', envs, async (call) => {
      const { store } = call.service;
      const model = call.service.getModel(param(call, 'modelId'));
      return ok({ environments: store.environmentsOf(model.id).map((e) => environmentView(store, e)) });
    })
    .add('POST', envs, async (call) => {
      const body = await parseJsonBody(call.req, createEnvironmentSchema);
      const model = call.service.getModel(param(call, 'modelId'));
      const created = createEnvironment(call.service, model.id, body.name, body);
      call.service.save();
      return ok(environmentView(call.service.store, created));
    })
    .add('GET', env, async (call) => ok(environmentView(call.service.store, environment(call))))
    .add('PATCH', env, async (call) => {
      const body = await parseJsonBody(call.req, updateEnvironmentSchema);
      const changed = updateEnvironment(environment(call), body);
      call.service.save();
      // The spec (baseten-go, 2026-07) answers UpdateAutoscalingSettingsResponseV1; the update applies at once here.
      return ok(
        changed
          ? { status: 'ACCEPTED', message: 'Environment settings updated' }
          : { status: 'UNCHANGED', message: 'Environment settings are unchanged' },
      );
    })
    .add('DELETE', env, async (call) => {
      const record = environment(call);
      deleteEnvironment(call.service, record);
      call.service.save();
      return ok({ name: record.name, model_id: record.modelId, deleted: true });
    })
    .add('POST', `${env}/promote`, async (call) => {
      const body = await parseJsonBody(call.req, promoteToEnvironmentSchema);
      const record = environment(call);
      promoteToEnvironment(call.service, record, body.deployment_id, body.scale_down_previous_deployment);
      call.service.save();
      return ok(deploymentView(call.service.store, call.service.getDeployment(record.modelId, body.deployment_id)));
    })
    .add('POST', `${env}/activate`, async (call) => {
      call.service.activate(param(call, 'modelId'), currentDeploymentId(call));
      return ok({ success: true });
    })
    .add('POST', `${env}/deactivate`, async (call) => {
      call.service.deactivate(param(call, 'modelId'), currentDeploymentId(call));
      return ok({ success: true });
    })
    .add('POST', `${env}/cancel_promotion`, async (call) => {
      const answer = cancelPromotion(call.service, environment(call));
      call.service.save();
      return ok(answer);
    })
    .add('POST', `${env}/force_cancel_promotion`, async (call) => signal(call, forceCancelPromotion))
    .add('POST', `${env}/pause_promotion`, async (call) => signal(call, pausePromotion))
    .add('POST', `${env}/resume_promotion`, async (call) => signal(call, resumePromotion))
    .add('POST', `${env}/force_roll_forward_promotion`, async (call) => signal(call, forceRollForwardPromotion));
}

/** SignalPromotionResponseV1: whether the promotion in progress took the signal (see ../lifecycle/promotion-controls). */
function signal(call: ManagementCall, act: (host: PromotionHost, env: EnvironmentRecord) => boolean) {
  const success = act(call.service, environment(call));
  call.service.save();
  return ok({ success });
}

function environment(call: ManagementCall) {
  return getEnvironment(call.service, param(call, 'modelId'), param(call, 'envName'));
}

function currentDeploymentId(call: ManagementCall): string {
  const record = environment(call);
  if (!record.currentDeploymentId) throw notFound(`Environment ${record.name} has no current deployment`);
  return record.currentDeploymentId;
}
