/**
 * Where a command writes. Human lines go to stdout; with --json, stdout carries only the one result object
 * (so `| jq` works) and the human lines move to stderr.
 */
export interface Output {
  line(text: string): void;
  result(value: unknown): void;
}

export function createOutput(json: boolean): Output {
  return {
    line: (text) => (json ? process.stderr : process.stdout).write(`${text}\n`),
    result: (value) => {
      if (json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}
