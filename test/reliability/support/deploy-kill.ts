import path from 'node:path';
import { defaultPayloadConverter } from '@temporalio/common';
import { progressQuery } from '../../../src/workflows/messages';
import { prepareTrussEnvironment, trussRemoteName } from '../../../src/emulator/push/truss-env';
import { runCli, startCli, type CliRun } from '../../e2e/support/cli';
import { processExists } from '../../support/processes';
import { tempDir } from '../../support/temp-dirs';
import { copyExample } from '../../support/trusses';
import { waitFor } from '../../support/wait-for';
import { modelEndState, startedActivity, type CrashHarness, type ModelEndState } from './crash-harness';

export interface DeployKillOutcome {
  ids: { modelId: string; v1: string };
  workflowId: string;
  /** The killed deploy's release, a while after the kill: still pushing, its push activity never completed. */
  stuck: { stage?: string; status?: string; pushAttempt?: number };
  /** The truss process the killed deploy had started (its own process group, so the kill did not reach it). */
  orphanTrussPid: number;
  /** A plain rerun while the stuck release runs. */
  refused: CliRun;
  /** The rerun with --supersede. */
  superseded: CliRun;
  /** How the killed deploy's run ended. */
  killedRunStatus?: string;
  end: ModelEndState;
  /** From the case's start: the kill, the orphaned truss gone, the superseding release done. @unit ms */
  timeline: { killedAt: number; orphanGoneAt: number; doneAt: number };
}

/**
 * `baseten-cd deploy` SIGKILLed while its embedded push worker runs `truss push`. Nothing can run in a process
 * killed that way, so the release waits in `pushing` for a push worker that will not come back (a push nobody picks
 * up fails it after pushScheduleToStartMs, 5 minutes by default). What the README tells a user to do: run the deploy
 * again with --supersede, which cancels the stuck release (it never reached its promotion) and starts a new one.
 */
export async function runDeployKillCase(h: CrashHarness): Promise<DeployKillOutcome> {
  const t0 = Date.now();
  const c = h.newCase('deploy-kill');
  const seeded = await c.seed('v1');
  await c.startWorker();
  const trussEnv = await prepareTrussEnvironment(
    { port: h.emu.emulator.port, apiKey: h.emu.emulator.apiKey },
    path.join(tempDir('deploy-kill'), 'truss-home'),
  );
  const env = { ...trussEnv, BASETEN_CD_TASK_QUEUE: c.taskQueue, TRUSS_REMOTE: trussRemoteName };
  const truss = copyExample('text-transform');
  const args = ['deploy', truss, '--model-name', c.model, '--no-watch', '--json'];
  const workflowId = `release-${c.model}-production`;

  const first = startCli(args, env);
  const handle = c.client.workflow.getHandle(workflowId);
  // Mid-push: truss is running (the push heartbeats its pid as soon as it starts it).
  const orphanTrussPid = await waitFor(
    () => `the push of ${c.model} to start truss; deploy printed:\n${first.output()}`,
    async () => {
      const push = await startedActivity(handle, 'pushCandidate');
      const details = push?.heartbeatDetails?.payloads?.[0];
      return details ? defaultPayloadConverter.fromPayload<{ pid: number }>(details).pid : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 20 },
  );
  const firstRunId = (await handle.describe()).runId;
  if (first.pid === undefined) throw new Error('deploy has no pid');
  process.kill(first.pid, 'SIGKILL');
  await first.done;
  const killedAt = Date.now() - t0;
  // The orphaned truss finishes (or fails) its push by itself; wait until it is gone.
  await waitFor(`truss (pid ${orphanTrussPid}) to exit`, () => !processExists(orphanTrussPid), {
    timeoutMs: 120_000,
    intervalMs: 100,
  });
  const orphanGoneAt = Date.now() - t0;
  const stuckDescription = await handle.describe();
  const push = await startedActivity(handle, 'pushCandidate');
  const { stage } = await handle.query(progressQuery);

  const refused = await runCli(args, env);
  const superseded = await runCli([...args, '--supersede'], env);
  const killedRun = await c.client.workflow.getHandle(workflowId, firstRunId).describe();
  return {
    ids: seeded,
    workflowId,
    stuck: { stage, status: stuckDescription.status.name, pushAttempt: push?.attempt ?? undefined },
    orphanTrussPid,
    refused,
    superseded,
    killedRunStatus: killedRun.status.name,
    end: await modelEndState(h.emu, seeded.modelId),
    timeline: { killedAt, orphanGoneAt, doneAt: Date.now() - t0 },
  };
}
