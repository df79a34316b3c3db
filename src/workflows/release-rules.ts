import type { InferenceTarget } from '../baseten/inference-target';
import type { PromoteInput } from '../activities/promote';
import type { SmokeCheck } from '../activities/smoke';
import type { ValidationSpec } from '../validation/schema';
import type { WatchSettings } from '../activities/observe-types';
import type { DeployInput, DeployResult, ReleaseTimeouts } from './types';
import { defaultWatchSettings } from './watch-rules';

// Pure decisions of a release, derived from its input: no workflow APIs here, so they are unit-tested directly.

export const defaultTimeouts: Required<ReleaseTimeouts> = {
  buildMs: 30 * 60_000,
  verifyMs: 10 * 60_000,
  prepareMs: 15 * 60_000,
  pushScheduleToStartMs: 5 * 60_000,
  cancelPromotionMs: 10 * 60_000,
  gracefulCancelMs: 2 * 60_000,
  rolloutStepMs: 30 * 60_000,
};

export function releaseTimeouts(input: DeployInput): Required<ReleaseTimeouts> {
  return { ...defaultTimeouts, ...input.timeouts };
}

/** Why the input cannot be released, or undefined. The CLI checks first; this guards other clients. */
export function inputProblem(input: DeployInput): string | undefined {
  if (!input.modelName.trim()) return 'modelName is empty';
  if (!input.environment.trim()) return 'environment is empty';
  if (input.candidate.kind === 'development' && input.environment !== 'production') {
    return `a development candidate can only be promoted to production, not to ${input.environment}`;
  }
  if (input.candidate.kind === 'environment' && input.candidate.name === input.environment) {
    return `the candidate environment ${input.candidate.name} is the environment being released into`;
  }
  if (input.validation.cases.length === 0) return 'validation has no cases';
  if (input.approval && !(input.approval.timeoutMs > 0)) return 'approval.timeoutMs must be positive';
  if (input.rollout !== undefined && input.rollout !== 'rolling') return `unknown rollout "${String(input.rollout)}"`;
  if (input.rollout === 'rolling' && input.candidate.kind === 'development') {
    return 'a development candidate cannot be rolled out (its promotion builds a new deployment)';
  }
  return undefined;
}

/** The first validation case, replayed after promotion as the smoke test of production. */
export function smokeCheck(spec: ValidationSpec): SmokeCheck | undefined {
  const first = spec.cases[0];
  return first && { caseName: first.name, input: first.input, expectStatus: first.expect.status };
}

/** Where validation sends its requests: the exact candidate, or the development alias for a development one. */
export function candidateTarget(input: DeployInput, deploymentId: string): InferenceTarget {
  return input.candidate.kind === 'development' ? { kind: 'development' } : { kind: 'deployment', deploymentId };
}

/** The inference target that serves an environment. */
export function environmentTarget(environment: string): InferenceTarget {
  return environment === 'production' ? { kind: 'production' } : { kind: 'environment', name: environment };
}

/** Production is compared with the candidate only when the validation file asks for it. */
export function comparisonTarget(input: DeployInput): InferenceTarget | undefined {
  return input.validation.compareWithProduction ? environmentTarget(input.environment) : undefined;
}

/**
 * Which promote endpoint a release uses: the deployment form for production (the only form that can
 * promote the development deployment), the environment form for other environments and for candidates
 * that were pushed into an environment.
 */
export function promotionVia(input: DeployInput): PromoteInput['via'] {
  if (input.candidate.kind === 'development') return 'deployment';
  return input.environment === 'production' && input.candidate.kind === 'published' ? 'deployment' : 'environment';
}

/** Reverting promotes a known deployment back: the deployment form for production, else the environment form. */
export function revertVia(environment: string): PromoteInput['via'] {
  return environment === 'production' ? 'deployment' : 'environment';
}

/**
 * The watcher's settings for a release: the watcher's defaults, then the validation file's `watch` section, then
 * the release's own options. The probe is the named validation case, sent to the environment with its latency limit.
 */
export function watchSettings(input: DeployInput): WatchSettings {
  const file = input.validation.watch;
  const { enabled: _enabled, ...overrides } = input.watch ?? {};
  const probeCase = file?.probe ? input.validation.cases.find((c) => c.name === file.probe?.case) : undefined;
  return {
    ...defaultWatchSettings,
    ...definedOnly({
      intervalMs: file?.interval,
      unhealthyAfter: file?.unhealthyAfter,
      maxErrorRate: file?.maxErrorRate,
      maxP95Ms: file?.maxP95,
      minRequests: file?.minRequests,
      windowMs: file?.window,
    }),
    ...definedOnly(overrides),
    ...(probeCase
      ? {
          probe: {
            caseName: probeCase.name,
            input: probeCase.input,
            expectStatus: probeCase.expect.status,
            ...(file?.probe?.maxLatency !== undefined ? { maxLatencyMs: file.probe.maxLatency } : {}),
          },
        }
      : {}),
  };
}

/** What a release's watcher watches, and falls back to, once the release has ended; undefined: no watcher. */
export function watcherTarget(
  input: DeployInput,
  result: DeployResult,
  retired: { watchedDeploymentId?: string; fallbackDeploymentId?: string } | undefined,
): { deploymentId: string; fallbackDeploymentId?: string } | undefined {
  const failedBeforePromote = result.status === 'failed' && !result.promotionAttempted;
  // A watcher this release stopped before its promotion comes back when the promotion never happened.
  if (failedBeforePromote && retired?.watchedDeploymentId) {
    return { deploymentId: retired.watchedDeploymentId, fallbackDeploymentId: retired.fallbackDeploymentId };
  }
  if (input.watch?.enabled === false) return undefined;
  if (result.status === 'promoted' && result.productionDeploymentId) {
    return {
      deploymentId: result.productionDeploymentId,
      fallbackDeploymentId: result.previousProductionDeploymentId,
    };
  }
  // After a failed promotion that was reverted, guard the restored deployment (there is nothing to fall back to).
  if (result.status === 'failed' && result.reverted && result.previousProductionDeploymentId) {
    return { deploymentId: result.previousProductionDeploymentId };
  }
  return undefined;
}

function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}
