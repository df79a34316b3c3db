import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  BuildError,
  buildModelEnvironment,
  readTrussConfig,
  startModelProcess,
  type ModelProcess,
  type TrussConfig,
} from '../../../../src/emulator/runtime';
import { tempDir } from '../../../support/temp-dirs';
import { examplePath, writeTrussFiles } from '../../../support/trusses';

const running: ModelProcess[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.kill()));
});

describe('the sentiment examples', () => {
  // One cache for the whole file, so pip installs vaderSentiment once per test run.
  let cacheDir: string;
  beforeAll(async () => {
    cacheDir = tempDir('cache');
  });

  async function serve(name: string): Promise<ModelProcess> {
    const trussDir = examplePath(name);
    const config = await readTrussConfig(trussDir);
    const environment = await buildModelEnvironment(trussDir, config, { cacheDir });
    const proc = await startModelProcess({ trussDir, config, environment });
    running.push(proc);
    return proc;
  }

  it('installs the requirements once, then reuses the cached install', async () => {
    const trussDir = examplePath('sentiment');
    const config = await readTrussConfig(trussDir);
    const first = await buildModelEnvironment(trussDir, config, { cacheDir });
    expect(first.cached).toBe(false);
    expect(await readdir(first.sitePackages ?? '')).toContain('vaderSentiment');

    const logs: string[] = [];
    const second = await buildModelEnvironment(trussDir, config, { cacheDir, onLog: (line) => logs.push(line) });
    expect(second).toEqual({ ...first, cached: true });
    expect(logs).toEqual([expect.stringContaining('requirements already installed')]);
  });

  it('shares the cached install with a requirements_file listing the same requirements', async () => {
    const trussDir = writeTrussFiles({
      'config.yaml': 'model_name: from-file\nrequirements_file: requirements.txt\n',
      'requirements.txt': '# pinned for reproducible builds\nvaderSentiment==3.3.2\n',
      'model/model.py': 'class Model:\n    def predict(self, model_input):\n        return model_input\n',
    });
    const result = await buildModelEnvironment(trussDir, await readTrussConfig(trussDir), { cacheDir });
    expect(result.cached).toBe(true);
  });

  it('labels a positive review positive and a negative review negative', async () => {
    const proc = await serve('sentiment');
    const positive = await proc.predict({ text: 'I love this phone, it is wonderful' });
    expect(positive.status).toBe(200);
    expect(positive.body).toEqual({ label: 'positive', score: expect.any(Number) as number });
    expect((positive.body as { score: number }).score).toBeGreaterThan(0.5);
    const negative = await proc.predict({ text: 'This is terrible, I hate it' });
    expect(negative.body).toEqual({ label: 'negative', score: expect.any(Number) as number });
    expect((negative.body as { score: number }).score).toBeLessThan(-0.5);
    const neutral = await proc.predict({ text: 'The meeting is on Tuesday' });
    expect(neutral.body).toEqual({ label: 'neutral', score: 0 });
  });

  it('sentiment-broken loads, then fails every predict with a 500', async () => {
    const proc = await serve('sentiment-broken');
    for (let i = 0; i < 3; i++) {
      const response = await proc.predict({ text: 'I love this phone' });
      expect(response).toEqual({
        status: 500,
        body: { error: "KeyError: 'compound'", traceback: expect.any(String) as string },
      });
    }
  });
});

describe('requirement builds', () => {
  const sentimentConfig = () => readTrussConfig(examplePath('sentiment'));

  it('builds nothing for a Truss without requirements', async () => {
    const trussDir = examplePath('text-transform');
    const cacheDir = tempDir('cache');
    const result = await buildModelEnvironment(trussDir, await readTrussConfig(trussDir), { cacheDir });
    expect(result).toEqual({ pythonPath: 'python3', cached: true });
    expect(await readdir(cacheDir)).toEqual([]);
  });

  it("fails with BuildError quoting pip's error when a requirement does not exist", async () => {
    const config: TrussConfig = { ...(await sentimentConfig()), requirements: ['vaderSentiment==999.0.0'] };
    const cacheDir = tempDir('cache');
    const error = await buildModelEnvironment(examplePath('sentiment'), config, { cacheDir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).message).toMatch(/pip install failed \(exit 1\)/);
    expect((error as BuildError).message).toContain('vaderSentiment==999.0.0');
    expect(await readdir(path.join(cacheDir, 'site-packages'))).toEqual([]);
  });

  it('gives concurrent builds of the same requirements one complete install', async () => {
    const config = await sentimentConfig();
    const cacheDir = tempDir('cache');
    const builds = await Promise.all(
      [1, 2].map(() => buildModelEnvironment(examplePath('sentiment'), config, { cacheDir })),
    );
    expect(builds[0]?.sitePackages).toBe(builds[1]?.sitePackages);
    const root = path.join(cacheDir, 'site-packages');
    expect(await readdir(root)).toEqual([path.basename(builds[0]?.sitePackages ?? '')]);
    expect(await readdir(builds[0]?.sitePackages ?? '')).toContain('vaderSentiment');
  });

  it('kills pip when the build is aborted and keeps no partial install', async () => {
    const config = await sentimentConfig();
    const cacheDir = tempDir('cache');
    const controller = new AbortController();
    const build = buildModelEnvironment(examplePath('sentiment'), config, {
      cacheDir,
      signal: controller.signal,
      onLog: (line) => {
        if (line.startsWith('Collecting')) controller.abort();
      },
    });
    await expect(build).rejects.toThrow(new BuildError('pip install was cancelled'));
    expect(await readdir(path.join(cacheDir, 'site-packages'))).toEqual([]);
  });
});
