import { freePort } from '../../src/temporal/dev-server';
import { examplePath } from '../support/trusses';
import { runCli, type CliRun } from './support/cli';
import { testApiKey } from '../support/secrets';

/** Stderr lines, without blank ones. */
const lines = (stderr: string) => stderr.split('\n').filter((line) => line.trim() !== '');

const commands: Record<string, string[]> = {
  list: ['list'],
  status: ['status', 'some-model'],
  deploy: ['deploy', examplePath('text-transform'), '--model-name', 'unreachable-check'],
  worker: ['worker'],
};

describe('an unreachable Temporal server', () => {
  let address: string;
  const runs: Record<string, CliRun> = {};
  const unusedKey = testApiKey('unused');
  beforeAll(async () => {
    // A port nothing listens on. Each command waits out its connect timeout, so they run side by side.
    address = `127.0.0.1:${await freePort()}`;
    const env = { TEMPORAL_ADDRESS: address, BASETEN_API_KEY: unusedKey };
    await Promise.all(
      Object.entries(commands).map(async ([name, args]) => {
        runs[name] = await runCli(args, env);
      }),
    );
  });

  it.each(Object.keys(commands))(
    'makes `%s` say so in one line with the address, exit code 1, no stack trace',
    (name) => {
      const run = runs[name];
      expect(run?.code).toBe(1);
      expect(lines(run?.stderr ?? '')).toHaveLength(1);
      expect(run?.stderr).toContain(`cannot reach Temporal at ${address}`);
      expect(run?.stderr).not.toMatch(/^\s+at /m);
      expect(run?.stderr).not.toContain(unusedKey);
    },
  );
});
