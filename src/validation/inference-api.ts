import type { InferenceTarget } from '../baseten/inference-target';

/**
 * The part of the Baseten client validation needs. BasetenClient satisfies it as is; keeping it this
 * narrow lets unit tests pass a small typed fake.
 */
export interface InferenceApi {
  /** Never throws on an HTTP status; throws only when no response arrives (connection, timeout, abort). */
  predict(
    modelId: string,
    target: InferenceTarget,
    body: unknown,
    options?: { timeoutMs?: number; signal?: AbortSignal },
  ): Promise<{ status: number; body: unknown; latencyMs: number; requestId?: string }>;
  wake(modelId: string, target: InferenceTarget): Promise<void>;
  /** `environment`: the environment this deployment serves, if any. */
  getDeployment(modelId: string, deploymentId: string): Promise<{ status: string; environment: string | null }>;
}
