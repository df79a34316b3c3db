import type { Command } from 'commander';

/** The options of a command that names a watcher (see watcherRefArguments). */
export interface WatcherRefOptions {
  environment: string;
  json?: boolean;
}

/** Adds the `<model>` argument (a model name or a watcher id) and the `--environment` that goes with a model name. */
export function watcherRefArguments(command: Command): Command {
  return command
    .argument('<model>', 'a model name, or a watcher id (watch-<model>-<environment>)')
    .option('--environment <name>', 'with a model name: the environment the watcher guards', 'production')
    .option('--json', 'print the watcher state as one JSON object');
}
