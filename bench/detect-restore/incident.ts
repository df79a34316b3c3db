import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@temporalio/client';
import { stateQuery, supersedeSignal } from '../../src/workflows/messages';
import type { watchProduction } from '../../src/workflows/watch';
import { defaultWatchSettings } from '../../src/workflows/watch-rules';
import type { WatchState } from '../../src/workflows/watch-types';
import { startNaivePoller } from '../naive-poller';
import type { EmulatorParts } from '../stack';
import type { Lane } from './lane';
import { servedByNobody } from './probe';

export type Guard = 'ours' | 'naive';
export type PreviousState = 'warm' | 'scaled-to-zero' | 'inactive';
export type Fault = 'unhealthy' | 'failed' | 'error-rate';

export interface IncidentSpec {
  guard: Guard;
  intervalMs: number;
  previous: PreviousState;
  fault: Fault;
}

/** What one incident measured, from the client's side. */
export interface IncidentOutcome {
  spec: IncidentSpec;
  /** From the fault to the first answer of the previous deployment; undefined when it never came. */
  restoreMs?: number;
  /** Predictions sent after the promote (or the deadline) that failed because nothing served, in seconds of traffic. */
  unservedS: number;
  /** Where the restore time went: from the fault to the guard's decision (ours only) and to its promote call. */
  detectMs?: number;
  promoteMs?: number;
}

export interface IncidentRig {
  parts: EmulatorParts;
  client: Client;
  watchTaskQueue: string;
}

/** 30 % of predictions answered 500: well over the watcher's 5 % limit, under the emulator's own UNHEALTHY rule (half). */
const errorRate = 0.3;
/** After the promote, how long the client waits for the previous deployment before it counts the restore as failed. */
const afterPromoteMs = 15_000;

/**
 * How long a guard may take before the incident counts as not restored. Ours gets the traffic window (60 s) on top
 * for an error rate, which must first outweigh a minute of good traffic; the naive poller reads only the status,
 * so two of its polls without a promote are as good as never.
 */
function deadlineMs(spec: IncidentSpec): number {
  if (spec.guard === 'naive') return 2 * spec.intervalMs + 5_000;
  return 3 * spec.intervalMs + 20_000 + (spec.fault === 'error-rate' ? defaultWatchSettings.windowMs : 0);
}

let incidents = 0;

/**
 * One incident on a lane: the spare put in the previous deployment's state, a guard (our watcher, or the naive
 * poller) started on production, the fault injected at a random moment of the guard's interval, then the client's
 * traffic read for when the previous deployment answered again and what failed in between.
 */
export async function runIncident(rig: IncidentRig, lane: Lane, spec: IncidentSpec): Promise<IncidentOutcome> {
  const { parts } = rig;
  const bad = lane.production;
  const previous = lane.spare;
  const previousAnswer = lane.answerOf(previous);
  await lane.prepareSpare(spec.previous);

  const n = ++incidents;
  let firstLookAt: number;
  let stopGuard: () => Promise<void>;
  let decidedAt: () => Promise<number | undefined> = async () => undefined;
  if (spec.guard === 'ours') {
    const handle = await rig.client.workflow.start<typeof watchProduction>('watchProduction', {
      taskQueue: rig.watchTaskQueue,
      workflowId: `bench-watch-${lane.name}-${n}`,
      args: [
        {
          modelId: lane.modelId,
          modelName: `bench-${lane.name}`,
          environment: 'production',
          deploymentId: bad,
          fallbackDeploymentId: previous,
          settings: { ...defaultWatchSettings, intervalMs: spec.intervalMs },
          verifyCheck: { caseName: 'answers', input: { text: 'hi' }, expectStatus: 200 },
        },
      ],
    });
    // The watcher reports back only with news: its looks are seen in the emulator's request log.
    const started = new Date().toISOString();
    firstLookAt = await until('the watcher to look at production', 60_000, async () => {
      const looks = await parts.control.requests({
        method: 'GET',
        path: `/v1/models/${lane.modelId}/environments/production`,
        since: started,
      });
      return looks[0] ? Date.parse(looks[0].time) : undefined;
    });
    decidedAt = async () => {
      const state: WatchState = await handle.query(stateQuery);
      return state.incidents.find((i) => i.kind === 'automatic')?.detectedAt;
    };
    stopGuard = async () => {
      // Let the revert finish its verification and reporting, then end the watcher.
      await until('the watcher to settle', 30_000, async () => {
        const state: WatchState = await handle.query(stateQuery);
        return state.stage !== 'reverting' || undefined;
      }).catch(() => undefined);
      await handle.signal(supersedeSignal, { by: 'bench: incident over' }).catch(() => undefined);
    };
  } else {
    const poller = startNaivePoller({
      managementUrl: parts.emulator.managementUrl,
      apiKey: parts.emulator.apiKey,
      modelId: lane.modelId,
      previousDeploymentId: previous,
      intervalMs: spec.intervalMs,
    });
    firstLookAt = await until('the naive poller to poll', 30_000, async () => poller.firstPollAt);
    stopGuard = async () => poller.stop();
  }

  // A fault comes at any moment of the guard's interval: uniformly within it, from its first look.
  const faultDue = firstLookAt + Math.random() * spec.intervalMs;
  await sleep(Math.max(0, faultDue - Date.now()));
  lane.backfillGoodTraffic(defaultWatchSettings.windowMs);
  const faultAt = Date.now();
  if (spec.fault === 'unhealthy') await parts.control.makeUnhealthy(bad);
  else if (spec.fault === 'failed') await parts.control.fail(bad);
  else await parts.control.setPredictionFaults(bad, { errorRate });

  const deadline = faultAt + deadlineMs(spec);
  let restoredAt: number | undefined;
  let promoteAt: number | undefined;
  for (;;) {
    restoredAt = lane.probe.since(faultAt).find((a) => a.status === 200 && a.from === previousAnswer)?.doneAt;
    if (restoredAt !== undefined) break;
    promoteAt ??= await firstPromote(parts, lane.modelId, faultAt);
    const giveUpAt = promoteAt === undefined ? deadline : Math.max(deadline, promoteAt + afterPromoteMs);
    if (Date.now() > giveUpAt) break;
    await sleep(50);
  }
  promoteAt ??= await firstPromote(parts, lane.modelId, faultAt);
  const detectedAt = await decidedAt().catch(() => undefined);
  await stopGuard();

  // Failed predictions after the switch: production pointed at a deployment that could not serve.
  const end = restoredAt ?? Date.now();
  const unserved =
    promoteAt === undefined ? 0 : lane.probe.since(promoteAt).filter((a) => a.sentAt < end && servedByNobody(a)).length;
  if (restoredAt !== undefined) await lane.rotate();
  else await lane.reset();
  return {
    spec,
    ...(restoredAt === undefined ? {} : { restoreMs: restoredAt - faultAt }),
    unservedS: (unserved * lane.probe.everyMs) / 1000,
    ...(detectedAt === undefined ? {} : { detectMs: detectedAt - faultAt }),
    ...(promoteAt === undefined ? {} : { promoteMs: promoteAt - faultAt }),
  };
}

/** When the first promote call of the model since `since` reached the emulator, from its request log. */
async function firstPromote(parts: EmulatorParts, modelId: string, since: number): Promise<number | undefined> {
  const calls = await parts.control.requests({
    method: 'POST',
    path: `/v1/models/${modelId}/`,
    since: new Date(since).toISOString(),
  });
  const promote = calls.find((c) => c.path.endsWith('/promote'));
  return promote ? Date.parse(promote.time) : undefined;
}

async function until<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}
