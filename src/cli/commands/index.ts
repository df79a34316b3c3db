import type { Command } from 'commander';
import { ExitCode } from '../../common/exit-codes';
import { registerApprove } from './approve';
import { registerDeploy } from './deploy';
import { registerEmulator } from './emulator';
import { registerList } from './list';
import { registerSetup } from './setup';
import { registerStatus } from './status';
import { registerWorker } from './worker';

/** Every subcommand lives in its own file; this is the one list of them. */
export function registerCommands(program: Command): void {
  registerDeploy(program);
  registerStatus(program);
  registerList(program);
  registerApprove(program);
  registerEmulator(program);
  registerWorker(program);
  registerSetup(program);
  const planned: Array<[string, string]> = [
    ['rollback <model>', 'revert production to the previous deployment (a Temporal Update)'],
    ['pause <model>', 'pause the production watcher'],
    ['resume <model>', 'resume the production watcher'],
  ];
  for (const [usage, description] of planned) {
    program
      .command(usage)
      .description(`${description} [planned]`)
      .action(() => {
        // Listed so `--help` shows where the tool is going; they need the production watcher, not built yet.
        console.error(
          `baseten-cd: ${usage.split(' ')[0]} is planned and not available yet (it needs the production watcher)`,
        );
        process.exitCode = ExitCode.failure;
      });
  }
}
