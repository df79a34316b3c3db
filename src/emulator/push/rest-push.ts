import { z } from 'zod';
import type { EmulatorContext } from '../context';
import { managementError } from '../http/http-error';
import { parseJsonBody } from '../http/json-body';
import type { Router } from '../http/router';
import { emulatorTeamName } from '../state/defaults';
import { ok, param, type ManagementCall, type ManagementHandler } from '../management/route-types';
import { ArchiveError } from './archive';
import { configProblems } from './config-check';
import { UploadError } from './upload-store';
import { deployUpload, stringLabels, uploadStoreFor } from './uploads';

/** DeploymentArchivePayloadV1 (management-openapi.json). */
const deploymentPayload = z
  .object({
    config: z.record(z.string(), z.unknown()),
    raw_config: z.string().nullish(),
    user_env: z.record(z.string(), z.unknown()).nullish(),
    environment_name: z.string().min(1).nullish(),
    preserve_env_instance_type: z.boolean().default(true),
    deploy_timeout_minutes: z.number().int().min(10).max(1440).nullish(),
    deployment_name: z
      .string()
      .regex(/^[0-9a-zA-Z_.-]+$/, 'may only contain letters, digits, "_", "-" and "."')
      .nullish(),
    labels: z.record(z.string(), z.unknown()).nullish(),
    is_development: z.boolean().default(false),
  })
  .refine((d) => !d.is_development || (!d.environment_name && !d.deployment_name && d.preserve_env_instance_type), {
    message: 'is_development requires environment_name, deployment_name and preserve_env_instance_type at defaults',
    path: ['is_development'],
  });
type DeploymentPayload = z.output<typeof deploymentPayload>;

const prepareRequest = z
  .object({
    deployment: deploymentPayload,
    name: z.string().min(1).nullish(),
    team_id: z.string().nullish(),
    model_id: z.string().nullish(),
    dry_run: z.boolean().default(false),
  })
  .refine((r) => !r.name !== !r.model_id, { message: 'exactly one of name or model_id is required', path: ['name'] })
  .refine((r) => !(r.model_id && r.team_id), { message: 'must not be set together with model_id', path: ['team_id'] });

const createModelRequest = z.object({
  source: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('model_archive'),
      name: z.string().min(1),
      deployment: deploymentPayload,
      s3_key: z.string().min(1),
      disable_archive_download: z.boolean().default(false),
    }),
    z.object({ kind: z.literal('library_listing') }).loose(),
  ]),
});

const createDeploymentRequest = z.object({
  source: z.object({ kind: z.literal('model_archive'), deployment: deploymentPayload, s3_key: z.string().min(1) }),
});

/** The config must pass the same check the build will make, before anything is uploaded or created. */
function checkConfig(payload: DeploymentPayload): void {
  const problems = configProblems(payload.config);
  if (problems.length > 0) throw managementError(400, `Invalid deployment.config: ${problems.join('; ')}`);
}

function checkTeam(teamId: string | null | undefined): void {
  if (teamId && teamId !== emulatorTeamName) throw managementError(404, `Team ${teamId} not found`);
}

async function commit(
  ctx: EmulatorContext,
  s3Key: string,
  payload: DeploymentPayload,
  target: { modelId?: string; modelName?: string },
) {
  checkConfig(payload);
  try {
    return await deployUpload(ctx, s3Key, {
      ...target,
      isDevelopment: payload.is_development,
      environmentName: payload.environment_name ?? undefined,
      deploymentName: payload.deployment_name ?? undefined,
      labels: stringLabels(payload.labels),
    });
  } catch (err) {
    if (err instanceof UploadError || err instanceof ArchiveError) throw managementError(400, err.message);
    throw err;
  }
}

/**
 * The REST push flow (what baseten-go, the baseten CLI and terraform use): `prepare_model_upload`
 * issues upload credentials for the S3 front, then `POST /v1/models` or
 * `POST /v1/models/{model_id}/deployments` turns the uploaded archive into a deployment.
 */
export function addPushRoutes(router: Router<ManagementHandler>, ctx: EmulatorContext): void {
  const createModel = (teamFromPath: boolean) => async (call: ManagementCall) => {
    if (teamFromPath) checkTeam(param(call, 'teamId'));
    const { source } = await parseJsonBody(call.req, createModelRequest);
    if (source.kind !== 'model_archive')
      throw managementError(400, 'source.kind "library_listing" is not supported by the emulator');
    const existing = [...call.service.store.models.values()].find((m) => m.name === source.name);
    if (existing)
      throw managementError(
        409,
        `A model named "${source.name}" already exists (${existing.id}): add a deployment with POST /v1/models/${existing.id}/deployments`,
      );
    return ok(await commit(ctx, source.s3_key, source.deployment, { modelName: source.name }));
  };

  router
    .add('POST', '/v1/prepare_model_upload', async (call) => {
      const body = await parseJsonBody(call.req, prepareRequest);
      checkTeam(body.team_id);
      if (body.model_id) call.service.getModel(body.model_id);
      checkConfig(body.deployment);
      if (body.dry_run) return ok({ creds: null, s3_bucket: null, s3_key: null, s3_region: null });
      const grant = uploadStoreFor(ctx).grant();
      return ok({
        creds: {
          aws_access_key_id: grant.accessKeyId,
          aws_secret_access_key: grant.secretAccessKey,
          aws_session_token: grant.sessionToken,
        },
        s3_bucket: grant.bucket,
        s3_key: grant.key,
        s3_region: grant.region,
      });
    })
    .add('POST', '/v1/models', createModel(false))
    .add('POST', '/v1/teams/:teamId/models', createModel(true))
    .add('POST', '/v1/models/:modelId/deployments', async (call) => {
      const modelId = call.service.getModel(param(call, 'modelId')).id;
      const { source } = await parseJsonBody(call.req, createDeploymentRequest);
      return ok(await commit(ctx, source.s3_key, source.deployment, { modelId }));
    });
}
