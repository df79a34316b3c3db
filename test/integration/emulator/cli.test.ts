import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { request } from 'undici';
import { EmulatorControl } from '../../../src/emulator/control-client';
import { projectRoot } from '../../../src/tools/paths';
import { readEnvFile, startEmulatorCli } from '../../support/emulator-cli';
import { tempDir } from '../../support/temp-dirs';
import { waitFor } from '../../support/wait-for';
import { testApiKey } from '../../support/secrets';

const cli = path.join(projectRoot, 'bin', 'baseten-cd.js');
const cliKey = testApiKey('cli');
const cwdKey = testApiKey('cwd');

test('baseten-cd emulator --port with a bad value prints one line and exits 2', () => {
  const result = spawnSync(process.execPath, ['--', cli, 'emulator', '--port', 'abc'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.status).toBe(2);
  expect(result.stderr.trim().split('\n')).toEqual([
    "baseten-cd: --port 'abc': expected 0..65535 (0 picks a free port)",
  ]);
});

test('baseten-cd emulator writes an env file a worker can load, serves the API with that key, and stops cleanly on SIGTERM', async () => {
  const dir = tempDir('emulator-cli');
  const envFile = path.join(dir, 'emulator.env');
  const emulator = await startEmulatorCli([
    '--api-key',
    cliKey,
    '--state-dir',
    path.join(dir, 'state'),
    '--env-file',
    envFile,
  ]);
  try {
    const vars = readEnvFile(envFile);
    expect(vars.BASETEN_API_KEY).toBe(cliKey);
    expect(vars.BASETEN_API_URL).toBe(emulator.url);
    expect(vars.BASETEN_INFERENCE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/inference\/\{model_id\}$/);
    const models = await request(`${vars.BASETEN_API_URL}/v1/models`, {
      headers: { authorization: `Api-Key ${cliKey}` },
    });
    expect(models.statusCode).toBe(200);
    expect(await models.body.json()).toEqual({ models: [] });
  } finally {
    expect(await emulator.stop()).toBe(0);
  }
});

test('baseten-cd emulator with its default (relative) state dir builds and serves a deployment', async () => {
  // The default --state-dir is relative to the working directory; model processes run elsewhere, so it must be
  // resolved before use (a relative one made every load() fail with DEPLOY_FAILED).
  const cwd = tempDir('emulator-cli-cwd');
  const emulator = await startEmulatorCli(['--api-key', cwdKey], { cwd });
  try {
    expect(emulator.output()).toContain(`state:          ${path.join(cwd, '.baseten-cd', 'emulator')}`);
    const control = new EmulatorControl({ url: emulator.url, apiKey: cwdKey });
    const { model, deployment } = await control.createDeployment({
      trussDir: path.join(projectRoot, 'examples', 'text-transform'),
      modelName: 'cwd-check',
    });
    const status = await waitFor(
      `deployment ${deployment.id} to finish deploying`,
      async () => {
        const response = await request(`${emulator.url}/v1/models/${model.id}/deployments/${deployment.id}`, {
          headers: { authorization: `Api-Key ${cwdKey}` },
        });
        const { status } = (await response.body.json()) as { status: string };
        return ['ACTIVE', 'DEPLOY_FAILED', 'BUILD_FAILED'].includes(status) ? status : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(status).toBe('ACTIVE');
  } finally {
    expect(await emulator.stop()).toBe(0);
  }
}, 90_000);
