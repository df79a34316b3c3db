import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../../src/tools/paths';

/** A fresh copy of an example Truss in a temp dir, so a test can edit it. */
export function copyExample(name: string): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), `truss-${name}-`)), name);
  cpSync(path.join(projectRoot, 'examples', name), dir, { recursive: true });
  return dir;
}

/** A minimal Truss written on the spot: `modelPy` is the whole model/model.py. */
export function writeTruss(options: { modelName: string; modelPy: string; configExtra?: string }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'truss-inline-'));
  writeFileSync(
    path.join(dir, 'config.yaml'),
    `model_name: ${options.modelName}\npython_version: py311\nrequirements: []\n${options.configExtra ?? ''}`,
  );
  cpSync(path.join(projectRoot, 'examples', 'text-transform', 'model'), path.join(dir, 'model'), { recursive: true });
  writeFileSync(path.join(dir, 'model', 'model.py'), options.modelPy);
  return dir;
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
