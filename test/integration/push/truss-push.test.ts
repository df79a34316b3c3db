import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emulatorEnv, writeEnvFile } from '../../../src/emulator/env-file';
import { prepareTrussEnvironment } from '../../../src/emulator/push/truss-env';
import { trussCliPath } from '../../../src/tools/paths';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { uniqueId } from '../../support/temporal';
import { copyExample } from '../../support/trusses';
import { pushOutput, runCli } from './support';

/** The unmodified truss CLI pushing to a real emulator, through nothing but a trussrc and environment variables. */
describe('truss push against the emulator', () => {
  let te: TestEmulator;
  let work: string;
  let trussEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    te = await startTestEmulator();
    work = await mkdtemp(path.join(tmpdir(), 'truss-push-'));
    trussEnv = { ...process.env, ...(await prepareTrussEnvironment(te.emulator, work)) };
  });
  afterAll(async () => {
    await te?.close();
    await rm(work, { recursive: true, force: true });
  });

  const truss = (...args: string[]) => runCli(trussCliPath(), args, trussEnv);
  const push = async (dir: string, ...flags: string[]) =>
    pushOutput(await truss('push', dir, '--remote', 'local', '--output', 'json', ...flags));
  const predict = (modelId: string, prefix: string, input: unknown) =>
    te.call('POST', `${te.emulator.url}/inference/${modelId}${prefix}/predict`, input);
  const model = async (modelId: string) =>
    (await te.call('GET', `/v1/models/${modelId}`)).body as { production_deployment_id: string | null };

  it('makes the first deployment of a new model production, serving the pushed code', async () => {
    const name = uniqueId('tt');
    const dir = copyExample('text-transform');
    await renameModel(dir, name);
    const pushed = await push(dir);
    expect(pushed.is_draft).toBe(false);

    await te.waitForStatus(pushed.model_id, pushed.model_version_id, 'ACTIVE');
    expect(await model(pushed.model_id)).toMatchObject({ name, production_deployment_id: pushed.model_version_id });
    const reply = await predict(pushed.model_id, '/production', { text: '  hello   world ' });
    expect(reply).toMatchObject({
      status: 200,
      body: { text: 'hello world', upper: 'HELLO WORLD', word_count: 2, postprocessed: true },
    });

    // truss predict by the config's model name, on the published (production) deployment.
    const byName = await truss(
      'predict',
      '--remote',
      'local',
      '--target-directory',
      dir,
      '--published',
      '-d',
      '{"text": "by name"}',
    );
    expect(byName.code).toBe(0);
    expect(byName.stdout).toContain(`Calling predict on deployment ID ${pushed.model_version_id}`);
    expect(byName.stdout).toMatch(/"upper":\s*"BY NAME"/);
  });

  it('adds a published candidate to an existing model without touching production', async () => {
    const name = uniqueId('tt');
    const dir = copyExample('text-transform');
    const first = await push(dir, '--model-name', name);
    await te.waitForStatus(first.model_id, first.model_version_id, 'ACTIVE');

    const modelPy = path.join(dir, 'model', 'model.py');
    const code = await readFile(modelPy, 'utf8');
    await writeFile(modelPy, code.replace('"postprocessed": True', '"postprocessed": True, "release": 2'));
    const candidate = await push(dir, '--model-name', name, '--deployment-name', 'release-2');
    expect(candidate.model_id).toBe(first.model_id);
    expect(candidate.model_version_id).not.toBe(first.model_version_id);

    const active = await te.waitForStatus(candidate.model_id, candidate.model_version_id, 'ACTIVE');
    expect(active).toMatchObject({ name: 'release-2', is_production: false });
    expect((await model(first.model_id)).production_deployment_id).toBe(first.model_version_id);
    expect(
      (await predict(first.model_id, `/deployment/${candidate.model_version_id}`, { text: 'x' })).body,
    ).toMatchObject({ release: 2 });
    expect((await predict(first.model_id, '/production', { text: 'x' })).body).not.toHaveProperty('release');
  });

  it('pushes into a new staging environment, whose current deployment it becomes', async () => {
    const name = uniqueId('sentiment');
    const pushed = await push(copyExample('sentiment'), '--model-name', name, '--environment', 'staging');
    await te.waitForStatus(pushed.model_id, pushed.model_version_id, 'ACTIVE', { timeoutMs: 170_000 });

    const staging = await te.call('GET', `/v1/models/${pushed.model_id}/environments/staging`);
    expect(staging).toMatchObject({ status: 200, body: { current_deployment: { id: pushed.model_version_id } } });
    const reply = await predict(pushed.model_id, '/environments/staging', { text: 'I love this phone' });
    expect(reply).toMatchObject({ status: 200, body: { label: 'positive' } });
  }, 180_000);

  it('rejects a config.yaml that truss itself refuses: non-zero exit, its message, nothing created', async () => {
    const name = uniqueId('broken');
    const dir = copyExample('text-transform');
    await writeFile(path.join(dir, 'config.yaml'), `model_name: ${name}\nresources:\n  cpu: [1, 2]\n`);
    const result = await truss('push', dir, '--remote', 'local', '--output', 'json');
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/validation error for TrussConfig[\s\S]*resources\.cpu/);
    await expectNoModel(name);
  });

  it('works from a shell that loaded the emulator env file (set -a; . FILE)', async () => {
    const envFile = path.join(work, 'shell', 'emulator.env');
    // What `baseten-cd emulator --env-file` writes: the worker's variables plus truss's.
    const vars = {
      ...emulatorEnv(te.emulator),
      ...(await prepareTrussEnvironment(te.emulator, path.dirname(envFile))),
    };
    await writeEnvFile(envFile, vars);
    const name = uniqueId('tt');
    const script = 'set -a; . "$1"; set +a; "$2" push "$3" --remote local --output json --model-name "$4"';
    const shellEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? work };
    const result = await runCli(
      'bash',
      ['-c', script, 'sh', envFile, trussCliPath(), copyExample('text-transform'), name],
      shellEnv,
    );
    const pushed = pushOutput(result);
    await te.waitForStatus(pushed.model_id, pushed.model_version_id, 'ACTIVE');
    expect((await predict(pushed.model_id, '/production', { text: 'from a shell' })).body).toMatchObject({
      word_count: 3,
    });
  });

  async function renameModel(dir: string, name: string): Promise<void> {
    const file = path.join(dir, 'config.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^model_name: .*$/m, `model_name: ${name}`));
  }

  async function expectNoModel(name: string): Promise<void> {
    const models = (await te.call('GET', '/v1/models')).body as { models: { name: string }[] };
    expect(models.models.map((m) => m.name)).not.toContain(name);
  }
});
