import { startReleaseHarness, type ReleaseHarness } from '../integration/release/release-harness';
import { expectTransientBasetenFailures } from '../support/test-logger';
import { controlPlaneFaults, runCell, type CellOptions, type CellResult } from './support/fault-cells';
import { faultTable, writeFaultTable } from './support/fault-table';

// Real releases (the deployModel workflow on the Temporal dev server, the fleet worker with its real activities and
// Baseten client, the emulator with real model processes; the push is the emulator stand-in, so only baseten-cd's
// own calls meet the faults) and a real revert by the production watcher, while Baseten's management API
// misbehaves at an exact share of calls. Reproduce: npx jest --runInBand test/reliability/control-plane-faults.test.ts

/** Each Baseten call gives up after this long (the worker's default is 60 s): a late answer costs seconds here. */
const callTimeoutMs = 2_000;
const faults = controlPlaneFaults({ callTimeoutMs, lateByMs: 2_000 });
const rates = [0.01, 0.1, 0.3];
/**
 * Two models side by side; at least two releases per cell, more only until the fault has struck a whole burst (503
 * bursts at 1 % pick the 300th call: about 29 releases here). The round cap is only a safety stop.
 */
const cellOptions: CellOptions = { lanes: 2, minReleases: 2, maxRounds: 60 };

describe('releases and reverts while the Baseten control plane misbehaves', () => {
  let h: ReleaseHarness;
  const cells: CellResult[] = [];

  beforeAll(async () => {
    expectTransientBasetenFailures(true);
    h = await startReleaseHarness({
      // Idle model processes of finished cells stop, so a long suite does not pile them up.
      emulator: { scaleToZeroAfterMs: 60_000 },
      worker: { basetenTimeoutMs: callTimeoutMs },
    });
  });
  afterAll(async () => {
    if (cells.length > 0) {
      const setup =
        `${cellOptions.lanes} models side by side, at least ${cellOptions.minReleases} releases per cell and more ` +
        `until the fault struck (a whole burst), then one release whose watcher reverts production; ` +
        `Baseten call timeout ${callTimeoutMs / 1000} s; extra time against the cell without faults`;
      const file = writeFaultTable(cells, setup);
      console.log(`Control-plane faults (${file}):\n${setup}\n\n${faultTable(cells)}`);
    }
    await h?.close();
    expectTransientBasetenFailures(false);
  });

  it('without faults: the reference times', async () => {
    const cell = await runCell(h, undefined, 0, cellOptions);
    cells.push(cell);
    expect(cell.problems).toEqual([]);
  }, 240_000);

  describe.each(faults.map((fault) => [fault.name, fault] as const))('%s', (_name, fault) => {
    it.each(rates)(
      'at %p of the management calls: every release promotes, the watcher reverts',
      async (rate) => {
        const cell = await runCell(h, fault, rate, cellOptions);
        cells.push(cell);
        expect(cell.problems).toEqual([]);
        expect(cell.releases.promoted).toBe(cell.releases.total);
        expect(cell.reverts.reverted).toBe(1);
        // The fault struck: a cell it never reached would prove nothing.
        expect(cell.faulted).toBeGreaterThanOrEqual(fault.burst);
      },
      480_000,
    );
  });
});
