import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/tools/paths';
import { readEnvFile, startEmulatorCli } from '../support/emulator-cli';
import { tempDir } from '../support/temp-dirs';
import { testApiKey } from '../support/secrets';

const run = promisify(execFile);

/**
 * `baseten-cd emulator --write-env FILE` as the README shows it, started the three ways users start the CLI.
 * (Node 20 takes a literal `--env-file` on npx's own command line as its flag, which is why the option is
 * called --write-env.)
 */
describe('baseten-cd emulator --write-env, however the CLI is started', () => {
  const dir = tempDir('emulator-launchers');
  const launcherKey = testApiKey('launcher');

  async function writesItsEnvironment(command: string[], cwd: string, flag = '--write-env'): Promise<void> {
    const envFile = path.join(tempDir('launcher-env'), 'emulator.env');
    const emulator = await startEmulatorCli(['--api-key', launcherKey, flag, envFile], {
      command,
      cwd,
      env: { npm_config_update_notifier: 'false' },
    });
    try {
      const vars = readEnvFile(envFile);
      expect(vars.BASETEN_API_URL).toBe(emulator.url);
      expect(vars.BASETEN_API_KEY).toBe(launcherKey);
    } finally {
      await emulator.stop();
    }
  }

  it('through npx in the repository', async () => {
    await writesItsEnvironment(['npx', 'baseten-cd'], projectRoot);
  }, 120_000);

  it("through a project's node_modules/.bin/baseten-cd", async () => {
    const consumer = path.join(dir, 'consumer');
    await run('mkdir', ['-p', consumer]);
    writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', projectRoot], { cwd: consumer });
    await writesItsEnvironment([path.join(consumer, 'node_modules', '.bin', 'baseten-cd')], consumer);
  }, 180_000);

  it('when installed globally (npm install -g), also under the old --env-file name', async () => {
    const prefix = path.join(dir, 'global');
    await run('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', projectRoot]);
    const bin = path.join(prefix, 'bin', 'baseten-cd');
    await writesItsEnvironment([bin], dir);
    await writesItsEnvironment([bin], dir, '--env-file');
  }, 180_000);
});
