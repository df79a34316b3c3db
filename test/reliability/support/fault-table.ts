import { writeReliabilityReport } from './report-files';
import type { CellResult } from './fault-cells';

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(1));
const signed = (ms: number | undefined) => (ms === undefined ? '-' : `${ms >= 0 ? '+' : ''}${seconds(ms)}`);
const percent = (rate: number) => (rate === 0 ? '0' : `${Math.round(rate * 100)} %`);

/** The table of the control-plane fault suite, in Markdown: one row per cell, times against the fault-free cell. */
export function faultTable(cells: readonly CellResult[]): string {
  const base = cells.find((c) => c.rate === 0);
  const header = [
    '| fault | rate | releases promoted | reverts | calls faulted | release mean (s) | extra (s) | revert (s) | extra (s) | least wait after a 429 |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const rows = cells.map((c) =>
    [
      c.fault,
      percent(c.rate),
      `${c.releases.promoted}/${c.releases.total}`,
      `${c.reverts.reverted}/${c.reverts.total}`,
      `${c.faulted}/${c.calls}`,
      seconds(c.releases.meanMs),
      c === base || !base ? '-' : signed(c.releases.meanMs - base.releases.meanMs),
      seconds(c.reverts.ms),
      c === base || !base?.reverts.ms || c.reverts.ms === undefined ? '-' : signed(c.reverts.ms - base.reverts.ms),
      c.rateLimited > 0 ? `${seconds(c.shortestWaitAfter429Ms)} s (${c.rateLimited} × 429)` : '-',
    ].join(' | '),
  );
  return [...header, ...rows.map((row) => `| ${row} |`)].join('\n');
}

/** Writes the table (Markdown and JSON) under .baseten-cd/reliability/ and returns the Markdown path. */
export function writeFaultTable(cells: readonly CellResult[], setup: string): string {
  return writeReliabilityReport('control-plane-faults', setup, faultTable(cells), { cells });
}
