import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/tools/paths';

/** Heavy modules only a running command needs: loading them costs about 1.4 s of every CLI start. */
const heavy = ['@temporalio/client', '@temporalio/worker', 'undici'];

/** Runs the CLI as bin/baseten-cd.js does, and lists which of `heavy` were loaded by the time it exited. */
function loadedBy(args: string[]): Promise<{ code: number | null; loaded: string[] }> {
  const script = [
    "require('tsx/cjs');",
    `const heavy = ${JSON.stringify(heavy)};`,
    "process.on('exit', () => {",
    '  const loaded = heavy.filter((m) => Object.keys(require.cache).some((f) => f.includes(`/node_modules/${m}/`)));',
    "  process.stdout.write('\\nLOADED ' + JSON.stringify(loaded) + '\\n');",
    '});',
    `process.argv = [process.argv[0], 'baseten-cd', ...${JSON.stringify(args)}];`,
    "require('./src/cli/main.ts');",
  ].join('\n');
  const child = spawn(process.execPath, ['-e', script], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      const line = stdout.split('\n').find((l) => l.startsWith('LOADED '));
      if (!line) return reject(new Error(`no LOADED line in the output of ${args.join(' ')}:\n${stdout}${stderr}`));
      resolve({ code, loaded: JSON.parse(line.slice('LOADED '.length)) as string[] });
    });
  });
}

// `--help` and bad input answer at once: the Temporal client, the worker and the HTTP client load only when a
// command runs (src/cli/lazy.ts).
it.each([
  [['--help'], 0],
  [['deploy', '--help'], 0],
  [['deploy', path.join(projectRoot, 'no-such-truss'), '--model-name', 'm'], 2],
  [['rollback', 'm'], 2],
  [['emulator', '--port', 'x'], 2],
])('baseten-cd %j exits %p without loading the Temporal client, the worker or undici', async (args, code) => {
  const run = await loadedBy(args);
  expect(run.code).toBe(code);
  expect(run.loaded).toEqual([]);
});

it('a command that runs does load them (the check above can see a load)', async () => {
  // The status command loads the client to ask Temporal, whether or not it then finds the model.
  const run = await loadedBy(['status', 'm']);
  expect(run.loaded).toContain('@temporalio/client');
});
