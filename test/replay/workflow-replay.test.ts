import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { historyFromFile } from './history-file';

// Recorded releases and watchers (RECORD_HISTORIES=1 npx jest test/integration/release test/integration/workflows)
// replayed against today's workflow code, with no server: a change that would break running workflows fails here
// with a determinism error. The release-v1-* histories were recorded before the watcher and the partial-failure
// fixes: they keep the patched() branches for releases started by older workers honest.
const historiesDir = path.join(__dirname, '..', 'fixtures', 'histories');
const fixtures = readdirSync(historiesDir).filter((name) => name.endsWith('.json'));
const workflowsPath = require.resolve('../../src/workflows');

describe('the workflows replay their recorded histories', () => {
  it('has the recorded releases and watchers to replay', () => {
    expect(fixtures).toEqual(
      expect.arrayContaining([
        'release-v1-published-promoted.json',
        'release-v1-validation-rejected.json',
        'release-v1-verification-reverted.json',
        'published-promoted.json',
        'validation-rejected.json',
        'verification-reverted.json',
        'watch-reverted.json',
        'watch-pause-resume.json',
        'watch-continued-as-new.json',
        'rolling-promoted.json',
      ]),
    );
  });

  it.each(fixtures)('replays %s deterministically', async (name) => {
    const history = historyFromFile(readFileSync(path.join(historiesDir, name), 'utf8'));
    await expect(Worker.runReplayHistory({ workflowsPath }, history, name)).resolves.toBeUndefined();
  });
});
