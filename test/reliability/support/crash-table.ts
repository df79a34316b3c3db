import { writeReliabilityReport } from './report-files';

/** One row of the crash suite's table: a case, where its kill landed, and how it ended. */
export interface CrashRow {
  flow: string;
  step: string;
  /** What was killed, and when. */
  killed: string;
  /** What the test saw at the kill. */
  atKill: string;
  outcome: string;
  promotes: string;
  /** From the kill to the end of the release or revert. @unit ms */
  recoveryMs?: number;
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(0));

export function crashTable(rows: readonly CrashRow[]): string {
  const header = [
    '| flow | step | killed | at the kill | outcome | promotes | kill → done (s) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const lines = rows.map(
    (r) =>
      `| ${[r.flow, r.step, r.killed, r.atKill, r.outcome, r.promotes, seconds(r.recoveryMs)].map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`,
  );
  return [...header, ...lines].join('\n');
}

/** Writes the table (Markdown and JSON) under .baseten-cd/reliability/ and returns the Markdown path. */
export function writeCrashTable(rows: readonly CrashRow[], setup: string): string {
  return writeReliabilityReport('crash-suite', setup, crashTable(rows), { rows });
}
