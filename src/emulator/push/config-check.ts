import { checkTrussSchema } from '../runtime/truss-config-schema';

/**
 * Keys truss 0.18.36 writes into every serialized config (computed or newer fields) that Baseten's
 * published schema does not list; the real server accepts them, so they must not fail validation here.
 */
const clientOnlyKeys = [['bdn'], ['resources', 'use_gpu'], ['runtime', 'oidc']];

/** The server-side check of a pushed config (a parsed config.yaml); returns one line per problem. */
export function configProblems(config: unknown): string[] {
  if (!isObject(config)) return ['config: must be an object (the parsed config.yaml)'];
  const checked = structuredClone(config);
  for (const keyPath of clientOnlyKeys) removeKey(checked, keyPath);
  const problem = checkTrussSchema(checked);
  return problem ? [`${problem.keyPath || 'config'}: ${problem.message}`] : [];
}

/** Decodes truss's `config` argument: base64 of the config as JSON. */
export function decodeTrussConfig(encoded: string): unknown {
  try {
    return JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
}

function removeKey(document: Record<string, unknown>, keyPath: string[]): void {
  const parent = keyPath
    .slice(0, -1)
    .reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), document);
  const last = keyPath[keyPath.length - 1];
  if (isObject(parent) && last !== undefined) delete parent[last];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
