import { stepLine } from '../workflows/release-text';
import type { RolloutReport } from '../workflows/types';

/** What the CLI prints about a rolling release's ramp: its state, then one line per analysed step. */
export function describeRollout(report: RolloutReport): string[] {
  const held = report.heldBy ? ` (held by ${report.heldBy})` : '';
  return [`rollout: ${report.state}${held}`, ...report.steps.map((s) => `step ${stepLine(s)}`)];
}
