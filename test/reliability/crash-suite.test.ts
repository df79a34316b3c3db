import { activityAttempts } from '../support/history-events';
import {
  identitiesIn,
  promotesOf,
  startCrashHarness,
  workerIdentity,
  type CrashHarness,
} from './support/crash-harness';
import { releaseSteps, revertSteps, runReleaseCase, runRevertCase, type CrashOutcome } from './support/crash-steps';
import { crashTable, writeCrashTable, type CrashRow } from './support/crash-table';
import { runDeployKillCase, type DeployKillOutcome } from './support/deploy-kill';
import { runServerRestartCase, type RestartOutcome } from './support/server-restart';

/**
 * The crash suite: for every step of a release and of a revert, the worker process running it is SIGKILLed while
 * the step is in progress (after its side effect, before its activity completed), a new worker is started, and the
 * release or revert must complete with production where it belongs, one promote, and nothing half-changed. All
 * cases start together in beforeAll (most of a case is waiting for Temporal to notice the dead worker), and each
 * test checks its own.
 */
describe('crash suite: a worker SIGKILLed at every step', () => {
  let h: CrashHarness;
  const runs = new Map<string, Promise<CrashOutcome>>();
  let deployKill: Promise<DeployKillOutcome>;
  let restart: Promise<RestartOutcome>;

  beforeAll(async () => {
    h = await startCrashHarness();
    for (const spec of releaseSteps) {
      const run = runReleaseCase(h.newCase(`rel-${slug(spec.step)}`), spec);
      run.catch(() => undefined);
      runs.set(`release/${spec.step}`, run);
    }
    for (const spec of revertSteps) {
      const run = runRevertCase(h.newCase(`rev-${slug(spec.step)}`), spec);
      run.catch(() => undefined);
      runs.set(`revert/${spec.step}`, run);
    }
    deployKill = runDeployKillCase(h);
    deployKill.catch(() => undefined);
    restart = runServerRestartCase(h);
    restart.catch(() => undefined);
  }, 120_000);
  afterAll(async () => {
    const rows = await tableRows(runs, deployKill, restart);
    await h?.close();
    const file = writeCrashTable(rows, `crash suite, ${new Date().toISOString()}`);
    console.log(`${crashTable(rows)}\n(written to ${file})`);
  });

  function outcome(key: string): Promise<CrashOutcome> {
    const run = runs.get(key);
    if (!run) throw new Error(`no case ${key}`);
    return run;
  }

  /** Checks every case shares: the new worker finished it, the interrupted activity was retried, nothing half-changed. */
  function expectFinishedByNewWorker(o: CrashOutcome): void {
    const identities = identitiesIn(o.history);
    expect(identities).toContain(workerIdentity(o.killedPid));
    expect(identities).toContain(workerIdentity(o.newPid));
    if (o.interrupted) expect(Math.max(...activityAttempts(o.history, o.interrupted))).toBeGreaterThanOrEqual(2);
    expect(o.end.promotionInProgress).toBe(false);
    expect(o.end.productionStatus).toBe('ACTIVE');
    // The seed and one candidate: no second push, no development build.
    expect(o.end.deployments.map((d) => d.id).sort()).toEqual([o.ids.v1, o.ids.v2].sort());
    expect(o.end.deployments.filter((d) => d.is_development)).toEqual([]);
  }

  it.each(releaseSteps.map((s) => [s.step, s.killPoint]))(
    'release, killed at %s (%s): completes, promoted exactly once',
    async (step) => {
      const o = await outcome(`release/${step}`);
      expect(o.result).toMatchObject({ status: 'promoted', previousProductionDeploymentId: o.ids.v1 });
      expect(o.end.production).toBe(o.ids.v2);
      expect(promotesOf(o.end, o.ids.v2 ?? '')).toHaveLength(1);
      expect(o.end.promotes).toHaveLength(1);
      expectFinishedByNewWorker(o);
    },
    900_000,
  );

  it.each(revertSteps.map((s) => [s.step, s.killPoint]))(
    'revert, killed at %s (%s): production goes back to v1, one promote for the incident',
    async (step) => {
      const o = await outcome(`revert/${step}`);
      expect(o.incidents).toHaveLength(1);
      expect(o.incidents?.[0]).toMatchObject({ outcome: 'reverted', from: o.ids.v2, to: o.ids.v1 });
      expect(o.end.production).toBe(o.ids.v1);
      expect(promotesOf(o.end, o.ids.v1)).toHaveLength(1);
      expect(promotesOf(o.end, o.ids.v2 ?? '')).toHaveLength(1);
      expectFinishedByNewWorker(o);
    },
    900_000,
  );

  it('deploy SIGKILLed mid-push: its release waits in pushing; a rerun is refused, --supersede cancels it and releases', async () => {
    const o = await deployKill;
    // Nothing could complete the push: the release is still running, in pushing, its first push attempt pending.
    expect(o.stuck).toEqual({ stage: 'pushing', status: 'RUNNING', pushAttempt: 1 });
    expect(o.refused.code).toBe(2);
    expect(o.refused.stderr.trim().split('\n')).toEqual([
      expect.stringContaining(`is already running: ${o.workflowId}`),
    ]);
    expect(o.superseded.code).toBe(0);
    const result = JSON.parse(o.superseded.stdout) as { status: string; candidateDeploymentId: string };
    expect(result.status).toBe('promoted');
    expect(o.killedRunStatus).toBe('CANCELLED');
    expect(o.end.production).toBe(result.candidateDeploymentId);
    expect(o.end.productionStatus).toBe('ACTIVE');
    expect(o.end.promotes).toHaveLength(1);
    expect(o.end.promotionInProgress).toBe(false);
    // The killed deploy's truss (its own process group) died with its pipes: it left no deployment behind.
    expect(o.end.deployments.map((d) => d.id).sort()).toEqual([o.ids.v1, result.candidateDeploymentId].sort());
  }, 900_000);

  it('Temporal dev server restarted mid-watch (--db-filename): the watcher carries on and still reverts', async () => {
    const o = await restart;
    expect(o.heartbeatAfterRestart.sinceRestartMs).toBeGreaterThan(0);
    expect(o.incidents).toHaveLength(1);
    expect(o.incidents[0]).toMatchObject({ outcome: 'reverted', from: o.ids.v2, to: o.ids.v1 });
    expect(o.end.production).toBe(o.ids.v1);
    expect(promotesOf(o.end, o.ids.v1)).toHaveLength(1);
    expect(promotesOf(o.end, o.ids.v2)).toHaveLength(1);
    expect(o.end.promotionInProgress).toBe(false);
  }, 900_000);
});

/** One row per case, as it ended (a case that threw says so). */
async function tableRows(
  runs: Map<string, Promise<CrashOutcome>>,
  deployKill: Promise<DeployKillOutcome>,
  restart: Promise<RestartOutcome>,
): Promise<CrashRow[]> {
  const failed = (err: unknown) => `failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`;
  /** The row `build` makes from the case's outcome, or a row saying how the case failed. */
  async function rowOf<T>(
    run: Promise<T>,
    base: Pick<CrashRow, 'flow' | 'step' | 'killed'>,
    build: (o: T) => Omit<CrashRow, keyof typeof base>,
  ) {
    try {
      return { ...base, ...build(await run) };
    } catch (err) {
      return { ...base, atKill: '-', outcome: failed(err), promotes: '-' };
    }
  }
  const rows: CrashRow[] = [];
  for (const [key, run] of runs) {
    const [flow = '', step = ''] = key.split('/');
    rows.push(
      await rowOf(run, { flow, step, killed: 'worker (SIGKILL)' }, (o) => {
        const attempts = o.interrupted ? Math.max(...activityAttempts(o.history, o.interrupted)) : undefined;
        const target = o.flow === 'release' ? (o.ids.v2 ?? '') : o.ids.v1;
        const ended =
          o.flow === 'release'
            ? `release ${o.result?.status}`
            : `revert ${o.incidents?.map((i) => i.outcome).join(', ')}`;
        const production = o.end.production === target ? 'as expected' : `UNEXPECTED ${o.end.production}`;
        return {
          atKill: o.atKill,
          outcome: `${ended}; production ${production}${attempts ? `; ${o.interrupted} attempt ${attempts}` : ''}`,
          promotes: `${promotesOf(o.end, target).length} of ${o.flow === 'release' ? 'the candidate' : 'v1'}`,
          recoveryMs: o.timeline.doneAt - o.timeline.killedAt,
        };
      }),
    );
  }
  rows.push(
    await rowOf(
      deployKill,
      { flow: 'release', step: 'push (deploy CLI)', killed: '`baseten-cd deploy` (SIGKILL)' },
      (o) => ({
        atKill: `truss push running (pid ${o.orphanTrussPid})`,
        outcome: `release stuck in ${o.stuck.stage}; rerun exit ${o.refused.code} (refused); --supersede exit ${o.superseded.code}, killed run ${o.killedRunStatus}; ${o.end.deployments.length} deployments`,
        promotes: `${o.end.promotes.length}`,
        recoveryMs: o.timeline.doneAt - o.timeline.killedAt,
      }),
    ),
    await rowOf(
      restart,
      { flow: 'watch', step: 'observe (server)', killed: 'Temporal dev server (SIGKILL, restarted)' },
      (o) => ({
        atKill: `watching v2; down ${(o.downMs / 1000).toFixed(1)} s`,
        outcome: `observe heartbeat ${(o.heartbeatAfterRestart.sinceRestartMs / 1000).toFixed(0)} s after the restart; revert ${o.incidents.map((i) => i.outcome).join(', ')}`,
        promotes: `${promotesOf(o.end, o.ids.v1).length} of v1`,
        recoveryMs: o.timeline.doneAt - o.timeline.killedAt,
      }),
    ),
  );
  return rows;
}

function slug(step: string): string {
  return step.replace(/\W+/g, '-').toLowerCase();
}
