import type { Command } from 'commander';
import { reportWorkerError, run } from '../../worker';
import { workerEnvironment } from '../../worker/config';

export function registerWorker(program: Command): void {
  const width = Math.max(...workerEnvironment.map(([name]) => name.length));
  const envHelp = workerEnvironment.map(([name, what]) => `  ${name.padEnd(width)}  ${what}`).join('\n');
  program
    .command('worker')
    .description('run a worker that executes releases: the deploy workflow and its Baseten activities')
    .addHelpText(
      'after',
      `\nConfiguration comes from the environment only (secrets never go on the command line):\n${envHelp}\n\nStops gracefully on SIGINT/SIGTERM. Exit code 2 when the configuration is invalid.`,
    )
    .action(async () => {
      try {
        await run();
      } catch (err) {
        process.exitCode = reportWorkerError(err);
      }
    });
}
