import type { EnvDoc } from '../config/env-schema';

/** An "Environment:" block for a command's `--help`: one aligned line per variable. */
export function environmentHelp(heading: string, entries: readonly EnvDoc[]): string {
  const width = Math.max(...entries.map(([name]) => name.length));
  return `\n${heading}\n${entries.map(([name, what]) => `  ${name.padEnd(width)}  ${what}`).join('\n')}`;
}
