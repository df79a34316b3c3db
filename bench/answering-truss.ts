import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

const modelPy = `import os


class Model:
    def __init__(self, **kwargs):
        self._answer = None

    def load(self):
        self._answer = os.environ["BENCH_ANSWER"]

    def predict(self, model_input):
        return {"from": self._answer}
`;

/**
 * Writes a dependency-free Truss under `dir` whose model answers `{"from": answer}` to anything, so a client can
 * tell which deployment served each prediction. Returns its folder.
 */
export async function writeAnsweringTruss(dir: string, modelName: string, answer: string): Promise<string> {
  const trussDir = path.join(dir, answer);
  await mkdir(path.join(trussDir, 'model'), { recursive: true });
  const config = [
    `model_name: ${modelName}`,
    'python_version: py311',
    'requirements: []',
    'environment_variables:',
    `  BENCH_ANSWER: ${JSON.stringify(answer)}`,
    'runtime:',
    '  predict_concurrency: 4',
    '',
  ].join('\n');
  await writeFile(path.join(trussDir, 'config.yaml'), config);
  await writeFile(path.join(trussDir, 'model', 'model.py'), modelPy);
  return trussDir;
}
