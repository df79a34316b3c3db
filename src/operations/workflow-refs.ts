import { releasePrefix, releaseWorkflowId, watcherPrefix, watcherWorkflowId } from '../common/workflow-ids';
import { UsageError } from '../common/usage-error';

export { releaseWorkflowId, watcherWorkflowId };

/** A release id as printed by `deploy`/`list`, or a model name (then the release of `environment`). */
export function resolveReleaseRef(ref: string, environment: string): string {
  const trimmed = ref.trim();
  if (!trimmed) throw new UsageError('release: expected a release id (release-<model>-<environment>) or a model name');
  return trimmed.startsWith(releasePrefix) ? trimmed : releaseWorkflowId(trimmed, environment);
}

/** A watcher id as printed by `list`/`status`, or a model name (then the watcher of `environment`). */
export function resolveWatcherRef(ref: string, environment: string): string {
  const trimmed = ref.trim();
  if (!trimmed) throw new UsageError('model: expected a model name or a watcher id (watch-<model>-<environment>)');
  return trimmed.startsWith(watcherPrefix) ? trimmed : watcherWorkflowId(trimmed, environment);
}
