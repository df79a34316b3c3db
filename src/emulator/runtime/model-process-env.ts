import path from 'node:path';
import type { BuiltEnvironment } from './build';
import type { TrussConfig } from './truss-config';

// What an interpreter needs from our environment to start (pyenv shims read PYENV_*); nothing else of the
// emulator's (API keys, Temporal settings) should leak into model code.
const passThrough = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'TZ', 'SSL_CERT_FILE'];

/** The model process's environment: a minimal base, the Truss's environment_variables, and its import path. */
export function modelProcessEnv(
  trussDir: string,
  config: TrussConfig,
  environment: BuiltEnvironment,
  parentEnv: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(parentEnv)) {
    if (value !== undefined && (passThrough.includes(name) || name.startsWith('PYENV_'))) env[name] = value;
  }
  const importPath = [environment.sitePackages, trussDir].filter((p): p is string => Boolean(p));
  return {
    ...env,
    ...config.environmentVariables,
    PYTHONPATH: importPath.join(path.delimiter),
    // model_server.py also registers it as a site dir, so the .pth files some packages install take effect.
    ...(environment.sitePackages ? { BASETEN_CD_SITE_PACKAGES: environment.sitePackages } : {}),
    PYTHONUNBUFFERED: '1',
    // Bytecode caches key on mtime in whole seconds: a model.py edited within the same second would run stale.
    PYTHONDONTWRITEBYTECODE: '1',
  };
}
