import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { EmulatorControl } from '../../../src/emulator/control-client';
import { projectRoot } from '../../../src/tools/paths';
import { tempDir } from '../../support/temp-dirs';
import { waitFor } from '../../support/wait-for';

const cli = path.join(projectRoot, 'bin', 'baseten-cd.js');

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
  const child = spawn(
    process.execPath,
    [
      '--',
      cli,
      'emulator',
      '--port',
      '0',
      '--api-key',
      'cli-key',
      '--state-dir',
      path.join(dir, 'state'),
      '--env-file',
      envFile,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await waitFor(
      () => `the emulator to start: ${output}`,
      () => {
        if (child.exitCode !== null) throw new Error(`emulator exited (${child.exitCode}) before starting: ${output}`);
        return output.includes('BASETEN_API_KEY') && existsSync(envFile);
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    const vars = Object.fromEntries(
      readFileSync(envFile, 'utf8')
        .trim()
        .split('\n')
        .map((line) => /^(\w+)='(.*)'$/.exec(line)?.slice(1) ?? []),
    ) as Record<string, string>;
    expect(vars.BASETEN_API_KEY).toBe('cli-key');
    expect(vars.BASETEN_INFERENCE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/inference\/\{model_id\}$/);
    const models = await request(`${vars.BASETEN_API_URL}/v1/models`, {
      headers: { authorization: 'Api-Key cli-key' },
    });
    expect(models.statusCode).toBe(200);
    expect(await models.body.json()).toEqual({ models: [] });
  } finally {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
});

test('baseten-cd emulator with its default (relative) state dir builds and serves a deployment', async () => {
  // The default --state-dir is relative to the working directory; model processes run elsewhere, so it must be
  // resolved before use (a relative one made every load() fail with DEPLOY_FAILED).
  const cwd = tempDir('emulator-cli-cwd');
  const child = spawn(process.execPath, ['--', cli, 'emulator', '--port', '0', '--api-key', 'cwd-key'], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = await waitFor(
      () => `the emulator to start: ${output}`,
      () => {
        if (child.exitCode !== null) throw new Error(`emulator exited (${child.exitCode}) before starting: ${output}`);
        return /BASETEN_API_URL='(http:\/\/127\.0\.0\.1:\d+)'/.exec(output)?.[1];
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    expect(output).toContain(`state:          ${path.join(cwd, '.baseten-cd', 'emulator')}`);
    const control = new EmulatorControl({ url, apiKey: 'cwd-key' });
    const { model, deployment } = await control.createDeployment({
      trussDir: path.join(projectRoot, 'examples', 'text-transform'),
      modelName: 'cwd-check',
    });
    const status = await waitFor(
      `deployment ${deployment.id} to finish deploying`,
      async () => {
        const response = await request(`${url}/v1/models/${model.id}/deployments/${deployment.id}`, {
          headers: { authorization: 'Api-Key cwd-key' },
        });
        const { status } = (await response.body.json()) as { status: string };
        return ['ACTIVE', 'DEPLOY_FAILED', 'BUILD_FAILED'].includes(status) ? status : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    expect(status).toBe('ACTIVE');
  } finally {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }
}, 90_000);
