import type { CliRun } from '../../e2e/support/cli';

/** One bad input: the CLI arguments and environment, the exit code it must end with and the line it must print. */
export interface BadInput {
  name: string;
  args: () => string[];
  env?: () => NodeJS.ProcessEnv;
  /** @default 2 (usage) */
  code?: number;
  /** The one stderr line, whole: what is wrong and where. */
  line: RegExp;
  /** A run that is not refused would wait forever (a worker that polls): end it after this long. @unit ms */
  timeoutMs?: number;
}

/** Runs every case through `run`, at most `limit` at once (each is a Node process starting tsx). */
export async function runAll(
  cases: readonly BadInput[],
  limit: number,
  run: (input: BadInput) => Promise<CliRun>,
): Promise<Map<string, CliRun>> {
  const results = new Map<string, CliRun>();
  const queue = [...cases];
  const lane = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) results.set(next.name, await run(next));
  };
  await Promise.all(Array.from({ length: limit }, lane));
  return results;
}

/** What a refusal printed on stderr, blank lines left out. */
export function stderrLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((line) => line.trim() !== '');
}

/** A stack frame (`    at fn (file:1:2)`) or a dumped error object (`Error: ...` followed by `{`, `code:`...). */
export const stackTracePattern = /^\s+at\s|^\s*\[?\w*Error\b.*\{$|^\s*(code|details|metadata):/m;
