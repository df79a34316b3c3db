import path from 'node:path';
import { tsToMs } from '@temporalio/common/lib/time';
import { watcherWorkflowId } from '../../../src/common/workflow-ids';
import { freePort, startDevServer, type DevServer } from '../../../src/temporal/dev-server';
import type { Incident } from '../../../src/workflows/watch-types';
import { createEmulatorPushWorker } from '../../integration/release/emulator-push';
import { answeringTruss, fastWatch, watcherWhen } from '../../integration/watcher/watcher-harness';
import { expectNoSecretInHistory } from '../../support/history-scan';
import { tempDir } from '../../support/temp-dirs';
import { connectTemporal, uniqueId } from '../../support/temporal';
import { waitFor } from '../../support/wait-for';
import { modelEndState, startedActivity, type CrashHarness, type ModelEndState } from './crash-harness';

export interface RestartOutcome {
  ids: { modelId: string; v1: string; v2: string };
  /** The watcher's observation (the same activity attempt, on the same worker) heartbeat again after the restart. */
  heartbeatAfterRestart: { attempt: number; sinceRestartMs: number };
  /** How long the server was down. @unit ms */
  downMs: number;
  incidents: Incident[];
  end: ModelEndState;
  /** From the case's start: the server killed, up again, production back on v1. @unit ms */
  timeline: { killedAt: number; upAt: number; doneAt: number };
}

/** A dev server of its own, keeping its state in a database file, so that it can be killed and started again. */
async function startFileServer(port: number, dbFilename: string): Promise<DevServer> {
  return startDevServer({ port, dbFilename, readyTimeoutMs: 90_000 });
}

/**
 * Releases v2 over v1 on a Temporal dev server started with `--db-filename`, lets its watcher observe, SIGKILLs the
 * server and starts it again on the same port and file, then makes v2 bad: the same worker process and watcher
 * must carry on and revert production to v1.
 */
export async function runServerRestartCase(h: CrashHarness): Promise<RestartOutcome> {
  const t0 = Date.now();
  const port = await freePort();
  const db = path.join(tempDir('temporal-db'), 'temporal.db');
  let server = await startFileServer(port, db);
  const temporal = await connectTemporal(server.address);
  const pushTaskQueue = uniqueId('restart-push');
  const pushWorker = await createEmulatorPushWorker(temporal.nativeConnection, h.emu.control, pushTaskQueue);
  const pushRun = pushWorker.run();
  try {
    const c = h.newCase('restart', { address: server.address, temporal, pushTaskQueue });
    const seeded = await c.seed('v1');
    await c.startWorker();
    const release = await c.startRelease({ trussDir: answeringTruss(c.model, 'v2'), watch: fastWatch });
    const released = await release.result();
    const ids = { ...seeded, v2: released.candidateDeploymentId ?? '' };
    await watcherWhen(c.client, c.model, 'the watcher on v2', (s) => s.watchedDeploymentId === ids.v2);

    const exited = new Promise((resolve) => server.process.once('exit', resolve));
    server.process.kill('SIGKILL');
    await exited;
    const down = Date.now();
    server = await startFileServer(port, db);
    const upAt = Date.now();
    const downMs = upAt - down;

    // The watcher carries on: its observation, still running on the same worker process, heartbeats to the new server.
    const watcher = c.client.workflow.getHandle(watcherWorkflowId(c.model, 'production'));
    const observing = await waitFor(
      'the watcher to observe (heartbeat) again after the restart',
      async () => {
        const running = await startedActivity(watcher, 'observeProduction');
        return running && tsToMs(running.lastHeartbeatTime) > upAt && running;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    await h.emu.control.makeUnhealthy(ids.v2);
    const state = await watcherWhen(
      c.client,
      c.model,
      'the revert after the restart',
      (s) => s.incidents.at(-1)?.outcome === 'reverted',
      120_000,
    );
    await expectNoSecretInHistory(watcher, {
      needle: h.emu.emulator.apiKey,
      mustSee: ids.v1,
    });
    return {
      ids,
      heartbeatAfterRestart: {
        attempt: observing.attempt ?? 0,
        sinceRestartMs: tsToMs(observing.lastHeartbeatTime) - upAt,
      },
      downMs,
      incidents: state.incidents,
      end: await modelEndState(h.emu, ids.modelId),
      timeline: { killedAt: down - t0, upAt: upAt - t0, doneAt: Date.now() - t0 },
    };
  } finally {
    pushWorker.shutdown();
    await pushRun.catch(() => undefined);
    await temporal.close();
    // The case's worker processes are stopped by the harness; the server goes last.
    await server.stop();
  }
}
