import type { Command } from 'commander';

/** Every subcommand lives in its own file; this is the one list of them. */
export function registerCommands(program: Command): void {
  const planned: Array<[string, string]> = [
    ['deploy <truss-dir>', 'push a candidate, validate it, promote it and verify production (a release)'],
    ['status [release]', 'show a release or watcher: stage, candidate, production, validation numbers'],
    ['list', 'list releases and watchers'],
    ['approve <release>', 'approve (or --reject) a release waiting at the approval gate'],
    ['rollback <model>', 'revert production to the previous deployment (a Temporal Update)'],
    ['pause <model>', 'pause the production watcher'],
    ['resume <model>', 'resume the production watcher'],
    ['worker', 'run a worker that executes releases (config from the environment)'],
    ['emulator', 'run the local Baseten emulator (management API, inference, truss push)'],
  ];
  for (const [usage, description] of planned) {
    program
      .command(usage)
      .description(`${description} [planned]`)
      .action(() => {
        throw new Error(`${usage.split(' ')[0]} is not implemented yet`);
      });
  }
}
