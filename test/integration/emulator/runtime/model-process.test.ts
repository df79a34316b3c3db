import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { request } from 'undici';
import {
  LoadError,
  ModelProcessExitedError,
  readTrussConfig,
  startModelProcess,
  type ModelExitInfo,
  type ModelProcess,
  type StartModelProcessOptions,
} from '../../../../src/emulator/runtime';
import { processExists } from '../../../support/processes';
import { copyExample, examplePath, writeTrussFiles } from '../../../support/trusses';
import { waitFor } from '../../../support/wait-for';

const environment = { pythonPath: 'python3' };
const running: ModelProcess[] = [];

async function start(trussDir: string, extra: Partial<StartModelProcessOptions> = {}): Promise<ModelProcess> {
  const config = await readTrussConfig(trussDir);
  const proc = await startModelProcess({ trussDir, config, environment, ...extra });
  running.push(proc);
  return proc;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.kill()));
});

describe('a running text-transform model', () => {
  it('answers predict through preprocess, predict and postprocess', async () => {
    const proc = await start(examplePath('text-transform'));
    const response = await proc.predict({ text: '  Hello,   Baseten   world  ' });
    expect(response).toEqual({
      status: 200,
      body: { text: 'Hello, Baseten world', upper: 'HELLO, BASETEN WORLD', word_count: 3, postprocessed: true },
    });
  });

  it("streams the model's prints as logs, with config.yaml's environment_variables set", async () => {
    const logs: string[] = [];
    await start(examplePath('text-transform'), { onLog: (line) => logs.push(line) });
    // stderr and the stdout event stream are separate pipes, so the line may arrive just after "loaded".
    await waitFor('the load() print', () => logs.includes('text-transform loaded (hello from config.yaml)'));
  });

  it("turns the model's exception into a 500 with the error and the model's traceback", async () => {
    const proc = await start(examplePath('text-transform'));
    const response = await proc.predict({ words: 'no text field' });
    expect(response.status).toBe(500);
    const body = response.body as { error: string; traceback: string };
    expect(body.error).toBe('ValueError: expected a JSON object with a string field "text"');
    expect(body.traceback).toMatch(/^Traceback/);
    expect(body.traceback).toContain(path.join('model', 'model.py'));
    expect(body.traceback).not.toContain('model_server.py');
  });

  it('answers 400 to a body that is not JSON and 200 on /health', async () => {
    const proc = await start(examplePath('text-transform'));
    const base = `http://127.0.0.1:${proc.port}`;
    const bad = await request(`${base}/predict`, { method: 'POST', body: '{not json', headersTimeout: 5000 });
    expect(bad.statusCode).toBe(400);
    expect(await bad.body.json()).toEqual({ error: expect.stringContaining('not valid JSON') as string });
    const health = await request(`${base}/health`, { headersTimeout: 5000 });
    expect(health.statusCode).toBe(200);
    await health.body.dump();
  });
});

describe('model start failures', () => {
  it('rejects with LoadError carrying the traceback when load() raises', async () => {
    const trussDir = writeTrussFiles({
      'config.yaml': 'model_name: bad-load\n',
      'model/model.py': [
        'class Model:',
        '    def load(self):',
        '        raise FileNotFoundError("weights/model.bin is missing")',
        '    def predict(self, model_input):',
        '        return model_input',
      ].join('\n'),
    });
    const error = await start(trussDir).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(LoadError);
    const loadError = error as LoadError;
    expect(loadError.message).toContain('FileNotFoundError: weights/model.bin is missing');
    expect(loadError.traceback).toContain('in load');
    expect(loadError.traceback).toContain('raise FileNotFoundError');
  });

  it('rejects with LoadError naming the exit and the last logs when the process dies during load', async () => {
    const trussDir = writeTrussFiles({
      'config.yaml': 'model_name: dies\n',
      'model/model.py': [
        'import os, sys',
        'class Model:',
        '    def load(self):',
        '        print("about to crash", file=sys.stderr, flush=True)',
        '        os._exit(7)',
        '    def predict(self, model_input):',
        '        return model_input',
      ].join('\n'),
    });
    await expect(start(trussDir)).rejects.toThrow(/exited \(code 7\) before it finished loading:[\s\S]*about to crash/);
  });

  const slowLoad = {
    'config.yaml': 'model_name: slow\n',
    'model/model.py': [
      'import os, sys, time',
      'class Model:',
      '    def load(self):',
      '        print(f"pid={os.getpid()}", file=sys.stderr, flush=True)',
      '        time.sleep(600)',
      '    def predict(self, model_input):',
      '        return model_input',
    ].join('\n'),
  };

  it('kills a model whose load() outlasts the load timeout, without reporting it as a running exit', async () => {
    let pid = 0;
    const exits: ModelExitInfo[] = [];
    const onLog = (line: string) => {
      const match = /^pid=(\d+)$/.exec(line);
      if (match?.[1]) pid = Number(match[1]);
    };
    const trussDir = writeTrussFiles(slowLoad);
    await expect(start(trussDir, { loadTimeoutMs: 1500, onLog, onExit: (info) => exits.push(info) })).rejects.toThrow(
      /did not finish loading within 1500 ms/,
    );
    expect(pid).toBeGreaterThan(0);
    expect(processExists(pid)).toBe(false);
    expect(exits).toEqual([]);
  });

  it('kills a loading model when its start is cancelled', async () => {
    const controller = new AbortController();
    let pid = 0;
    const onLog = (line: string) => {
      const match = /^pid=(\d+)$/.exec(line);
      if (match?.[1]) {
        pid = Number(match[1]);
        controller.abort();
      }
    };
    const trussDir = writeTrussFiles(slowLoad);
    await expect(start(trussDir, { onLog, signal: controller.signal })).rejects.toThrow(
      new LoadError('model start was cancelled; the process was killed'),
    );
    expect(processExists(pid)).toBe(false);
  });
});

describe('model process exits', () => {
  it('rejects predict with ModelProcessExitedError after kill(), and reports the exit as expected', async () => {
    const exits: ModelExitInfo[] = [];
    const proc = await start(examplePath('text-transform'), { onExit: (info) => exits.push(info) });
    await proc.kill();
    expect(proc.alive).toBe(false);
    await expect(proc.predict({ text: 'hi' })).rejects.toBeInstanceOf(ModelProcessExitedError);
    expect(exits).toEqual([{ code: null, signal: 'SIGTERM', expected: true }]);
  });

  it('reports a process killed from outside as an unexpected exit', async () => {
    const exits: ModelExitInfo[] = [];
    const proc = await start(examplePath('text-transform'), { onExit: (info) => exits.push(info) });
    process.kill(proc.pid, 'SIGKILL');
    await waitFor('onExit', () => exits.length > 0);
    expect(exits).toEqual([{ code: null, signal: 'SIGKILL', expected: false }]);
    expect(proc.alive).toBe(false);
    await expect(proc.predict({ text: 'hi' })).rejects.toBeInstanceOf(ModelProcessExitedError);
  });

  it('rejects an in-flight predict with ModelProcessExitedError when the model process dies mid-request', async () => {
    const trussDir = writeTrussFiles({
      'config.yaml': 'model_name: crash-in-predict\n',
      'model/model.py': [
        'import os',
        'class Model:',
        '    def predict(self, model_input):',
        '        os._exit(3)',
      ].join('\n'),
    });
    const exits: ModelExitInfo[] = [];
    const proc = await start(trussDir, { onExit: (info) => exits.push(info) });
    await expect(proc.predict({})).rejects.toBeInstanceOf(ModelProcessExitedError);
    await waitFor('onExit', () => exits.length > 0);
    expect(exits).toEqual([{ code: 3, signal: null, expected: false }]);
  });
});

describe('model code variants', () => {
  it('serves the new code after model.py changes and the model is started again', async () => {
    const trussDir = copyExample('text-transform');
    const before = await start(trussDir);
    expect((await before.predict({ text: 'a b' })).body).toMatchObject({ word_count: 2 });
    await before.kill();

    const modelFile = path.join(trussDir, 'model', 'model.py');
    const source = await readFile(modelFile, 'utf8');
    await writeFile(modelFile, source.replace('"postprocessed": True', '"postprocessed": "v2"'));
    const after = await start(trussDir);
    expect((await after.predict({ text: 'a b' })).body).toMatchObject({ postprocessed: 'v2' });
  });

  it('runs async methods, collects generator output, and passes only the constructor arguments a model accepts', async () => {
    const trussDir = writeTrussFiles({
      'config.yaml': [
        'model_name: variants',
        'secrets:',
        '  api_token: null',
        'model_metadata:',
        '  greeting: hi',
      ].join('\n'),
      'model/model.py': [
        'import asyncio',
        'class Model:',
        '    def __init__(self, config, secrets):',
        '        self._greeting = config["model_metadata"]["greeting"]',
        '        self._token = secrets["api_token"]',
        '    async def load(self):',
        '        await asyncio.sleep(0)',
        '    async def preprocess(self, model_input):',
        '        return model_input["n"]',
        '    def predict(self, n):',
        '        for i in range(n):',
        '            yield f"{self._greeting}-{i}"',
        '    async def postprocess(self, items):',
        '        return {"items": items, "token": self._token}',
      ].join('\n'),
    });
    const proc = await start(trussDir, { secrets: { api_token: 's3cret' } });
    expect(await proc.predict({ n: 3 })).toEqual({
      status: 200,
      body: { items: ['hi-0', 'hi-1', 'hi-2'], token: 's3cret' },
    });
  });
});
