import type { z } from 'zod';
import { inferencePrefix, type InferenceTarget } from './inference-target';
import { resolveOptions, type BasetenClientOptions, type ResolvedOptions } from './options';
import { parseBodyText, parseResponse } from './parse';
import {
  activateResponseSchema,
  cancelPromotionResponseSchema,
  deactivateResponseSchema,
  deploymentMetricsSchema,
  deploymentSchema,
  deploymentsSchema,
  environmentSchema,
  environmentsSchema,
  getLogsResponseSchema,
  modelSchema,
  modelsSchema,
  signalPromotionResponseSchema,
  updateAutoscalingSettingsResponseSchema,
  type ActivateResponse,
  type CancelPromotionResponse,
  type CreateEnvironmentRequest,
  type DeactivateResponse,
  type Deployment,
  type DeploymentMetrics,
  type MetricMode,
  type Environment,
  type LogLine,
  type Model,
  type PromoteRequest,
  type PromoteToEnvironmentRequest,
  type SignalPromotionResponse,
  type UpdateAutoscalingSettings,
  type UpdateAutoscalingSettingsResponse,
  type UpdateEnvironmentRequest,
} from './schemas';
import { describeCall, Transport, type HttpMethod } from './transport';

/** A deployment id, or one of the aliases the management API accepts in its place. */
export type DeploymentRef = 'development' | 'production' | (string & {});

export interface LogsQuery {
  /** At most this many lines (Baseten allows 1-1000; its default is 500). */
  limit?: number;
  /** Window start; Baseten's default is 30 minutes before the end. */
  startEpochMillis?: number;
  /** Window end; Baseten's default is now. */
  endEpochMillis?: number;
}

/** GET .../metrics. Without `metrics`, Baseten's default set (replicas, requests by status, response time). */
export interface MetricsQuery {
  /** @default 'CURRENT' (a snapshot at now, which takes no window) */
  mode?: MetricMode;
  /** Window start; Baseten's default is one hour before the end. */
  startEpochMillis?: number;
  /** Window end; Baseten's default is now. The window may span at most 7 days. */
  endEpochMillis?: number;
  /** Metric names; unknown names are refused with a 400. */
  metrics?: string[];
}

/** Per-call options of a management or wake call. */
export interface CallOptions {
  /** This attempt's timeout; it can only shorten the client's timeoutMs. @default the client's timeoutMs @unit milliseconds */
  timeoutMs?: number;
  /** Aborts the call (an activity passes its cancellation signal, so a cancelled attempt stops its request). */
  signal?: AbortSignal;
}

export interface PredictOptions {
  /** @default the client's predictTimeoutMs @unit milliseconds */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** What a predict call returned. A non-2xx status is a result here, not an error. */
export interface PredictResult {
  status: number;
  /** Parsed JSON when the body is JSON, else its text. */
  body: unknown;
  latencyMs: number;
  /** `x-baseten-request-id`, when the gateway sent one. */
  requestId?: string;
}

/** A typed client for Baseten's management and inference APIs. It knows nothing of Temporal. */
export class BasetenClient {
  private readonly options: ResolvedOptions;
  private readonly transport: Transport;

  constructor(options: BasetenClientOptions = {}) {
    this.options = resolveOptions(options);
    this.transport = new Transport(this.options);
  }

  async getModel(modelId: string, options?: CallOptions): Promise<Model> {
    return this.management('getModel', 'GET', `/v1/models/${seg(modelId, 'modelId')}`, modelSchema, undefined, options);
  }

  /** All models of the team, or only the one named `name` (an exact match). */
  async listModels(query: { name?: string } = {}, options?: CallOptions): Promise<Model[]> {
    const path = `/v1/models${queryString({ name: query.name })}`;
    return (await this.management('listModels', 'GET', path, modelsSchema, undefined, options)).models;
  }

  async listDeployments(modelId: string, query: { name?: string } = {}, options?: CallOptions): Promise<Deployment[]> {
    const path = `/v1/models/${seg(modelId, 'modelId')}/deployments${queryString({ name: query.name })}`;
    return (await this.management('listDeployments', 'GET', path, deploymentsSchema, undefined, options)).deployments;
  }

  async getDeployment(modelId: string, deploymentId: DeploymentRef, options?: CallOptions): Promise<Deployment> {
    const path = deploymentPath(modelId, deploymentId);
    return this.management('getDeployment', 'GET', path, deploymentSchema, undefined, options);
  }

  /**
   * Promotes to production. Promoting `development` builds a NEW deployment and returns it (still building);
   * promoting a published deployment returns that same deployment.
   */
  async promoteDeployment(
    modelId: string,
    deploymentId: DeploymentRef,
    body: PromoteRequest = {},
    options?: CallOptions,
  ): Promise<Deployment> {
    const path = `${deploymentPath(modelId, deploymentId)}/promote`;
    return this.management('promoteDeployment', 'POST', path, deploymentSchema, body, options);
  }

  async promoteToEnvironment(
    modelId: string,
    envName: string,
    body: PromoteToEnvironmentRequest,
    options?: CallOptions,
  ): Promise<Deployment> {
    const path = `${environmentPath(modelId, envName)}/promote`;
    return this.management('promoteToEnvironment', 'POST', path, deploymentSchema, body, options);
  }

  async listEnvironments(modelId: string, options?: CallOptions): Promise<Environment[]> {
    const path = `/v1/models/${seg(modelId, 'modelId')}/environments`;
    return (await this.management('listEnvironments', 'GET', path, environmentsSchema, undefined, options))
      .environments;
  }

  async getEnvironment(modelId: string, envName: string, options?: CallOptions): Promise<Environment> {
    const path = environmentPath(modelId, envName);
    return this.management('getEnvironment', 'GET', path, environmentSchema, undefined, options);
  }

  async createEnvironment(
    modelId: string,
    body: CreateEnvironmentRequest,
    options?: CallOptions,
  ): Promise<Environment> {
    const path = `/v1/models/${seg(modelId, 'modelId')}/environments`;
    return this.management('createEnvironment', 'POST', path, environmentSchema, body, options);
  }

  /**
   * Updates an environment's autoscaling and promotion settings (only the fields sent). Baseten applies it
   * asynchronously: poll getEnvironment for the result. The answer is `{status, message}` (newer Baseten specs add
   * the environment, which is kept).
   */
  async updateEnvironment(
    modelId: string,
    envName: string,
    body: UpdateEnvironmentRequest,
    options?: CallOptions,
  ): Promise<UpdateAutoscalingSettingsResponse> {
    const path = environmentPath(modelId, envName);
    const schema = updateAutoscalingSettingsResponseSchema;
    return this.management('updateEnvironment', 'PATCH', path, schema, body, options);
  }

  /**
   * Cancels the environment's promotion in progress: CANCELED when it ended at once, RAMPING_DOWN while a rolling
   * promotion moves its traffic back step by step (poll getEnvironment until in_progress_promotion is CANCELED).
   */
  async cancelPromotion(modelId: string, envName: string, options?: CallOptions): Promise<CancelPromotionResponse> {
    const path = `${environmentPath(modelId, envName)}/cancel_promotion`;
    return this.management('cancelPromotion', 'POST', path, cancelPromotionResponseSchema, undefined, options);
  }

  /** Cancels the promotion in progress at once and rolls back to the previous deployment. */
  async forceCancelPromotion(
    modelId: string,
    envName: string,
    options?: CallOptions,
  ): Promise<SignalPromotionResponse> {
    return this.signalPromotion('forceCancelPromotion', 'force_cancel_promotion', modelId, envName, options);
  }

  /** Pauses a rolling promotion after its current step; the status settles to PAUSED. */
  async pausePromotion(modelId: string, envName: string, options?: CallOptions): Promise<SignalPromotionResponse> {
    return this.signalPromotion('pausePromotion', 'pause_promotion', modelId, envName, options);
  }

  /** Resumes a paused rolling promotion from where it stopped (RAMPING_UP). */
  async resumePromotion(modelId: string, envName: string, options?: CallOptions): Promise<SignalPromotionResponse> {
    return this.signalPromotion('resumePromotion', 'resume_promotion', modelId, envName, options);
  }

  /** Completes a rolling promotion at once, with all traffic on the new version, even while it rolls back. */
  async forceRollForwardPromotion(
    modelId: string,
    envName: string,
    options?: CallOptions,
  ): Promise<SignalPromotionResponse> {
    return this.signalPromotion('forceRollForwardPromotion', 'force_roll_forward_promotion', modelId, envName, options);
  }

  async activateDeployment(
    modelId: string,
    deploymentId: DeploymentRef,
    options?: CallOptions,
  ): Promise<ActivateResponse> {
    const path = `${deploymentPath(modelId, deploymentId)}/activate`;
    return this.management('activateDeployment', 'POST', path, activateResponseSchema, undefined, options);
  }

  async deactivateDeployment(
    modelId: string,
    deploymentId: DeploymentRef,
    options?: CallOptions,
  ): Promise<DeactivateResponse> {
    const path = `${deploymentPath(modelId, deploymentId)}/deactivate`;
    return this.management('deactivateDeployment', 'POST', path, deactivateResponseSchema, undefined, options);
  }

  async updateAutoscalingSettings(
    modelId: string,
    deploymentId: DeploymentRef,
    settings: UpdateAutoscalingSettings,
    options?: CallOptions,
  ): Promise<UpdateAutoscalingSettingsResponse> {
    const path = `${deploymentPath(modelId, deploymentId)}/autoscaling_settings`;
    const schema = updateAutoscalingSettingsResponseSchema;
    return this.management('updateAutoscalingSettings', 'PATCH', path, schema, settings, options);
  }

  async getDeploymentLogs(
    modelId: string,
    deploymentId: string,
    query: LogsQuery = {},
    options?: CallOptions,
  ): Promise<LogLine[]> {
    const params = queryString({
      limit: query.limit,
      start_epoch_millis: query.startEpochMillis,
      end_epoch_millis: query.endEpochMillis,
    });
    const path = `${deploymentPath(modelId, deploymentId)}/logs${params}`;
    return (await this.management('getDeploymentLogs', 'GET', path, getLogsResponseSchema, undefined, options)).logs;
  }

  /** Traffic metrics of one deployment (see `trafficSummary` in ./traffic for the numbers a watcher judges). */
  async getDeploymentMetrics(
    modelId: string,
    deploymentId: string,
    query: MetricsQuery = {},
    options?: CallOptions,
  ): Promise<DeploymentMetrics> {
    const params = queryString({
      mode: query.mode,
      start_epoch_millis: query.startEpochMillis,
      end_epoch_millis: query.endEpochMillis,
      metrics: query.metrics,
    });
    const path = `${deploymentPath(modelId, deploymentId)}/metrics${params}`;
    return this.management('getDeploymentMetrics', 'GET', path, deploymentMetricsSchema, undefined, options);
  }

  /**
   * One predict request, never retried (it may not be idempotent, and validation measures it).
   * Throws only when no HTTP response arrives (connection, timeout, abort); any status is returned.
   */
  async predict(
    modelId: string,
    target: InferenceTarget,
    body: unknown,
    options: PredictOptions = {},
  ): Promise<PredictResult> {
    const result = await this.transport.once({
      call: 'predict',
      method: 'POST',
      url: this.inferenceUrl(modelId, target, 'predict'),
      body,
      timeoutMs: options.timeoutMs ?? this.options.predictTimeoutMs,
      signal: options.signal,
    });
    const requestId = result.headers['x-baseten-request-id'];
    return {
      status: result.status,
      body: parseBodyText(result.text),
      latencyMs: result.latencyMs,
      ...(requestId ? { requestId } : {}),
    };
  }

  /** Asks Baseten to wake a scaled-to-zero deployment; it answers 202 at once. Other statuses throw an APIError. */
  async wake(modelId: string, target: InferenceTarget, options: CallOptions = {}): Promise<void> {
    await this.transport.send({
      call: 'wake',
      method: 'POST',
      url: this.inferenceUrl(modelId, target, 'wake'),
      timeoutMs: this.attemptTimeoutMs(options),
      signal: options.signal,
    });
  }

  /** A bodiless POST to one of the promotion signals, answered SignalPromotionResponseV1 (`success` false: not taken). */
  private async signalPromotion(
    call: string,
    action: string,
    modelId: string,
    envName: string,
    options?: CallOptions,
  ): Promise<SignalPromotionResponse> {
    const path = `${environmentPath(modelId, envName)}/${action}`;
    return this.management(call, 'POST', path, signalPromotionResponseSchema, undefined, options);
  }

  private async management<S extends z.ZodType>(
    call: string,
    method: HttpMethod,
    path: string,
    schema: S,
    body?: unknown,
    options: CallOptions = {},
  ): Promise<z.output<S>> {
    const request = {
      call,
      method,
      url: new URL(`${this.options.managementUrl}${path}`),
      body,
      timeoutMs: this.attemptTimeoutMs(options),
      signal: options.signal,
      // Each client method is one endpoint of Baseten's (ids aside), which is how its rate limits count.
      endpoint: `${method} ${call}`,
    };
    const result = await this.transport.send(request);
    return parseResponse(call, describeCall(request), result.text, schema);
  }

  /** The client's timeout bounds every management and wake attempt; a call may ask for less, never more. */
  private attemptTimeoutMs(options: CallOptions): number {
    return Math.min(options.timeoutMs ?? this.options.timeoutMs, this.options.timeoutMs);
  }

  private inferenceUrl(modelId: string, target: InferenceTarget, action: 'predict' | 'wake'): URL {
    const base = this.options.inferenceUrl.replaceAll('{model_id}', seg(modelId, 'modelId'));
    return new URL(`${base}${inferencePrefix(target)}/${action}`);
  }
}

/** One path segment: ids come from users and config files, so they are always encoded, and never blank. */
function seg(value: string, what: string): string {
  if (!value.trim()) throw new TypeError(`Baseten client: ${what} must not be empty`);
  return encodeURIComponent(value);
}

function deploymentPath(modelId: string, deploymentId: DeploymentRef): string {
  return `/v1/models/${seg(modelId, 'modelId')}/deployments/${seg(deploymentId, 'deploymentId')}`;
}

function environmentPath(modelId: string, envName: string): string {
  return `/v1/models/${seg(modelId, 'modelId')}/environments/${seg(envName, 'envName')}`;
}

/** Arrays repeat their key (`metrics=a&metrics=b`), as Baseten's API reads list parameters. */
function queryString(params: Record<string, string | number | string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (Array.isArray(value)) for (const item of value) search.append(key, item);
    else if (value !== undefined) search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
