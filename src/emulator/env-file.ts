import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The variables a worker (and the Baseten client) needs to talk to this emulator instead of Baseten. */
export function emulatorEnv(emulator: {
  managementUrl: string;
  inferenceUrl: string;
  apiKey: string;
}): Record<string, string> {
  return {
    BASETEN_API_URL: emulator.managementUrl,
    BASETEN_INFERENCE_URL: emulator.inferenceUrl,
    BASETEN_API_KEY: emulator.apiKey,
  };
}

/** `KEY='value'` lines that `set -a; . FILE` loads in a POSIX shell (values single-quoted, so `{model_id}` stays literal). */
export function formatEnvFile(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([key, value]) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`not an environment variable name: ${key}`);
      return `${key}='${value.replaceAll("'", `'\\''`)}'\n`;
    })
    .join('');
}

/** Writes the env file readable only by its owner (it holds the API key). */
export async function writeEnvFile(file: string, vars: Record<string, string>): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, formatEnvFile(vars), { mode: 0o600 });
  await chmod(file, 0o600);
}
