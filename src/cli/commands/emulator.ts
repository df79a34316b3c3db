import { Option, type Command } from 'commander';
import path from 'node:path';
import { emulatorEnv, formatEnvFile, writeEnvFile } from '../../emulator/env-file';
import { prepareTrussEnvironment, trussRemoteName } from '../../emulator/push/truss-env';
import { UsageError } from '../../common/usage-error';
import { load } from '../lazy';
import { parseListenPort, refuseBusyPort } from '../listen-port';

interface EmulatorCommandOptions {
  port: string;
  apiKey?: string;
  stateDir: string;
  writeEnv?: string;
  envFile?: string;
}

function parseApiKey(value: string | undefined): string {
  if (value === undefined) return load.emulatorOptions().generateApiKey();
  if (!/^\S+$/.test(value)) throw new UsageError('--api-key: expected a non-empty key without spaces');
  return value;
}

export function registerEmulator(program: Command): void {
  program
    .command('emulator')
    .description('run the local Baseten emulator: management API, inference and model processes on 127.0.0.1')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '8880')
    .option('--api-key <key>', 'API key clients must send (default: a generated one, printed)')
    .option('--state-dir <dir>', 'where deployments and their Truss sources are kept', '.baseten-cd/emulator')
    .option(
      '--write-env <path>',
      "write the environment for `baseten-cd worker`, `baseten-cd deploy` and `truss push --remote local` here (load with 'set -a; . PATH; set +a')",
    )
    // The old name, hidden: under `npx`/`npm exec`, Node 20 takes a literal `--env-file` anywhere on npm's own
    // command line as its flag and stops before baseten-cd starts ("node: PATH: not found"). Run directly or
    // through the bin link it still works.
    .addOption(new Option('--env-file <path>').hideHelp())
    .addHelpText(
      'after',
      [
        '',
        'The emulator speaks the Baseten management API under /v1 and serves inference at',
        '/inference/{model_id}/{production|development|deployment/ID|environments/NAME}/predict, with each',
        "deployment's model/model.py running in its own Python process. Deployments survive a restart",
        '(they come back scaled to zero). Stop it with Ctrl-C.',
        '',
        'Example:',
        '  baseten-cd emulator --write-env .baseten-cd/emulator.env &',
        '  set -a; . .baseten-cd/emulator.env; set +a',
        '  baseten-cd worker &',
        '  baseten-cd deploy examples/text-transform',
      ].join('\n'),
    )
    .action(async (options: EmulatorCommandOptions) => {
      const port = parseListenPort(options.port);
      const apiKey = parseApiKey(options.apiKey);
      const emulator = await load
        .emulator()
        .startEmulator({ port, apiKey, stateDir: options.stateDir })
        .catch(refuseBusyPort(port));
      const envFile = options.writeEnv ?? options.envFile;
      // The trussrc and truss's config home go next to the env file, so loading it is all truss needs.
      const trussDir = envFile ? path.dirname(path.resolve(envFile)) : path.join(emulator.stateDir, 'truss');
      const env = {
        ...emulatorEnv(emulator),
        ...(await prepareTrussEnvironment(emulator, trussDir)),
        // `baseten-cd deploy` pushes to TRUSS_REMOTE: naming the emulator's remote makes the file all it needs.
        TRUSS_REMOTE: trussRemoteName,
      };
      if (envFile) await writeEnvFile(envFile, env);
      console.log(
        [
          `Baseten emulator listening on ${emulator.url}`,
          `  management API: ${emulator.managementUrl}/v1/models`,
          `  inference:      ${emulator.inferenceUrl}/production/predict`,
          `  state:          ${emulator.stateDir}`,
          '',
          envFile
            ? `Environment for baseten-cd and truss (also written to ${envFile}):`
            : 'Environment for baseten-cd and truss:',
          formatEnvFile(env)
            .trimEnd()
            .split('\n')
            .map((line) => `  export ${line}`)
            .join('\n'),
          '',
          `With that environment, the stock truss CLI pushes here: truss push <truss-dir> --remote ${trussRemoteName}`,
        ].join('\n'),
      );
      await untilSignal();
      console.log('Stopping the emulator and its model processes...');
      await emulator.close();
    });
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
