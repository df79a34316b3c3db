import { sleep as activitySleep } from '@temporalio/activity';
import type { BasetenClient } from '../baseten/client';

/** The part of the Baseten client the release activities use (a Pick, so tests can pass a typed fake). */
export type BasetenApi = Pick<
  BasetenClient,
  | 'getModel'
  | 'getDeployment'
  | 'getEnvironment'
  | 'promoteDeployment'
  | 'promoteToEnvironment'
  | 'cancelPromotion'
  | 'forceCancelPromotion'
  | 'pausePromotion'
  | 'resumePromotion'
  | 'forceRollForwardPromotion'
  | 'updateEnvironment'
  | 'activateDeployment'
  | 'deactivateDeployment'
  | 'getDeploymentLogs'
  | 'getDeploymentMetrics'
  | 'predict'
  | 'wake'
>;

/** How often the activities poll Baseten while they wait for a state change. */
export interface PollSettings {
  /** First wait between two reads. @unit ms @default 1000 */
  initialMs: number;
  /** Longest wait between two reads. @unit ms @default 10000 */
  maxMs: number;
}

export interface ActivityDeps {
  baseten: BasetenApi;
  /** @default Date.now */
  clock?: () => number;
  /** @default the activity context's cancellation-aware sleep */
  sleep?: (ms: number) => Promise<void>;
  poll?: Partial<PollSettings>;
}

export interface ResolvedDeps {
  baseten: BasetenApi;
  clock: () => number;
  sleep: (ms: number) => Promise<void>;
  poll: PollSettings;
}

export function resolveDeps(deps: ActivityDeps): ResolvedDeps {
  return {
    baseten: deps.baseten,
    clock: deps.clock ?? Date.now,
    sleep: deps.sleep ?? activitySleep,
    poll: { initialMs: deps.poll?.initialMs ?? 1000, maxMs: deps.poll?.maxMs ?? 10_000 },
  };
}

/** The next wait of a poll loop: grows by half each time, capped. */
export function nextPollDelay(previousMs: number | undefined, poll: PollSettings): number {
  if (previousMs === undefined) return poll.initialMs;
  return Math.min(poll.maxMs, Math.ceil(previousMs * 1.5));
}
