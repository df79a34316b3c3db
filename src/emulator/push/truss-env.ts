import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { emulatorTeamName } from '../state/defaults';

/** The trussrc remote that points the stock truss CLI at the emulator. */
export const trussRemoteName = 'local';

/**
 * truss maps exactly this remote_url to the REST host `api.localhost:8000` (any other value sends REST
 * calls to production Baseten). Nothing listens on port 8000: HTTP_PROXY routes everything to us.
 */
export const trussRemoteUrl = 'http://localhost:8000';

export interface TrussEnvTarget {
  port: number;
  apiKey: string;
}

export function trussrcText(apiKey: string): string {
  return [
    `[${trussRemoteName}]`,
    'remote_provider = baseten',
    `remote_url = ${trussRemoteUrl}`,
    `api_key = ${apiKey}`,
    // Naming the team skips truss's team-resolution prompt.
    `team = ${emulatorTeamName}`,
    '',
  ].join('\n');
}

/** Writes a trussrc readable only by its owner (it holds the API key). */
export async function writeTrussrc(file: string, apiKey: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, trussrcText(apiKey), { mode: 0o600 });
  await chmod(file, 0o600);
}

/**
 * The variables that make a plain `truss push DIR --remote local` reach the emulator, without
 * touching /etc/hosts or the user's ~/.trussrc.
 */
export function trussEnvironment(
  target: Pick<TrussEnvTarget, 'port'>,
  files: { trussrcPath: string; configHome: string },
): Record<string, string> {
  const proxy = `http://127.0.0.1:${target.port}`;
  return {
    USER_TRUSSRC_PATH: files.trussrcPath,
    // truss (requests) and boto3 honour these; lower case wins in urllib, so set both.
    HTTP_PROXY: proxy,
    http_proxy: proxy,
    // Never `localhost`: requests matches NO_PROXY by suffix, which would bypass api.localhost too.
    NO_PROXY: '127.0.0.1',
    no_proxy: '127.0.0.1',
    // The proxy is for truss only. grpc-js (the Temporal client of `baseten-cd deploy`) honours http_proxy
    // too, and reads no_grpc_proxy before no_proxy, so loopback Temporal servers stay direct.
    no_grpc_proxy: 'localhost,127.0.0.1',
    TRUSS_NO_UPDATE_CHECK: '1',
    // truss writes settings.toml under $XDG_CONFIG_HOME/truss on every push.
    XDG_CONFIG_HOME: files.configHome,
  };
}

/** Writes `trussrc` and a config home under `dir`; returns the environment for truss. */
export async function prepareTrussEnvironment(target: TrussEnvTarget, dir: string): Promise<Record<string, string>> {
  const files = { trussrcPath: path.join(dir, 'trussrc'), configHome: path.join(dir, 'truss-config') };
  await writeTrussrc(files.trussrcPath, target.apiKey);
  await mkdir(files.configHome, { recursive: true });
  return trussEnvironment(target, files);
}
