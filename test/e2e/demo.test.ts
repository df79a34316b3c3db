import { execFileSync, spawn } from 'node:child_process';
import { projectRoot } from '../../src/tools/paths';
import { processExists } from '../support/processes';
import { waitFor } from '../support/wait-for';

/** Every process below `root` (its children, their children, ...), from ps. */
function descendants(root: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift() as number;
    for (const [pid, ppid] of rows) {
      if (ppid === parent && !found.includes(pid)) {
        found.push(pid);
        queue.push(pid);
      }
    }
  }
  return found;
}

// `npm run demo -- --keep` as a newcomer runs it: the whole story happens, everything keeps running for the UI,
// and Ctrl-C (SIGINT to the terminal's process group) stops all of it, leaving no process behind.
describe('the demo', () => {
  it('tells the whole story, keeps running with --keep, and Ctrl-C leaves nothing behind', async () => {
    // As `npm run demo` runs it: node with tsx's loader, no tsx wrapper process relaying the signal.
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--keep'], {
      cwd: projectRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const pid = child.pid ?? 0;

    await waitFor(
      () => `the demo to keep running; it printed:\n${output}`,
      () => {
        // A demo that failed has ended: say so now, not when the wait runs out.
        const ended = child.exitCode ?? child.signalCode;
        if (ended !== null && !output.includes('Everything keeps running')) {
          throw new Error(`the demo ended (exit ${ended}) before it kept running; it printed:\n${output}`);
        }
        return output.includes('Everything keeps running');
      },
      {
        timeoutMs: 300_000,
        intervalMs: 200,
      },
    );
    const started = descendants(pid);
    // The Temporal dev server and the model process serving production, at least.
    expect(started.length).toBeGreaterThanOrEqual(2);

    process.kill(-pid, 'SIGINT');
    expect(await exited).toBe(0);
    const last = output.trim().split('\n').at(-1) ?? '';
    const summary = JSON.parse(last) as {
      ok: boolean;
      releases: Array<{ deploymentId: string; status: string; validation: { passed: boolean } }>;
      revert: { from: string; to: string; detectedAfterMs: number; restoredAfterMs: number };
      uiUrl: string;
    };
    expect(summary.ok).toBe(true);
    expect(summary.releases.map((r) => r.status)).toEqual(['promoted', 'promoted']);
    expect(summary.releases.every((r) => r.validation.passed)).toBe(true);
    expect(summary.revert).toMatchObject({
      from: summary.releases[1]?.deploymentId,
      to: summary.releases[0]?.deploymentId,
    });
    expect(summary.revert.restoredAfterMs).toBeGreaterThanOrEqual(summary.revert.detectedAfterMs);
    expect(output).toContain('validation report of release 2');
    await waitFor('every process the demo started to be gone', () => started.every((p) => !processExists(p)), {
      timeoutMs: 30_000,
      intervalMs: 200,
    });
  }, 420_000);
});
