// The emulator's model runtime: reads a Truss, installs its requirements, and runs its model.py in a real
// Python process, the way Baseten builds and serves a deployment.
export { readTrussConfig, type TrussConfig } from './truss-config';
export { buildModelEnvironment, type BuildOptions, type BuildResult, type BuiltEnvironment } from './build';
export {
  startModelProcess,
  type ModelExitInfo,
  type ModelProcess,
  type PredictResponse,
  type StartModelProcessOptions,
} from './model-process';
export {
  BuildError,
  LoadError,
  ModelProcessExitedError,
  ModelRuntimeError,
  PredictTimeoutError,
  TrussConfigError,
} from './errors';
