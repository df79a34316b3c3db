import type { Command } from 'commander';
import { temporalEnvironment } from '../../temporal/settings';
import { basetenEnvironment, fleetEnvironment } from '../../fleet/config';
import { environmentHelp } from '../env-help';
import { load } from '../lazy';

export function registerWorker(program: Command): void {
  const envHelp = environmentHelp(
    'Configuration comes from the environment only (secrets never go on the command line):',
    [...temporalEnvironment, ...basetenEnvironment, ...fleetEnvironment],
  );
  program
    .command('worker')
    .description('run a worker that executes releases: the deploy workflow and its Baseten activities')
    .addHelpText(
      'after',
      `${envHelp}\n\nStops gracefully on SIGINT/SIGTERM. Exit code 2 when the configuration is invalid.`,
    )
    .action(async () => {
      const { reportWorkerError, run } = load.worker();
      try {
        await run();
      } catch (err) {
        process.exitCode = reportWorkerError(err);
      }
    });
}
