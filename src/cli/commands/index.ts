import type { Command } from 'commander';
import { registerApprove } from './approve';
import { registerCodecServer } from './codec-server';
import { registerDeploy } from './deploy';
import { registerEmulator } from './emulator';
import { registerList } from './list';
import { registerPauseResume } from './pause';
import { registerRollback } from './rollback';
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
  registerRollback(program);
  registerPauseResume(program);
  registerCodecServer(program);
}
