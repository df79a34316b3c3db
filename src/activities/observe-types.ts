import type { DeploymentStatus } from '../baseten/schemas';
import type { SmokeCheck } from './smoke';

// The data a watcher's observation activity works with; the watchProduction workflow imports them as types.

/** How a watcher judges production. Every field has the default a user would pick (see watch-rules.ts). */
export interface WatchSettings {
  /** Time between two observations. @unit ms @default 10_000 */
  intervalMs: number;
  /** Consecutive bad observations before production is reverted. @default 2 */
  unhealthyAfter: number;
  /** The 5xx share of real traffic over the window above which an observation is bad, 0..1. @default 0.05 */
  maxErrorRate: number;
  /** The p95 latency of real traffic above which an observation is bad. @unit ms @default unset (not judged) */
  maxP95Ms?: number;
  /** Real traffic is judged only over a window with at least this many requests. @default 20 */
  minRequests: number;
  /** The window of real traffic each observation judges. @unit ms @default 60_000 */
  windowMs: number;
  /** A synthetic probe: a validation case sent to the environment's endpoint, with its own latency limit. */
  probe?: SmokeCheck;
}

/** One look at production. Times are workflow or activity epoch milliseconds. */
export interface Observation {
  at: number;
  /** The watched deployment's status. */
  status?: DeploymentStatus;
  /** The deployment the environment serves (null: none). */
  servingDeploymentId?: string | null;
  /** Real traffic over the window: requests, 5xx share and p95. */
  requests?: number;
  errorRate?: number;
  p95Ms?: number;
  probe?: { ok: boolean; status?: number; latencyMs?: number; reason?: string };
  /** Whether this observation counts as bad, and why (one line each). */
  bad: boolean;
  reasons: string[];
  /**
   * Not bad, but 5xx have begun: the recent traffic has some, at a higher share than the window's. The watcher
   * looks again soon, judging from the same starting point, instead of a whole interval later.
   */
  doubtful?: boolean;
}
