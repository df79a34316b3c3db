import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import { projectRoot } from '../../../src/tools/paths';
import { historyToFile } from '../../replay/history-file';

export const historiesDir = path.join(projectRoot, 'test', 'fixtures', 'histories');

/** With RECORD_HISTORIES=1, saves the run's history as a replay fixture (test/replay replays every fixture). */
export async function recordHistory(handle: { fetchHistory(): Promise<History> }, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const history = await handle.fetchHistory();
  writeFileSync(path.join(historiesDir, `${name}.json`), historyToFile(history));
}
