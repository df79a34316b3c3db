const Sequencer = require('@jest/test-sequencer').default;

// npm test runs two files at a time. Jest's default order on a fresh clone (no timing cache) is by file size, which
// would leave a small but long suite (the control-plane fault matrix) running alone at the end. The folders that hold
// the long, mostly waiting suites go first, so both workers stay busy until the end.
const folderOrder = ['test/reliability/', 'test/e2e/', 'test/integration/', 'test/replay/', 'test/unit/'];

function rank(test) {
  const relative = test.path.slice(test.context.config.rootDir.length + 1).replace(/\\/g, '/');
  const index = folderOrder.findIndex((folder) => relative.startsWith(folder));
  return index === -1 ? folderOrder.length : index;
}

class LongestFirstSequencer extends Sequencer {
  sort(tests) {
    // Within a folder, Jest's own order (its recorded durations, or size) is kept.
    const ordered = super.sort(tests);
    const position = new Map(ordered.map((test, i) => [test.path, i]));
    return [...ordered].sort((a, b) => rank(a) - rank(b) || position.get(a.path) - position.get(b.path));
  }
}

module.exports = LongestFirstSequencer;
