import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import { projectRoot } from '../../../src/tools/paths';
import { historyToFile } from '../../replay/history-file';

export const historiesDir = path.join(projectRoot, 'test', 'fixtures', 'histories');

/** Every string in a value, with bytes (payload data) decoded as UTF-8. */
function strings(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value instanceof Uint8Array) out.push(Buffer.from(value).toString('utf8'));
  else if (Array.isArray(value)) for (const item of value) strings(item, out);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) strings(item, out);
  return out;
}

/** A history as text with every payload decoded, so a secret in any input, result or failure would show. */
export function decodedHistoryText(history: History): string {
  return strings(history, []).join('\n');
}

/** With RECORD_HISTORIES=1, saves the run's history as a replay fixture (test/replay replays every fixture). */
export async function recordHistory(handle: { fetchHistory(): Promise<History> }, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  writeFileSync(path.join(historiesDir, `${name}.json`), historyToFile(history));
}
