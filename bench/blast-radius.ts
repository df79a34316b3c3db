import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { releaseWorkflowId } from '../src/operations/workflow-refs';
import { validationSpecSchema } from '../src/validation/schema';
import type { deployModel } from '../src/workflows/deploy';
import { approveUpdate, progressQuery, stateQuery, supersedeSignal } from '../src/workflows/messages';
import type { DeployResult } from '../src/workflows/types';
import type { WatchState } from '../src/workflows/watch-types';
import { writeAnsweringTruss } from './answering-truss';
import { ProductionProbe, type ProbeAnswer } from './detect-restore/probe';
import type { BenchmarkResult, Metric } from './results';
import { p50p95, ratio } from './stats';
import type { EmulatorParts, ReleaseRig } from './stack';

export type PromotionMode = 'all-at-once' | 'rolling';
const modes: PromotionMode[] = ['all-at-once', 'rolling'];

/** The fault: a candidate that serves well at a small share and fails half its answers from 40 % of the traffic. */
const fault = { errorRate: 0.5, fromTrafficPercent: 40 };
const stepPercent = 20;
const probeEveryMs = 50;
/** How long the incident may last before the run gives up on it. */
const incidentTimeoutMs = 180_000;

/**
 * Validation as a user would write it, with a 10 s analysis per rolling step (the default is 30 s; shorter here to
 * keep the bench short). The production watcher keeps its defaults: every 10 s, 5 % of 5xx over 60 s.
 */
const validation = validationSpecSchema.parse({
  warmup: { requests: 1, timeout: '1m' },
  cases: [{ name: 'answers', input: { text: 'hi' }, expect: { status: 200 } }],
  rollout: { window: '10s', minRequests: 10 },
});

/** What one incident cost the model's clients, from the promote call until all traffic was back on v1. */
export interface BlastOutcome {
  mode: PromotionMode;
  /** Requests sent in the incident, those the candidate served (answered or failed), and those that failed. */
  sent: number;
  servedByCandidate: number;
  failed: number;
  incidentMs: number;
}

/**
 * The blast radius of a bad candidate: the same fault released two ways, each on its own model with real traffic
 * through production's endpoint. All at once, the candidate takes every request until the production watcher
 * reverts it; rolling (20 % steps), each step is analysed and the ramp is cancelled at the first failed step.
 */
export async function benchBlastRadius(
  rig: ReleaseRig,
  parts: EmulatorParts,
  workDir: string,
  repetitions: number,
): Promise<BenchmarkResult> {
  const result: BenchmarkResult = {
    title: 'Blast radius (a candidate failing half its answers from 40 % of the traffic)',
    setup: `${repetitions} releases per mode, both modes at once; a client predicting every ${probeEveryMs} ms through production; all at once: promoted, then the production watcher (defaults: every 10 s, 5 % of 5xx over 60 s) reverts; rolling: Baseten's rolling promotion in ${stepPercent} % steps, each analysed for 10 s, cancelled at the first failed step; real Python model processes`,
    metrics: [],
    notes: [],
  };
  const dir = path.join(workDir, 'blast-radius');
  await mkdir(dir, { recursive: true });
  const outcomes: BlastOutcome[] = [];
  const failures: string[] = [];
  for (let i = 0; i < repetitions; i++) {
    await Promise.all(
      modes.map(async (mode) => {
        try {
          outcomes.push(await runIncident(rig, parts, path.join(dir, `${mode}-${i}`), mode, `blast-${mode}-${i}`));
        } catch (err) {
          failures.push(`${mode} #${i + 1}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }),
    );
  }
  result.metrics.push(...blastMetrics(outcomes));
  const failed = (mode: PromotionMode) => median(outcomes.filter((o) => o.mode === mode).map((o) => o.failed));
  const shown = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(0));
  result.notes?.push(
    `failed requests, median: rolling ${shown(failed('rolling'))} against ${shown(failed('all-at-once'))} all at once`,
  );
  if (failures.length > 0) result.error = `${failures.length} incidents could not run: ${failures.join('; ')}`;
  return result;
}

async function runIncident(
  rig: ReleaseRig,
  parts: EmulatorParts,
  dir: string,
  mode: PromotionMode,
  modelName: string,
): Promise<BlastOutcome> {
  const { control, baseten, emulator } = parts;
  // v1 in production, deployed directly: the incident is about v2's release.
  const v1Dir = await writeAnsweringTruss(dir, modelName, 'v1');
  const { model, deployment: v1 } = await control.createDeployment({ trussDir: v1Dir, modelName });
  await until('v1 to serve production', async () => {
    const env = await baseten.getEnvironment(model.id, 'production').catch(() => undefined);
    return (env?.current_deployment?.id === v1.id && env.current_deployment.status === 'ACTIVE') || undefined;
  });
  if (mode === 'rolling') {
    await baseten.updateEnvironment(model.id, 'production', {
      promotion_settings: {
        rolling_deploy: true,
        rolling_deploy_config: { max_surge_percent: stepPercent, stabilization_time_seconds: 1 },
      },
    });
  }
  const url = `${emulator.inferenceUrl.replace('{model_id}', model.id)}/production/predict`;
  const probe = new ProductionProbe(url, emulator.apiKey, probeEveryMs);
  probe.start();
  try {
    const handle = await rig.client.workflow.start<typeof deployModel>('deployModel', {
      workflowId: releaseWorkflowId(modelName, 'production'),
      taskQueue: rig.fleetTaskQueue,
      args: [
        {
          modelName,
          environment: 'production',
          candidate: { kind: 'published' },
          trussDir: await writeAnsweringTruss(dir, modelName, 'v2'),
          pushTaskQueue: rig.pushTaskQueue,
          validation,
          cleanupOnReject: false,
          // Held once validated, so the fault is set on the candidate before any traffic moves to it.
          approval: { required: true, timeoutMs: incidentTimeoutMs },
        },
      ],
    });
    const candidate = await until('the candidate to wait for approval', async () => {
      const progress = await handle.query(progressQuery).catch(() => undefined);
      return progress?.stage === 'awaiting-approval' ? progress.candidateDeploymentId : undefined;
    });
    await control.setPredictionFaults(candidate, fault);
    const approvedAt = Date.now();
    await handle.executeUpdate(approveUpdate, { args: [{ by: 'bench' }] });
    const release: DeployResult = await handle.result();
    if (mode === 'all-at-once') await awaitWatcherRevert(rig, release);
    else if (!release.reverted) throw new Error(`the rolling release ended ${release.status} without a revert`);
    // The last straggling answers of the candidate come back within a request's time.
    await sleep(1_000);
    const promoteAt = await firstPromoteSince(parts, model.id, approvedAt);
    return outcomeOf(mode, probe.since(promoteAt), promoteAt);
  } finally {
    probe.stop();
    await control.clearDeploymentFaults(v1.id).catch(() => undefined);
  }
}

/** Waits until the watcher the release started has reverted production, then ends it. */
async function awaitWatcherRevert(rig: ReleaseRig, release: DeployResult): Promise<void> {
  if (release.status !== 'promoted' || !release.watcherId)
    throw new Error(`the all-at-once release ended ${release.status}${release.reason ? `: ${release.reason}` : ''}`);
  const watcher = rig.client.workflow.getHandle(release.watcherId);
  await until('the watcher to revert production', async () => {
    const state: WatchState | undefined = await watcher.query(stateQuery).catch(() => undefined);
    return state?.stage === 'reverted' || undefined;
  });
  await watcher.signal(supersedeSignal, { by: 'bench: incident over' }).catch(() => undefined);
}

/** The incident runs from the promote call to the last request that v1 did not answer. */
function outcomeOf(mode: PromotionMode, answers: ProbeAnswer[], promoteAt: number): BlastOutcome {
  const notV1 = (a: ProbeAnswer) => !(a.status === 200 && a.from === 'v1');
  const last = answers.filter(notV1).at(-1);
  const incident = last ? answers.filter((a) => a.sentAt <= last.sentAt) : [];
  return {
    mode,
    sent: incident.length,
    servedByCandidate: incident.filter((a) => a.from === 'v2' || a.status === 500).length,
    failed: incident.filter((a) => a.status >= 500 || a.status === 0).length,
    incidentMs: last ? last.sentAt - promoteAt : 0,
  };
}

async function firstPromoteSince(parts: EmulatorParts, modelId: string, since: number): Promise<number> {
  const calls = await parts.control.requests({
    method: 'POST',
    path: `/v1/models/${modelId}/`,
    since: new Date(since).toISOString(),
  });
  const promote = calls.find((c) => c.path.endsWith('/promote'));
  if (!promote) throw new Error('no promote call after the approval');
  return Date.parse(promote.time);
}

function blastMetrics(outcomes: BlastOutcome[]): Metric[] {
  const metrics: Metric[] = [];
  const of = (mode: PromotionMode) => outcomes.filter((o) => o.mode === mode);
  for (const mode of modes) {
    const runs = of(mode);
    const served = median(runs.map((o) => (o.sent > 0 ? o.servedByCandidate / o.sent : 0)));
    const push = (label: string, unit: Metric['unit'], value: number | undefined) => {
      if (value !== undefined) metrics.push({ name: `${mode}: ${label}`, unit, value });
    };
    push('requests failed (median)', 'count', median(runs.map((o) => o.failed)));
    push('requests served by the candidate (median)', 'count', median(runs.map((o) => o.servedByCandidate)));
    push('share of the requests in the incident served by the candidate', 'ratio', served);
    push('promote → all traffic back on v1 (median)', 's', median(runs.map((o) => o.incidentMs / 1000)));
  }
  const failedRatio = ratio(median(of('rolling').map((o) => o.failed)), median(of('all-at-once').map((o) => o.failed)));
  if (failedRatio !== undefined)
    metrics.push({ name: 'failed requests: rolling ÷ all at once', unit: 'ratio', value: failedRatio });
  return metrics;
}

function median(values: number[]): number | undefined {
  return p50p95(values)?.p50;
}

async function until<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + incidentTimeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what} after ${incidentTimeoutMs / 1000} s`);
    await sleep(100);
  }
}
