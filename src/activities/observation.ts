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
}) satisfies z.ZodType<Observation>;

/** What one look at production saw, before it is judged. */
export interface ObservationFacts {
  at: number;
  status?: Observation['status'];
  servingDeploymentId: string | null;
  /** Absent when the metrics could not be read. */
  traffic?: TrafficSummary;
  probe?: SmokeOutcome;
}

const percent = (share: number) => `${+(share * 100).toFixed(1)}%`;

/**
 * Judges one look at production: bad when the watched deployment is UNHEALTHY or FAILED, when real traffic over
 * the window (with at least `minRequests` requests) has too many 5xx or too slow a p95, or when the probe failed.
 */
export function judge(facts: ObservationFacts, settings: WatchSettings): Observation {
  const reasons: string[] = [];
  if (facts.status === 'UNHEALTHY' || facts.status === 'FAILED') reasons.push(`status ${facts.status}`);
  const { traffic } = facts;
  const window = `over the last ${Math.round(settings.windowMs / 1000)} s`;
  if (traffic && traffic.requests >= settings.minRequests) {
    if (traffic.errorRate !== undefined && traffic.errorRate > settings.maxErrorRate) {
      reasons.push(
        `5xx share ${percent(traffic.errorRate)} of ${traffic.requests} requests ${window}, over ${percent(settings.maxErrorRate)}`,
      );
    }
    if (settings.maxP95Ms !== undefined && traffic.p95Ms !== undefined && traffic.p95Ms > settings.maxP95Ms) {
      reasons.push(`p95 ${Math.round(traffic.p95Ms)} ms ${window}, over ${settings.maxP95Ms} ms`);
    }
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
  };
}
