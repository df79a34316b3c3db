import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromFile } from './history-file';

// Recorded releases (RECORD_HISTORIES=1 npx jest test/integration/release) replayed against today's workflow
// code, with no server: a change that would break running releases fails here with a determinism error.
const historiesDir = path.join(__dirname, '..', 'fixtures', 'histories');
const fixtures = readdirSync(historiesDir).filter((name) => name.endsWith('.json'));
const workflowsPath = require.resolve('../../src/workflows');

describe('deployModel replays its recorded histories', () => {
  it('has the recorded releases to replay', () => {
    expect(fixtures).toEqual(
      expect.arrayContaining(['published-promoted.json', 'validation-rejected.json', 'verification-reverted.json']),
    );
  });

  it.each(fixtures)('replays %s deterministically', async (name) => {
    const history = historyFromFile(readFileSync(path.join(historiesDir, name), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowsPath }, history, name)).resolves.toBeUndefined();
  });
});
