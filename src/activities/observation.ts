import { z } from 'zod';
import { deploymentStatuses } from '../baseten/schemas';
import type { TrafficSummary } from '../baseten/traffic';
import type { Observation, WatchSettings } from './observe-types';
import type { SmokeOutcome } from './smoke';

/** Observation as checked when it comes back from a heartbeat (the wire is untyped). */
export const observationSchema = z.object({
  at: z.number(),
  status: deploymentStatuses.optional(),
  servingDeploymentId: z.string().nullable().optional(),
  requests: z.number().optional(),
  errorRate: z.number().optional(),
  p95Ms: z.number().optional(),
  probe: z
    .object({
      ok: z.boolean(),
      status: z.number().optional(),
      latencyMs: z.number().optional(),
      reason: z.string().optional(),
    })
    .optional(),
  bad: z.boolean(),
  reasons: z.array(z.string()),
  doubtful: z.boolean().optional(),
}) satisfies z.ZodType<Observation>;

/** Real traffic over the window, and over its recent part on its own (since the last good look). */
export interface ObservedTraffic {
  window: TrafficSummary;
  recent: TrafficSummary;
  /** Where the recent part starts (epoch ms). */
  recentFrom: number;
}

/** What one look at production saw, before it is judged. */
export interface ObservationFacts {
  at: number;
  status?: Observation['status'];
  servingDeploymentId: string | null;
  /** Absent when the metrics could not be read. */
  traffic?: ObservedTraffic;
  probe?: SmokeOutcome;
}

const percent = (share: number) => `${+(share * 100).toFixed(1)}%`;

/**
 * Judges one look at production: bad when the watched deployment is UNHEALTHY or FAILED, when real traffic (with at
 * least `minRequests` requests) has too many 5xx or too slow a p95, over the window or over its recent part alone
 * (since the last good look: a sharp rise shows there before it outweighs a window of good traffic), or when the
 * probe failed.
 */
export function judge(facts: ObservationFacts, settings: WatchSettings): Observation {
  const reasons: string[] = [];
  if (facts.status === 'UNHEALTHY' || facts.status === 'FAILED') reasons.push(`status ${facts.status}`);
  const observed = facts.traffic;
  const traffic = observed?.window;
  let rising = false;
  if (observed) {
    const recentS = Math.max(1, Math.round((facts.at - observed.recentFrom) / 1000));
    const spans = [
      { summary: observed.recent, over: `over the last ${recentS} s` },
      { summary: observed.window, over: `over the last ${Math.round(settings.windowMs / 1000)} s` },
    ];
    // Only a span with enough requests is judged; the recent part first: when both are over, it says how bad it
    // is now.
    const judged = spans.filter(({ summary }) => summary.requests >= settings.minRequests);
    const errors = judged.find(
      ({ summary }) => summary.errorRate !== undefined && summary.errorRate > settings.maxErrorRate,
    );
    if (errors) {
      const { summary, over } = errors;
      reasons.push(
        `5xx share ${percent(summary.errorRate ?? 0)} of ${summary.requests} requests ${over}, over ${percent(settings.maxErrorRate)}`,
      );
    }
    const { maxP95Ms } = settings;
    const slow =
      maxP95Ms === undefined
        ? undefined
        : judged.find(({ summary }) => summary.p95Ms !== undefined && summary.p95Ms > maxP95Ms);
    if (slow) reasons.push(`p95 ${Math.round(slow.summary.p95Ms ?? 0)} ms ${slow.over}, over ${maxP95Ms} ms`);
    // Errors that began just before this look are too few to judge yet (one in twenty is not over 5 %).
    const { recent, window } = observed;
    rising =
      recent.requests >= settings.minRequests &&
      recent.errors5xx > 0 &&
      (recent.errorRate ?? 0) > (window.errorRate ?? 0);
  }
  if (facts.probe && !facts.probe.ok) reasons.push(`probe failed: ${facts.probe.reason ?? 'no answer'}`);
  return {
    at: facts.at,
    ...(facts.status ? { status: facts.status } : {}),
    servingDeploymentId: facts.servingDeploymentId,
    ...(traffic
      ? {
          requests: traffic.requests,
          ...(traffic.errorRate !== undefined ? { errorRate: traffic.errorRate } : {}),
          ...(traffic.p95Ms !== undefined ? { p95Ms: traffic.p95Ms } : {}),
        }
      : {}),
    ...(facts.probe
      ? {
          probe: {
            ok: facts.probe.ok,
            ...(facts.probe.status !== undefined ? { status: facts.probe.status } : {}),
            ...(facts.probe.latencyMs !== undefined ? { latencyMs: facts.probe.latencyMs } : {}),
            ...(facts.probe.reason ? { reason: facts.probe.reason } : {}),
          },
        }
      : {}),
    bad: reasons.length > 0,
    reasons,
    ...(rising && reasons.length === 0 ? { doubtful: true } : {}),
  };
}
