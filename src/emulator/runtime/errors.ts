// Class names are a contract: Temporal and the emulator report `error.constructor.name` as the failure type.

/** Base of every error the model runtime throws. */
export class ModelRuntimeError extends Error {
  override name = 'ModelRuntimeError';
}

/** config.yaml (or the model file it points at) is missing or does not satisfy truss's schema. */
export class TrussConfigError extends ModelRuntimeError {
  override name = 'TrussConfigError';
  constructor(
    message: string,
    /** The file at fault. */
    readonly file: string,
    /** Dotted key path inside config.yaml, when one key is at fault. */
    readonly keyPath?: string,
  ) {
    super(message);
  }
}

/** Installing the Truss's requirements failed (pip error, timeout or abort). */
export class BuildError extends ModelRuntimeError {
  override name = 'BuildError';
}

/** The model process could not finish starting: load() raised, the process died, or load timed out. */
export class LoadError extends ModelRuntimeError {
  override name = 'LoadError';
  constructor(
    message: string,
    /** The Python traceback, when the model raised. */
    readonly traceback?: string,
  ) {
    super(message);
  }
}

/** The model process is no longer running, so it cannot answer. */
export class ModelProcessExitedError extends ModelRuntimeError {
  override name = 'ModelProcessExitedError';
}

/** The model did not answer a predict within its timeout. */
export class PredictTimeoutError extends ModelRuntimeError {
  override name = 'PredictTimeoutError';
}
