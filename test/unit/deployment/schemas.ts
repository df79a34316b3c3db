import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { projectRoot } from '../../../src/tools/paths';

const schemaDir = path.join(projectRoot, 'test', 'fixtures', 'schemas');

/** A YAML file of the repository, parsed. */
export function readYaml(relative: string): unknown {
  return parse(readFileSync(path.join(projectRoot, relative), 'utf8'));
}

/**
 * Validates `data` against a vendored published schema (test/fixtures/schemas, see its README) and returns the
 * problems, one line each (empty when valid). Published schemas use annotations Ajv's strict mode rejects.
 */
export function schemaProblems(schemaFile: string, data: unknown): string[] {
  const schema = JSON.parse(readFileSync(path.join(schemaDir, schemaFile), 'utf8')) as { $schema?: string };
  const ajv = schema.$schema?.includes('2020-12')
    ? new Ajv2020({ strict: false, allErrors: true })
    : new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/** The tables of one README section (from its heading to the next heading of the same or a higher level). */
export function readmeTables(heading: string): Array<{ header: string[]; rows: string[][] }> {
  const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8').split('\n');
  const start = readme.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`README.md has no heading "${heading}"`);
  const level = heading.split(' ')[0] ?? '#';
  const end = readme.findIndex(
    (line, i) => i > start && /^#+ /.test(line) && line.split(' ')[0]!.length <= level.length,
  );
  const section = readme.slice(start + 1, end < 0 ? undefined : end);
  const tables: Array<{ header: string[]; rows: string[][] }> = [];
  let current: string[][] | undefined;
  for (const line of section) {
    if (!line.startsWith('|')) {
      current = undefined;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    if (cells.every((cell) => /^-+$/.test(cell))) continue;
    if (!current) {
      current = [];
      tables.push({ header: cells, rows: current });
    } else current.push(cells);
  }
  return tables;
}

/** The `code` spans of a table cell. */
export function codeSpans(cell: string | undefined): string[] {
  return [...(cell ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? '');
}
