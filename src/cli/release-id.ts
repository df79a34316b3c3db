import { UsageError } from '../common/usage-error';

const releasePrefix = 'release-';

/** Lower-case letters, digits, `.`, `_` and `-` only, so ids read the same in URLs, shells and the UI. */
function sanitise(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * The deploy workflow id: one release at a time per model and environment, because Temporal refuses a second
 * running workflow with the same id.
 */
export function releaseWorkflowId(modelName: string, environment: string): string {
  const model = sanitise(modelName);
  const env = sanitise(environment);
  if (!model) throw new UsageError(`model name '${modelName}' has no letters or digits to build a release id from`);
  if (!env) throw new UsageError(`environment '${environment}' has no letters or digits to build a release id from`);
  return `${releasePrefix}${model}-${env}`;
}

/** A release id as printed by `deploy`/`list`, or a model name (then the release of `environment`). */
export function resolveReleaseRef(ref: string, environment: string): string {
  const trimmed = ref.trim();
  if (!trimmed) throw new UsageError('release: expected a release id (release-<model>-<environment>) or a model name');
  return trimmed.startsWith(releasePrefix) ? trimmed : releaseWorkflowId(trimmed, environment);
}
