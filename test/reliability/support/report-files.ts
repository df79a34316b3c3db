import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../src/tools/paths';

/**
 * Writes a suite's table as `<name>.md` (the setup line, then the Markdown table) and its data as `<name>.json`
 * under .baseten-cd/reliability/; returns the Markdown path.
 */
export function writeReliabilityReport(name: string, setup: string, table: string, data: object): string {
  const dir = path.join(projectRoot, '.baseten-cd', 'reliability');
  mkdirSync(dir, { recursive: true });
  const markdown = path.join(dir, `${name}.md`);
  writeFileSync(markdown, `${setup}\n\n${table}\n`);
  writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify({ setup, ...data }, null, 2)}\n`);
  return markdown;
}
