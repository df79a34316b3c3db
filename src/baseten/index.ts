export {
  BasetenClient,
  type CallOptions,
  type DeploymentRef,
  type LogsQuery,
  type MetricsQuery,
  type PredictOptions,
  type PredictResult,
} from './client';
export type { BasetenClientOptions, BasetenLogger } from './options';
export { defaultInferenceUrl, defaultManagementUrl } from './options';
export * from './errors';
export { backoffMs, shouldRetry } from './retry';
export { inferencePrefix, type InferenceTarget } from './inference-target';
export * from './schemas';
export { recentSteps, trafficSummary, type TrafficSummary } from './traffic';
