import { createServer, type Server, type Socket } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CancelledFailure } from '@temporalio/common';
import { createPushActivities, type PushHeartbeat } from '../../../src/activities/push';
import type { PushInput } from '../../../src/activities/push-types';
import { prepareTrussEnvironment } from '../../../src/emulator/push/truss-env';
import { freePort } from '../../../src/temporal/dev-server';
import { trussCliPath } from '../../../src/tools/paths';
import { copyExample } from '../../support/trusses';
import { processExists } from '../../support/processes';
import { waitFor } from '../../support/wait-for';
import { quietActivityEnvironment } from './support';
import { testApiKey } from '../../support/secrets';

const published = (trussDir: string): PushInput => ({ trussDir, candidate: { kind: 'published' } });

/** The real truss CLI failing before or while it talks to a server: no emulator needed. */
describe('push activity failures on the real truss CLI', () => {
  let work: string;
  beforeEach(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'push-fail-'));
  });
  afterEach(async () => {
    await rm(work, { recursive: true, force: true });
  });

  async function activitiesFor(port: number) {
    const env = await prepareTrussEnvironment({ port, apiKey: testApiKey('push-failures') }, work);
    return createPushActivities({ trussCliPath: trussCliPath(), remote: 'local', env });
  }

  it('rejects an invalid config.yaml as non-retryable, with truss own message', async () => {
    const trussDir = copyExample('text-transform');
    await writeFile(path.join(trussDir, 'config.yaml'), 'model_name: broken\nresources:\n  cpu: [1, 2]\n');
    const { pushCandidate } = await activitiesFor(await freePort());
    const failure = await quietActivityEnvironment()
      .run(pushCandidate, published(trussDir))
      .catch((err: unknown) => err);
    expect(failure).toMatchObject({ type: 'TrussConfigError', nonRetryable: true });
    expect((failure as Error).message).toMatch(/validation error for TrussConfig[\s\S]*resources\.cpu/);
  });

  it('reports an unreachable Baseten as a retryable network error', async () => {
    const trussDir = copyExample('text-transform');
    const { pushCandidate } = await activitiesFor(await freePort()); // nothing listens there
    const failure = await quietActivityEnvironment()
      .run(pushCandidate, published(trussDir))
      .catch((err: unknown) => err);
    expect(failure).toMatchObject({ type: 'TrussNetworkError', nonRetryable: false });
  });

  describe('when cancelled while truss waits on the server', () => {
    let server: Server;
    const sockets: Socket[] = [];
    beforeEach(async () => {
      // Accepts truss's request and never answers, so truss is mid-push when we cancel.
      server = createServer((socket) => sockets.push(socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterEach(async () => {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => server.close(resolve));
    });

    it('kills the truss process and leaves none behind', async () => {
      const trussDir = copyExample('text-transform');
      const port = (server.address() as { port: number }).port;
      const { pushCandidate } = await activitiesFor(port);
      const env = quietActivityEnvironment();
      const beats: PushHeartbeat[] = [];
      env.on('heartbeat', (details: PushHeartbeat) => beats.push(details));

      const running = env.run(pushCandidate, published(trussDir));
      const outcome = running.catch((err: unknown) => err);
      await waitFor('truss to reach the server', () => sockets.length > 0);
      const pid = beats[0]?.pid;
      expect(pid).toBeDefined();
      expect(processExists(pid as number)).toBe(true);

      env.cancel();
      expect(await outcome).toBeInstanceOf(CancelledFailure);
      // The activity settles only after truss has exited and been reaped.
      expect(processExists(pid as number)).toBe(false);
    });
  });
});
