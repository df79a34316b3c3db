import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/tools/paths';
import { tempDir } from './temp-dirs';

export function examplePath(name: string): string {
  return path.join(projectRoot, 'examples', name);
}

/** A private copy of examples/<name> (same folder name), for tests that change it; `edit` may rewrite config.yaml. */
export function copyExample(name: string, edit?: (config: string) => string): string {
  const dir = path.join(tempDir(name), name);
  cpSync(examplePath(name), dir, { recursive: true });
  if (edit) {
    const config = path.join(dir, 'config.yaml');
    writeFileSync(config, edit(readFileSync(config, 'utf8')));
  }
  return dir;
}

/** Writes a Truss from file contents keyed by relative path (config.yaml, model/model.py, ...). */
export function writeTrussFiles(files: Record<string, string>): string {
  const dir = tempDir('truss');
  for (const [relative, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, relative)), { recursive: true });
    writeFileSync(path.join(dir, relative), content);
  }
  return dir;
}

/** A minimal Truss written on the spot: `modelPy` is the whole model/model.py. */
export function writeTruss(options: { modelName: string; modelPy: string; configExtra?: string }): string {
  return writeTrussFiles({
    'config.yaml': `model_name: ${options.modelName}\npython_version: py311\nrequirements: []\n${options.configExtra ?? ''}`,
    'model/model.py': options.modelPy,
  });
}

/** An echo model whose load() and predict() behave as told. */
export const echoModel = `
class Model:
    def __init__(self, **kwargs):
        pass

    def load(self):
        pass

    def predict(self, model_input):
        if isinstance(model_input, dict) and model_input.get("fail"):
            raise RuntimeError("asked to fail")
        return {"echo": model_input}
`;

/** A file a gated model's load() waits for: a test holds a deployment in LOADING_MODEL until it opens the gate. */
export interface LoadGate {
  path: string;
  open(): void;
  /** Later loads wait again; a model already loaded is not affected. */
  close(): void;
}

export function loadGate(): LoadGate {
  const file = path.join(tempDir('gate'), 'open');
  return {
    path: file,
    open: () => writeFileSync(file, ''),
    close: () => rmSync(file, { force: true }),
  };
}

/** A model that answers `{"from": answer}` to anything, so a test can tell which deployment served a request. */
export function answeringModel(answer: string, gate?: LoadGate): string {
  const wait = gate
    ? `        while not os.path.exists(${JSON.stringify(gate.path)}):\n            time.sleep(0.02)\n`
    : '        pass\n';
  return `import os
import time


class Model:
    def __init__(self, **kwargs):
        pass

    def load(self):
${wait}
    def predict(self, model_input):
        return {"from": ${JSON.stringify(answer)}}
`;
}
