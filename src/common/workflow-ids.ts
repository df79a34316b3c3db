import { UsageError } from './usage-error';

/** Lower-case letters, digits, `.`, `_` and `-` only, so ids read the same in URLs, shells and the UI. */
export function idPart(part: string): string {
  return part
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function workflowId(prefix: string, modelName: string, environment: string): string {
  const model = idPart(modelName);
  const env = idPart(environment);
  if (!model) throw new UsageError(`model name '${modelName}' has no letters or digits to build an id from`);
  if (!env) throw new UsageError(`environment '${environment}' has no letters or digits to build an id from`);
  return `${prefix}${model}-${env}`;
}

export const releasePrefix = 'release-';
export const watcherPrefix = 'watch-';

/**
 * The deploy workflow id: one release at a time per model and environment, because Temporal refuses a second
 * running workflow with the same id.
 */
export function releaseWorkflowId(modelName: string, environment: string): string {
  return workflowId(releasePrefix, modelName, environment);
}

/** The watcher's workflow id: at most one watcher runs per model and environment. */
export function watcherWorkflowId(modelName: string, environment: string): string {
  return workflowId(watcherPrefix, modelName, environment);
}
