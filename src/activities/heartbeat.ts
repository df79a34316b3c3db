import { activityInfo, cancellationSignal, heartbeat } from '@temporalio/activity';
import type { CallOptions } from '../baseten/client';

/** Share of the heartbeat timeout one Baseten call may take, so a silent call ends before its attempt is declared dead. */
const callShareOfHeartbeat = 0.8;
/** What an attempt keeps back from its start-to-close timeout for reporting its own result. */
const attemptMarginMs = 2_000;

/** A third of the heartbeat timeout, so two beats may be lost (the SDK throttles them anyway). */
export function heartbeatTickMs(heartbeatTimeoutMs: number | undefined): number {
  return heartbeatTimeoutMs ? Math.min(10_000, Math.max(100, Math.floor(heartbeatTimeoutMs / 3))) : 10_000;
}

/**
 * Runs `work` while heart-beating `details()` every tick, so an attempt waiting on a slow call stays alive and
 * learns of its cancellation (cancellation arrives with a heartbeat's answer).
 */
export async function whileHeartbeating<T>(details: () => unknown, work: () => Promise<T>): Promise<T> {
  heartbeat(details());
  const ticker = setInterval(() => heartbeat(details()), heartbeatTickMs(activityInfo().heartbeatTimeoutMs));
  try {
    return await work();
  } finally {
    clearInterval(ticker);
  }
}

/**
 * Options for one Baseten call of the running attempt: aborted when the activity is cancelled, and timed out
 * inside the attempt's heartbeat window and before its start-to-close deadline. Temporal starts the next attempt
 * only after it gave this one up, so two attempts' calls are never in flight at once.
 */
export function attemptCallOptions(now: number = Date.now()): CallOptions {
  const info = activityInfo();
  const limits: number[] = [];
  if (info.heartbeatTimeoutMs) limits.push(Math.floor(info.heartbeatTimeoutMs * callShareOfHeartbeat));
  if (info.startToCloseTimeoutMs) {
    limits.push(info.currentAttemptScheduledTimestampMs + info.startToCloseTimeoutMs - attemptMarginMs - now);
  }
  const timeoutMs = limits.length > 0 ? Math.max(1_000, Math.min(...limits)) : undefined;
  return { signal: cancellationSignal(), ...(timeoutMs === undefined ? {} : { timeoutMs }) };
}
