import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../support/temp-dirs';
import { writeTruss } from '../../support/trusses';

/**
 * Files a gated model's predict() obeys: once `arm()` is called, every prediction marks `seen` and waits until
 * `open()`. A test holds a validation or a verification mid-request, so it can kill the worker sending it.
 */
export interface PredictGate {
  arm(): void;
  open(): void;
  /** True once an armed prediction has arrived and is waiting. */
  seen(): boolean;
  paths: { armed: string; open: string; seen: string };
}

export function predictGate(): PredictGate {
  const dir = tempDir('predict-gate');
  const paths = { armed: path.join(dir, 'armed'), open: path.join(dir, 'open'), seen: path.join(dir, 'seen') };
  return {
    paths,
    arm: () => writeFileSync(paths.armed, ''),
    open: () => writeFileSync(paths.open, ''),
    seen: () => existsSync(paths.seen),
  };
}

/** A Truss whose model answers `{"from": answer}`, and, while `gate` is armed and not open, holds each request. */
export function gatedTruss(modelName: string, answer: string, gate: PredictGate): string {
  const { armed, open, seen } = gate.paths;
  const modelPy = `import os
import time


class Model:
    def __init__(self, **kwargs):
        pass

    def load(self):
        pass

    def predict(self, model_input):
        if os.path.exists(${JSON.stringify(armed)}) and not os.path.exists(${JSON.stringify(open)}):
            open(${JSON.stringify(seen)}, "a").close()
            while not os.path.exists(${JSON.stringify(open)}):
                time.sleep(0.02)
        return {"from": ${JSON.stringify(answer)}}
`;
  return writeTruss({ modelName, modelPy });
}
