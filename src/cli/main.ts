import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { errorLine } from '../common/error-line';
import { ExitCode } from '../common/exit-codes';
import { UsageError } from '../common/usage-error';
import { registerCommands } from './commands';

/** `error: unknown option '--x'` (and whatever commander adds on later lines) → one `baseten-cd: ...` line. */
function commanderErrorLine(message: string): string {
  const text = message
    .replace(/^error:\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return `baseten-cd: ${text} (see --help)`;
}

async function run(): Promise<void> {
  const program = new Command('baseten-cd')
    .description(
      'Durable CI/CD for AI models on Baseten, on Temporal: push a candidate, validate it, promote it, verify it, watch it.',
    )
    .version(version)
    // commander's own errors (an unknown option, a missing argument) as one line, like every other refusal.
    .configureOutput({ outputError: (message, write) => write(`${commanderErrorLine(message)}\n`) })
    .exitOverride();
  registerCommands(program);
  await program.parseAsync(process.argv);
}

run().catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // commander already printed the message (or the help/version text).
    process.exit(err.exitCode === 0 ? ExitCode.ok : ExitCode.usage);
  }
  if (err instanceof UsageError) {
    // A configuration error names each bad variable on its own line.
    for (const line of err.message.split('\n')) console.error(`baseten-cd: ${line}`);
    process.exit(ExitCode.usage);
  }
  // Anything else is unexpected: one line (message and causes), never a stack trace, for humans and CI logs.
  console.error(`baseten-cd: ${errorLine(err)}`);
  process.exit(ExitCode.failure);
});
