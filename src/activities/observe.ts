import { activityInfo, heartbeat } from '@temporalio/activity';
import { z } from 'zod';
import type { InferenceTarget } from '../baseten/inference-target';
import { BasetenError, RateLimitError } from '../baseten/errors';
import { recentSteps, trafficSummary } from '../baseten/traffic';
import { lastCheckpoint } from './checkpoint';
import { resolveDeps, type ActivityDeps, type ResolvedDeps } from './deps';
import { mapBasetenErrors } from './failures';
import { attemptCallOptions, heartbeatTickMs } from './heartbeat';
import { judge, observationSchema, type ObservedTraffic } from './observation';
import type { Observation, WatchSettings } from './observe-types';
import { readEnvironment } from './production';
import { smokeOnce } from './smoke';

export interface ObserveInput {
  modelId: string;
  environment: string;
  /** The deployment the environment should be serving. */
  deploymentId: string;
  settings: WatchSettings;
  /** `paused`: report a bad run (and its recovery) but never ask for a revert. */
  mode: 'automatic' | 'paused';
  /** The bad run so far, carried between slices: consecutive bad observations, and whether it was reported. */
  consecutiveBad: number;
  badRunReported: boolean;
  /** When the previous observation was taken, so the polls keep their phase across slices. */
  lastObservedAt?: number;
  /** When this slice ends (epoch ms): the activity reports back then even if nothing happened. */
  untilMs: number;
}

export interface ObserveResult {
  /**
   * `unhealthy`: the bad run reached `unhealthyAfter` (first report of it); `recovered`: a reported bad run ended;
   * `production-changed`: the environment serves another deployment; `slice-ended`: nothing to report.
   */
  reason: 'unhealthy' | 'recovered' | 'production-changed' | 'slice-ended';
  consecutiveBad: number;
  badRunReported: boolean;
  /** The newest observations, the latest last. */
  observations: Observation[];
  /** The observations of the current bad run. */
  evidence: Observation[];
  lastObservedAt?: number;
  /** What the environment serves, for `production-changed`. */
  servingDeploymentId?: string | null;
}

const keptObservations = 5;
/** A bad (or doubtful) observation is confirmed sooner than the interval, so a real incident is acted on quickly. */
const confirmAfterMs = 1_000;

/** The observation loop's progress, in every heartbeat: a retried attempt carries on from it. */
const checkpointSchema = z.object({
  deploymentId: z.string(),
  consecutiveBad: z.number().int().min(0),
  badRunReported: z.boolean(),
  observations: z.array(observationSchema),
  evidence: z.array(observationSchema),
  lastObservedAt: z.number().optional(),
  lastGoodAt: z.number().optional(),
});
type ObserveCheckpoint = z.output<typeof checkpointSchema>;

function environmentTarget(environment: string): InferenceTarget {
  return environment === 'production' ? { kind: 'production' } : { kind: 'environment', name: environment };
}

/**
 * Real traffic of the watched deployment over the window, read as a SERIES so that one call also gives the traffic
 * since `recentFrom` (the last good look; further back if that holds too few requests to judge) on its own: a
 * sharp rise of errors shows there at once, where it would take seconds to outweigh a window of good traffic.
 * Undefined when Baseten's metrics could not be read.
 */
async function readTraffic(
  deps: ResolvedDeps,
  input: ObserveInput,
  recentFrom: number,
): Promise<ObservedTraffic | undefined> {
  const end = deps.clock();
  try {
    const metrics = await deps.baseten.getDeploymentMetrics(
      input.modelId,
      input.deploymentId,
      {
        mode: 'SERIES',
        startEpochMillis: end - input.settings.windowMs,
        endEpochMillis: end,
        metrics: ['baseten_inference_requests_total', 'baseten_end_to_end_response_time_seconds'],
      },
      attemptCallOptions(),
    );
    const recent = recentSteps(metrics, recentFrom, input.settings.minRequests);
    return {
      window: trafficSummary(metrics),
      recent: trafficSummary(recent),
      recentFrom: Math.min(recentFrom, recent.metric_values[0]?.start_epoch_millis ?? recentFrom),
    };
  } catch (err) {
    // The metrics endpoint is marked unstable by Baseten: without it, status and probe still judge.
    if (err instanceof BasetenError && !(err instanceof RateLimitError)) return undefined;
    throw err;
  }
}

export function createObserveActivities(deps: ActivityDeps) {
  const resolved = resolveDeps(deps);
  const { baseten, clock, sleep } = resolved;

  /**
   * One look: which deployment serves the environment and in what state, its real traffic (the recent part from
   * the last good look, or one interval back), the probe.
   */
  async function look(input: ObserveInput, lastGoodAt: number | undefined): Promise<Observation> {
    const at = clock();
    const state = await readEnvironment(baseten, input.modelId, input.environment, attemptCallOptions());
    const serving = state.current?.id ?? null;
    if (serving !== input.deploymentId) return { at, servingDeploymentId: serving, bad: false, reasons: [] };
    const traffic = await readTraffic(resolved, input, lastGoodAt ?? at - input.settings.intervalMs);
    const { probe } = input.settings;
    const probed = probe
      ? await smokeOnce(resolved, {
          modelId: input.modelId,
          target: environmentTarget(input.environment),
          smoke: probe,
        })
      : undefined;
    return judge(
      { at, status: state.current?.status, servingDeploymentId: serving, traffic, probe: probed },
      input.settings,
    );
  }

  return {
    /**
     * Watches production for one slice of time, looking every `interval`, and returns only when there is news: the
     * bad run reached `unhealthyAfter` looks, a reported bad run recovered, someone else changed production, or the
     * slice ended. One activity per slice (not per look) keeps the watcher's history small; its progress is in
     * every heartbeat, so a retried attempt resumes the counts instead of starting over.
     */
    observeProduction: mapBasetenErrors(async (input: ObserveInput): Promise<ObserveResult> => {
      const resumed = lastCheckpoint(checkpointSchema);
      const run: ObserveCheckpoint =
        resumed?.deploymentId === input.deploymentId
          ? resumed
          : {
              deploymentId: input.deploymentId,
              consecutiveBad: input.consecutiveBad,
              badRunReported: input.badRunReported,
              observations: [],
              evidence: [],
              lastObservedAt: input.lastObservedAt,
            };
      const result = (reason: ObserveResult['reason'], extra: Partial<ObserveResult> = {}): ObserveResult => ({
        reason,
        consecutiveBad: run.consecutiveBad,
        badRunReported: run.badRunReported,
        observations: run.observations,
        evidence: run.evidence,
        ...(run.lastObservedAt !== undefined ? { lastObservedAt: run.lastObservedAt } : {}),
        ...extra,
      });
      const { intervalMs, unhealthyAfter } = input.settings;
      // Keep the polls' phase (spread across watchers); a bad run in progress is confirmed at once.
      const first =
        run.consecutiveBad > 0 || run.lastObservedAt === undefined
          ? clock() + (run.consecutiveBad > 0 ? 0 : Math.floor(Math.random() * Math.min(intervalMs, 2_000)))
          : run.lastObservedAt + intervalMs;
      let nextAt = first;
      const tickMs = heartbeatTickMs(activityInfo().heartbeatTimeoutMs);
      for (;;) {
        // Wait for the next look in ticks, heart-beating between them: an interval may be longer than the
        // heartbeat timeout, and cancellation only arrives with a heartbeat's answer.
        for (
          let left = Math.min(nextAt, input.untilMs) - clock();
          left > 0;
          left = Math.min(nextAt, input.untilMs) - clock()
        ) {
          await sleep(Math.min(left, tickMs));
          heartbeat(run);
        }
        if (clock() >= input.untilMs) return result('slice-ended');
        let observation: Observation;
        try {
          observation = await look(input, run.lastGoodAt);
        } catch (err) {
          // Baseten asked us to slow down: skip this look and wait as long as it asked, never sooner.
          if (!(err instanceof RateLimitError)) throw err;
          nextAt = clock() + Math.max(err.retryAfterMs ?? intervalMs, intervalMs);
          continue;
        }
        run.lastObservedAt = observation.at;
        const previous = run.observations.at(-1);
        run.observations = [...run.observations, observation].slice(-keptObservations);
        if (observation.servingDeploymentId !== input.deploymentId) {
          heartbeat(run);
          return result('production-changed', { servingDeploymentId: observation.servingDeploymentId });
        }
        const wasReported = run.badRunReported && run.consecutiveBad >= unhealthyAfter;
        if (observation.bad) {
          run.consecutiveBad += 1;
          run.evidence = [...run.evidence, observation].slice(-Math.max(unhealthyAfter, keptObservations));
        } else {
          run.consecutiveBad = 0;
          run.evidence = [];
          run.badRunReported = false;
          // A doubtful look keeps the recent part's start, so the next look judges the errors since then together.
          if (!observation.doubtful) run.lastGoodAt = observation.at;
        }
        heartbeat(run);
        if (run.consecutiveBad >= unhealthyAfter && !run.badRunReported) {
          run.badRunReported = true;
          heartbeat(run);
          return result('unhealthy');
        }
        if (wasReported && run.consecutiveBad === 0 && input.mode === 'paused') return result('recovered');
        // A bad look is confirmed soon; so is a doubtful one, once (a steady trickle of errors does not keep a
        // watcher looking every second).
        const soon = observation.bad || (observation.doubtful === true && previous?.doubtful !== true);
        nextAt = observation.at + (soon ? Math.min(confirmAfterMs, intervalMs) : intervalMs);
      }
    }),
  };
}
