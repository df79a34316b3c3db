import path from 'node:path';
import type { TrussConfig } from '../../../../src/emulator/runtime';
import { modelProcessEnv } from '../../../../src/emulator/runtime/model-process-env';

const config: TrussConfig = {
  requirements: [],
  environmentVariables: { MODEL_MODE: 'fast' },
  secrets: {},
  modelMetadata: {},
  modelModuleDir: 'model',
  modelClassFilename: 'model.py',
  modelClassName: 'Model',
  raw: {},
};

describe('modelProcessEnv', () => {
  const parent = { PATH: '/usr/bin', PYENV_VERSION: '3.11.7', BASETEN_API_KEY: 'secret', TEMPORAL_ADDRESS: 'x:1' };

  it("sets config.yaml's environment_variables and keeps what the interpreter needs", () => {
    const env = modelProcessEnv('/truss', config, { pythonPath: 'python3' }, parent);
    expect(env).toMatchObject({ MODEL_MODE: 'fast', PATH: '/usr/bin', PYENV_VERSION: '3.11.7' });
  });

  it("keeps the emulator's own settings and keys away from model code", () => {
    const env = modelProcessEnv('/truss', config, { pythonPath: 'python3' }, parent);
    expect(env.BASETEN_API_KEY).toBeUndefined();
    expect(env.TEMPORAL_ADDRESS).toBeUndefined();
  });

  it('puts installed requirements first on the import path, then the Truss', () => {
    const env = modelProcessEnv('/truss', config, { pythonPath: 'python3', sitePackages: '/cache/abc' }, parent);
    expect(env.PYTHONPATH).toBe(['/cache/abc', '/truss'].join(path.delimiter));
    expect(env.BASETEN_CD_SITE_PACKAGES).toBe('/cache/abc');
    expect(modelProcessEnv('/truss', config, { pythonPath: 'python3' }, parent).PYTHONPATH).toBe('/truss');
  });
});
