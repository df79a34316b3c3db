import type { EmulatorContext } from '../context';
import { emulatorInstanceType, emulatorTeamName } from '../state/defaults';
import type { DeploymentRecord, ModelRecord } from '../state/types';
import { productionDeploymentId } from '../state/views';
import { configProblems, decodeTrussConfig } from './config-check';
import { stringArg, type GraphqlOperation } from './graphql-parse';
import { deployUpload, stringLabels, uploadStoreFor } from './uploads';

/** A GraphQL error as truss reads it: `errors[0].message` and `errors[0].extensions.code`. */
export class GraphqlError extends Error {
  override readonly name = 'GraphqlError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Data = Record<string, unknown>;
type Resolver = (ctx: EmulatorContext, op: GraphqlOperation) => Data | Promise<Data>;

/** The emulator has one team; truss must see exactly one (or the trussrc's) to push without prompting. */
const team = { id: emulatorTeamName, name: emulatorTeamName };

/** The model host truss calls for predictions; it reaches us through HTTP_PROXY like every other host. */
export function modelHostname(modelId: string): string {
  return `http://model-${modelId}.localhost:8000`;
}

function required(op: GraphqlOperation, name: string): string {
  const value = stringArg(op, name);
  if (!value) throw new GraphqlError('BAD_USER_INPUT', `${op.field}: argument ${name} is required`);
  return value;
}

function findModel(ctx: EmulatorContext, op: GraphqlOperation): ModelRecord {
  const id = stringArg(op, 'id');
  const name = stringArg(op, 'name');
  const models = [...ctx.service.store.models.values()];
  const model = id ? ctx.service.store.models.get(id) : models.find((m) => m.name === name);
  if (!model) throw new GraphqlError('RESOURCE_NOT_FOUND', `Model ${id ?? name ?? '?'} not found`);
  return model;
}

function versionGraph(ctx: EmulatorContext, dep: DeploymentRecord): Data {
  return {
    id: dep.id,
    semver: `0.${ctx.service.store.deploymentsOf(dep.modelId).indexOf(dep) + 1}.0`,
    truss_hash: dep.id,
    truss_signature: '',
    is_draft: dep.isDevelopment,
    is_primary: productionDeploymentId(ctx.service.store, dep.modelId) === dep.id,
    current_model_deployment_status: { status: dep.status },
  };
}

function modelGraph(ctx: EmulatorContext, model: ModelRecord): Data {
  const deployments = ctx.service.store.deploymentsOf(model.id);
  // As on Baseten, the primary version falls back to the development one while nothing is published.
  const primaryId = productionDeploymentId(ctx.service.store, model.id) ?? model.developmentDeploymentId;
  const primary = deployments.find((d) => d.id === primaryId);
  return {
    id: model.id,
    name: model.name,
    hostname: modelHostname(model.id),
    team,
    primary_version: primary ? versionGraph(ctx, primary) : null,
    versions: deployments.map((d) => versionGraph(ctx, d)),
  };
}

/** What the create mutations answer: the new deployment (`model_version`) and its model (`oracle`). */
function created(field: string, result: Awaited<ReturnType<typeof deployUpload>>): Data {
  const { model, deployment } = result;
  return {
    [field]: {
      model_version: {
        id: deployment.id,
        oracle: { id: model.id, name: model.name, hostname: modelHostname(model.id) },
        instance_type: { name: deployment.instance_type_name ?? emulatorInstanceType.name },
      },
    },
  };
}

function labelsArg(op: GraphqlOperation): Record<string, string> | undefined {
  const text = stringArg(op, 'user_deploy_metadata');
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new GraphqlError('BAD_USER_INPUT', 'user_deploy_metadata is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new GraphqlError('BAD_USER_INPUT', 'user_deploy_metadata must be a JSON object');
  return stringLabels(parsed as Record<string, unknown>);
}

const resolvers: Record<string, Resolver> = {
  teams: () => ({ teams: [{ ...team, default: true }] }),
  organization: () => ({
    organization: { id: emulatorTeamName, workspace_name: emulatorTeamName },
    user: { email: 'emulator@localhost' },
  }),
  models: (ctx, op) => {
    const teamId = stringArg(op, 'team_id');
    const visible = op.args.chainlets_only !== true && (teamId === undefined || teamId === team.id);
    const models = visible ? [...ctx.service.store.models.values()] : [];
    return { models: models.map((m) => ({ id: m.id, name: m.name, team })) };
  },
  model: (ctx, op) => ({ model: modelGraph(ctx, findModel(ctx, op)) }),
  model_version: (ctx, op) => {
    const dep = ctx.service.store.deployments.get(required(op, 'id'));
    if (!dep) throw new GraphqlError('RESOURCE_NOT_FOUND', `Model version ${stringArg(op, 'id')} not found`);
    const model = ctx.service.getModel(dep.modelId);
    return {
      model_version: {
        ...versionGraph(ctx, dep),
        oracle: { id: model.id, name: model.name, hostname: modelHostname(model.id) },
      },
    };
  },
  truss_validation: (_ctx, op) => {
    const config = decodeTrussConfig(required(op, 'config'));
    const errors = config === undefined ? ['config: not base64-encoded JSON'] : configProblems(config);
    return { truss_validation: { success: errors.length === 0, details: JSON.stringify({ warnings: [], errors }) } };
  },
  model_s3_upload_credentials: (ctx) => {
    const grant = uploadStoreFor(ctx).grant();
    return {
      model_s3_upload_credentials: {
        s3_bucket: grant.bucket,
        s3_key: grant.key,
        aws_access_key_id: grant.accessKeyId,
        aws_secret_access_key: grant.secretAccessKey,
        aws_session_token: grant.sessionToken,
        // truss passes every other key to boto3.resource(): this is how its upload reaches us.
        endpoint_url: ctx.urls.url,
        region_name: grant.region,
      },
    };
  },
  create_model_from_truss: async (ctx, op) =>
    created(
      op.field,
      await deployUpload(ctx, required(op, 's3_key'), {
        modelName: required(op, 'name'),
        deploymentName: stringArg(op, 'version_name'),
        environmentName: stringArg(op, 'environment_name'),
        labels: labelsArg(op),
      }),
    ),
  create_model_version_from_truss: async (ctx, op) =>
    created(
      op.field,
      await deployUpload(ctx, required(op, 's3_key'), {
        modelId: ctx.service.getModel(required(op, 'model_id')).id,
        deploymentName: stringArg(op, 'name'),
        environmentName: stringArg(op, 'environment_name'),
        scaleDownPrevious: op.args.scale_down_old_production !== false,
        labels: labelsArg(op),
      }),
    ),
  deploy_draft_truss: async (ctx, op) =>
    created(
      op.field,
      await deployUpload(ctx, required(op, 's3_key'), {
        modelName: required(op, 'name'),
        isDevelopment: true,
        labels: labelsArg(op),
      }),
    ),
};

/** Answers one operation's `data`; throws GraphqlError (or a ServiceError from the lifecycle) when it cannot. */
export async function resolve(ctx: EmulatorContext, op: GraphqlOperation): Promise<Data> {
  const resolver = resolvers[op.field];
  if (!resolver) throw new GraphqlError('GRAPHQL_VALIDATION_FAILED', `Cannot query field "${op.field}"`);
  return resolver(ctx, op);
}
