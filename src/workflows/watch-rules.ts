import type { RevertTimeouts, RollbackRequest, WatchSettings, WatchStage } from './watch-types';

// Pure decisions of a watcher: no workflow APIs here, so they are unit-tested directly.

/** The defaults a user would pick: look every 10 s, revert after 2 bad looks, 5 % of 5xx is bad. */
export const defaultWatchSettings: WatchSettings = {
  intervalMs: 10_000,
  unhealthyAfter: 2,
  maxErrorRate: 0.05,
  minRequests: 20,
  windowMs: 60_000,
};

export const defaultRevertTimeouts: RevertTimeouts = {
  prepareMs: 15 * 60_000,
  verifyMs: 10 * 60_000,
  cancelPromotionMs: 10 * 60_000,
  gracefulCancelMs: 2 * 60_000,
};

/** How long one observation activity runs before it reports back, when nothing happens: 2 results an hour. */
export const observationSliceMs = 30 * 60_000;

/** A failed revert is tried again, with growing pauses, until this long after the incident. */
export const revertDeadlineMs = 15 * 60_000;
/** The pauses between two tries of a revert. */
export const revertRetryPausesMs = [10_000, 30_000, 60_000, 120_000];

/** A run continues as new after this many observation slices (a day at the default slice)... */
export const slicesPerRun = 48;
/** ...or once its history is this long, whichever comes first (the server's own suggestion also counts). */
export const maxEventsPerRun = 2_000;

/** How many observations and incidents the state keeps (the newest). */
export const keptObservations = 5;
export const keptIncidents = 20;
export const keptRejectedSignals = 10;

const maxReasonLength = 500;
const deploymentIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** Why a rollback request cannot be carried out now, or undefined (the update's validator, and the signal's check). */
export function rollbackProblem(
  request: unknown,
  state: { stage: WatchStage; watchedDeploymentId: string; fallbackDeploymentId?: string },
): string | undefined {
  const shape = requestProblem(request, { to: 'optional' });
  if (shape) return shape;
  const { to } = request as RollbackRequest;
  if (state.stage === 'superseded') return 'the watcher has ended (superseded)';
  if (state.stage === 'reverting') return 'a revert is already in progress';
  if (to !== undefined && to === state.watchedDeploymentId) return `${to} is already the deployment in production`;
  if (to === undefined && !state.fallbackDeploymentId) {
    return 'there is no previous deployment to roll back to: name one with "to"';
  }
  return undefined;
}

/** Why a pause request cannot be carried out, or undefined. */
export function pauseProblem(request: unknown, state: WatchModeState): string | undefined {
  const shape = requestProblem(request, {});
  if (shape) return shape;
  if (state.stage === 'superseded') return 'the watcher has ended (superseded)';
  if (state.mode === 'paused') return 'the watcher is already paused';
  return undefined;
}

/** Why a resume cannot be carried out, or undefined. */
export function resumeProblem(state: WatchModeState): string | undefined {
  if (state.stage === 'superseded') return 'the watcher has ended (superseded)';
  return state.mode === 'paused' ? undefined : `the watcher is not paused (stage: ${state.stage})`;
}

interface WatchModeState {
  stage: WatchStage;
  mode: 'automatic' | 'paused';
}

function requestProblem(request: unknown, fields: { to?: 'optional' }): string | undefined {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return 'expected a JSON object like {"reason": "..."}';
  }
  const body = request as Record<string, unknown>;
  const allowed = new Set(['reason', 'by', ...(fields.to ? ['to'] : [])]);
  const unknown = Object.keys(body).filter((key) => !allowed.has(key));
  if (unknown.length > 0)
    return `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}`;
  if (typeof body.reason !== 'string' || !body.reason.trim()) return '"reason" is required (a non-empty string)';
  if (body.reason.length > maxReasonLength) return `"reason" is longer than ${maxReasonLength} characters`;
  if (body.by !== undefined && typeof body.by !== 'string') return '"by" must be a string';
  if (body.to !== undefined && (typeof body.to !== 'string' || !deploymentIdPattern.test(body.to))) {
    return '"to" must be a deployment id';
  }
  return undefined;
}

/** Whether a run should hand over to a new one (continue-as-new) before its history grows large. */
export function shouldContinueAsNew(run: { slices: number; historyLength: number; suggested: boolean }): boolean {
  return run.suggested || run.slices >= slicesPerRun || run.historyLength >= maxEventsPerRun;
}

/** Keeps the newest `count` items. */
export function newest<T>(items: readonly T[], count: number): T[] {
  return items.slice(Math.max(0, items.length - count));
}
