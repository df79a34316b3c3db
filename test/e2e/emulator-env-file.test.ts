import { spawn } from 'node:child_process';
import { cp } from 'node:fs/promises';
import path from 'node:path';
import { request } from 'undici';
import { projectRoot, trussCliPath } from '../../src/tools/paths';
import { readEnvFile, startEmulatorCli, type EmulatorCli } from '../support/emulator-cli';
import { tempDir } from '../support/temp-dirs';
import { temporalAddress, uniqueId } from '../support/temporal';
import { waitFor } from '../support/wait-for';
import { testApiKey } from '../support/secrets';

const bin = path.join(projectRoot, 'bin', 'baseten-cd.js');

/** Runs `command` in bash after `set -a; . ENV_FILE; set +a`, with nothing else from this process's environment. */
function fromLoadedEnvFile(envFile: string, command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const script = 'set -a; . "$1"; set +a; shift; exec "$@"';
  const child = spawn('bash', ['-c', script, 'sh', envFile, command, ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return { child, output: () => output, exited };
}

describe('the env file written by `baseten-cd emulator --env-file`', () => {
  const dir = tempDir('emulator-env-file');
  const envFile = path.join(dir, 'env', 'emulator.env');
  const envFileKey = testApiKey('env-file');
  let emulator: EmulatorCli;
  let vars: Record<string, string>;

  beforeAll(async () => {
    emulator = await startEmulatorCli([
      '--api-key',
      envFileKey,
      '--state-dir',
      path.join(dir, 'state'),
      '--env-file',
      envFile,
    ]);
    vars = readEnvFile(envFile);
  }, 90_000);

  afterAll(async () => {
    await emulator?.stop();
  });

  it('holds what baseten-cd and truss need: the Baseten API, the truss remote and its proxy, TRUSS_REMOTE', () => {
    const url = vars.BASETEN_API_URL;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(vars).toEqual({
      BASETEN_API_URL: url,
      BASETEN_INFERENCE_URL: `${url}/inference/{model_id}`,
      BASETEN_API_KEY: envFileKey,
      USER_TRUSSRC_PATH: path.join(dir, 'env', 'trussrc'),
      HTTP_PROXY: url,
      http_proxy: url,
      NO_PROXY: '127.0.0.1',
      no_proxy: '127.0.0.1',
      no_grpc_proxy: 'localhost,127.0.0.1',
      TRUSS_NO_UPDATE_CHECK: '1',
      XDG_CONFIG_HOME: path.join(dir, 'env', 'truss-config'),
      TRUSS_REMOTE: 'local',
    });
  });

  it('lets `truss push DIR --remote local` reach the emulator from a shell that loaded it', async () => {
    const truss = path.join(dir, 'text-transform');
    await cp(path.join(projectRoot, 'examples', 'text-transform'), truss, { recursive: true });
    const name = uniqueId('env-file');
    const push = fromLoadedEnvFile(envFile, trussCliPath(), ['push', truss, '--remote', 'local', '--model-name', name]);
    expect(await push.exited).toBe(0);
    const models = await request(`${vars.BASETEN_API_URL}/v1/models`, {
      headers: { authorization: `Api-Key ${vars.BASETEN_API_KEY}` },
      headersTimeout: 10_000,
    });
    const body = (await models.body.json()) as { models: { name: string }[] };
    expect(body.models.map((m) => m.name)).toContain(name);
  }, 180_000);

  it('lets `baseten-cd worker` start from a shell that loaded it (the proxy variables leave Temporal alone)', async () => {
    // localhost, not 127.0.0.1: NO_PROXY names only 127.0.0.1, so a client that honoured HTTP_PROXY would fail here.
    const port = temporalAddress().split(':').pop() ?? '';
    const taskQueue = uniqueId('env-file-fleet');
    const worker = fromLoadedEnvFile(envFile, bin, ['worker'], {
      TEMPORAL_ADDRESS: `localhost:${port}`,
      BASETEN_CD_TASK_QUEUE: taskQueue,
    });
    try {
      await waitFor(
        () => `the worker to poll: ${worker.output()}`,
        () => {
          if (worker.child.exitCode !== null) throw new Error(`worker exited: ${worker.output()}`);
          return worker.output().includes(`polling task queue ${taskQueue}`);
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited).toBe(0);
  }, 90_000);

  it('lets the CLI reach Temporal from a shell that loaded it (its gRPC client does not go through the proxy)', async () => {
    // grpc-js honours http_proxy; without no_grpc_proxy this would be tunnelled to the emulator and refused.
    const port = temporalAddress().split(':').pop() ?? '';
    const list = fromLoadedEnvFile(envFile, bin, ['list', '--json'], { TEMPORAL_ADDRESS: `localhost:${port}` });
    expect(await list.exited).toBe(0);
    // stdout (the JSON array) and stderr are interleaved here; the array is on a line of its own.
    expect(list.output()).toMatch(/^\[/m);
  }, 90_000);
});
