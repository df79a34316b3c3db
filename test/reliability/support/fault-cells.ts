import type { EmulatorControl } from '../../../src/emulator/control-client';
import type { RequestLogEntry } from '../../../src/emulator/control/request-log';
import { stateQuery } from '../../../src/workflows/messages';
import type { DeployResult } from '../../../src/workflows/types';
import type { ReleaseHarness } from '../../integration/release/release-harness';
import { uniqueId } from '../../support/temporal';
import { waitFor } from '../../support/wait-for';

/** Every management call of a model (the faults take them all; the inference API is not faulted). */
const managementCalls = '/v1/models/**';

/** A control-plane fault the suite injects at a given share of the management calls. */
export interface ControlPlaneFault {
  name: string;
  /** Calls faulted in a row each time the fault strikes. */
  burst: number;
  arm(control: EmulatorControl, rate: number): Promise<unknown>;
}

export function controlPlaneFaults(options: { callTimeoutMs: number; lateByMs: number }): ControlPlaneFault[] {
  const delayMs = options.callTimeoutMs + options.lateByMs;
  return [
    {
      name: '429, retry_after 1 s',
      burst: 1,
      arm: (control, rate) =>
        control.failManagement({ status: 429, retryAfterSeconds: 1, rate, path: managementCalls }),
    },
    {
      name: '503 in bursts of 3',
      burst: 3,
      // Picks at a third of the rate, each with the two calls after it: the same share of calls, in bursts.
      arm: (control, rate) => control.failManagement({ status: 503, rate: rate / 3, burst: 3, path: managementCalls }),
    },
    {
      name: `answer ${delayMs / 1000} s late (timeout ${options.callTimeoutMs / 1000} s)`,
      burst: 1,
      // Applied at once; only the answer is late, so a retry finds the change already made.
      arm: (control, rate) => control.slowManagement({ delayMs, apply: 'on-arrival', rate, path: managementCalls }),
    },
    {
      name: 'connection dropped after the change',
      burst: 1,
      arm: (control, rate) => control.dropManagement({ when: 'after-apply', rate, path: managementCalls }),
    },
  ];
}

/** What one cell (a fault at a rate, or no fault) did. */
export interface CellResult {
  fault: string;
  /** 0 for the cell without faults. */
  rate: number;
  releases: { promoted: number; total: number; meanMs: number };
  reverts: { reverted: number; total: number; ms?: number };
  /** Management calls while the fault was armed, and how many it took. */
  calls: number;
  faulted: number;
  /** The 429s answered, and the least wait before the model's next call (retry_after is 1 s). */
  rateLimited: number;
  shortestWaitAfter429Ms?: number;
  /** What went wrong, one line each: empty for a cell that held. */
  problems: string[];
}

/** Fast watcher settings, and deadlines long enough for a release to ride out its faults. */
const watched = { intervalMs: 500, unhealthyAfter: 2 };
const faultTolerantTimeouts = { buildMs: 180_000, verifyMs: 120_000, prepareMs: 120_000 };

interface Lane {
  modelName: string;
  modelId: string;
  /** Production now, and each release's candidate in order. */
  production: string;
  candidates: string[];
}

async function release(h: ReleaseHarness, lane: Lane, watch: boolean): Promise<{ result: DeployResult; ms: number }> {
  const started = Date.now();
  const handle = await h.start({
    modelName: lane.modelName,
    timeouts: faultTolerantTimeouts,
    watch: watch ? watched : { enabled: false },
  });
  const result = await handle.result();
  return { result, ms: Date.now() - started };
}

/** The model id in a management path, if any. */
function modelOf(entry: RequestLogEntry): string | undefined {
  return /^\/v1\/models\/([^/]+)/.exec(entry.path)?.[1];
}

/**
 * Each 429's retry_after is a promise not to call that endpoint again sooner (Baseten counts each endpoint on its
 * own): after one, the model's next call to the same endpoint must not arrive before it. A revert's cancel and wake
 * run side by side, so the model's next call to another endpoint may well be in flight already. Returns the shortest
 * wait seen.
 */
function waitsAfter429(log: RequestLogEntry[], problems: string[]): { count: number; shortestMs?: number } {
  let shortestMs: number | undefined;
  let count = 0;
  log.forEach((entry, i) => {
    if (entry.status !== 429) return;
    count += 1;
    const next = log.slice(i + 1).find((later) => later.method === entry.method && later.path === entry.path);
    if (!next) return;
    const waited = Date.parse(next.time) - Date.parse(entry.time);
    shortestMs = Math.min(shortestMs ?? waited, waited);
    const asked = (entry.retryAfterSeconds ?? 0) * 1000;
    if (waited < asked) {
      problems.push(`${next.method} ${next.path} came ${waited} ms after a 429 that asked for ${asked} ms`);
    }
  });
  return { count, ...(shortestMs === undefined ? {} : { shortestMs }) };
}

/** Promote calls Baseten applied (answered 2xx, or applied before a drop or a late answer) per model. */
function appliedPromotes(log: RequestLogEntry[], modelId: string): number {
  return log.filter(
    (e) =>
      modelOf(e) === modelId && e.method === 'POST' && e.path.endsWith('/promote') && (e.status ?? 0) < 300 && e.status,
  ).length;
}

export interface CellOptions {
  /** Releases per round (one per model, side by side). */
  lanes: number;
  /** At least this many releases, and more until the fault has struck a whole burst. */
  minReleases: number;
  /** A safety stop: at most this many rounds, even when the fault's pick is still to come. */
  maxRounds: number;
}

/**
 * Whether the armed fault is still to strike a whole burst while its pick can still come. The pick is
 * deterministic (at rate r, the call 1/r), so the bound is the calls the rule has matched, not a count of
 * releases: how many calls a release makes varies with the code and the faults it rides out.
 */
async function stillToStrike(control: EmulatorControl, burst: number): Promise<boolean> {
  const rules = await control.managementFaults();
  const faulted = rules.reduce((sum, rule) => sum + rule.faulted, 0);
  if (faulted >= burst) return false;
  // Twice the pick's spacing: well past the call it picks, so a rule that never strikes is told apart.
  return rules.some((rule) => rule.rate > 0 && rule.matched < 2 / rule.rate + rule.burst);
}

/**
 * One cell of the table: with the fault armed over the cell's models, releases run side by side (one lane per
 * model, each replacing the one before) until `minReleases` ran and the fault has struck a whole burst (or its
 * deterministic pick is long past, which the test then reports); then one more release starts its production
 * watcher, production turns UNHEALTHY, and the watcher must revert it. Everything is checked with the fault
 * cleared: each lane's production, each candidate promoted exactly once, and after a 429 no call sooner than its
 * retry_after.
 */
export async function runCell(
  h: ReleaseHarness,
  fault: ControlPlaneFault | undefined,
  rate: number,
  options: CellOptions,
): Promise<CellResult> {
  const { control } = h.emu;
  const problems: string[] = [];
  // A cell that failed part way leaves its faults armed: each cell starts from none, seeds included.
  await control.clearFaults();
  const lanes: Lane[] = await Promise.all(
    Array.from({ length: options.lanes }, async (_, i) => {
      const modelName = uniqueId(`faults-${i}`);
      const seed = await h.seed(modelName);
      return { modelName, modelId: seed.modelId, production: seed.deploymentId, candidates: [] };
    }),
  );
  const since = new Date().toISOString();
  if (fault) await fault.arm(control, rate);

  const durations: number[] = [];
  let promoted = 0;
  const record = (lane: Lane, run: { result: DeployResult; ms: number }) => {
    durations.push(run.ms);
    if (run.result.status === 'promoted' && run.result.candidateDeploymentId) {
      promoted += 1;
      lane.candidates.push(run.result.candidateDeploymentId);
      lane.production = run.result.candidateDeploymentId;
    } else {
      problems.push(`${lane.modelName}: ${run.result.status}: ${run.result.reason ?? 'no reason'}`);
    }
  };
  for (let round = 0; round < options.maxRounds; round++) {
    const runs = await Promise.all(lanes.map((lane) => release(h, lane, false)));
    runs.forEach((run, i) => record(lanes[i] as Lane, run));
    if (problems.length > 0) break;
    if (durations.length >= options.minReleases && (!fault || !(await stillToStrike(control, fault.burst)))) break;
  }

  // The watcher's turn: a release that starts one, then production goes bad under the same faults.
  const [guarded] = lanes as [Lane];
  const fallback = guarded.production;
  const watchedRun = await release(h, guarded, true);
  record(guarded, watchedRun);
  let reverted = 0;
  let revertMs: number | undefined;
  const watcherId = watchedRun.result.watcherId;
  if (watcherId && watchedRun.result.candidateDeploymentId) {
    const watcher = h.temporal.client.workflow.getHandle(watcherId);
    const turnedBad = Date.now();
    await control.makeUnhealthy(watchedRun.result.candidateDeploymentId);
    const incident = await waitFor(
      `the watcher ${watcherId} to revert`,
      async () => {
        const state = await watcher.query(stateQuery).catch(() => undefined);
        const first = state?.incidents[0];
        return first && first.outcome !== 'reverting' && first;
      },
      { timeoutMs: 240_000, intervalMs: 100 },
    ).catch((err: unknown) => {
      problems.push(`revert: ${(err as Error).message}`);
      return undefined;
    });
    if (incident?.outcome === 'reverted') {
      reverted = 1;
      revertMs = Date.now() - turnedBad;
      guarded.production = fallback;
    } else if (incident) {
      problems.push(`revert: ${incident.outcome}: ${incident.failure ?? incident.reason}`);
    }
    await watcher.terminate('fault cell done').catch(() => undefined);
  } else {
    problems.push('the watched release started no watcher');
  }

  const rules = await control.managementFaults();
  const calls = rules.reduce((sum, rule) => sum + rule.matched, 0);
  const faulted = rules.reduce((sum, rule) => sum + rule.faulted, 0);
  await control.clearFaults();
  const log = await control.requests({ since });
  const waits = waitsAfter429(log, problems);
  for (const lane of lanes) {
    const serving = await h.emu.productionOf(lane.modelId);
    if (serving !== lane.production)
      problems.push(`${lane.modelName}: production is ${serving}, not ${lane.production}`);
    const expected = lane.candidates.length + (lane === guarded ? reverted : 0);
    const applied = appliedPromotes(log, lane.modelId);
    if (applied !== expected) problems.push(`${lane.modelName}: ${applied} promotes applied, expected ${expected}`);
  }
  return {
    fault: fault?.name ?? 'none',
    rate,
    releases: {
      promoted,
      total: durations.length,
      meanMs: durations.reduce((a, b) => a + b, 0) / Math.max(1, durations.length),
    },
    reverts: { reverted, total: 1, ...(revertMs === undefined ? {} : { ms: revertMs }) },
    calls: fault ? calls : log.length,
    faulted,
    rateLimited: waits.count,
    ...(waits.shortestMs === undefined ? {} : { shortestWaitAfter429Ms: waits.shortestMs }),
    problems,
  };
}
