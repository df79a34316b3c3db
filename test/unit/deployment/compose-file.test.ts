import { readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../../src/tools/paths';
import { codeSpans, readmeTables, readYaml, schemaProblems } from './schemas';

interface ComposeService {
  image?: string;
  build?: { context: string; target?: string };
  profiles?: string[];
  ports?: string[];
  expose?: string[];
  command?: string[];
  environment?: Record<string, string>;
}

const compose = readYaml('docker-compose.yml') as { services: Record<string, ComposeService> };
const composeText = readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8');
const dockerfile = readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
const tables = readmeTables('### Self-hosted Temporal with docker compose');
const table = (first: string) => {
  const found = tables.find((t) => t.header[0] === first);
  if (!found) throw new Error(`the README's compose section has no table starting with "${first}"`);
  return found;
};

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification JSON Schema', () => {
    expect(schemaProblems('compose-spec.json', compose)).toEqual([]);
    // The scan proves it saw something: a file without services would also be valid.
    expect(Object.keys(compose.services).length).toBeGreaterThan(5);
  });

  it('has exactly the services the README lists, with the ports it names', () => {
    const services = table('service');
    const portColumn = services.header.indexOf('ports');
    const listed = services.rows.map((row) => codeSpans(row[0])[0]);
    expect(listed.sort()).toEqual(Object.keys(compose.services).sort());
    for (const row of services.rows) {
      const service = compose.services[codeSpans(row[0])[0] ?? ''];
      const published = [...(service?.ports ?? []), ...(service?.expose ?? [])].map((p) => p.split(':').pop());
      expect({ service: row[0], ports: codeSpans(row[portColumn]) }).toEqual({ service: row[0], ports: published });
    }
  });

  it('reads exactly the variables the README lists', () => {
    const documented = table('variable').rows.map((row) => codeSpans(row[0])[0]);
    const read = new Set([...composeText.matchAll(/(?<!\$)\$\{(\w+)/g)].map((m) => m[1]));
    expect(documented.sort()).toEqual([...read].sort());
  });

  it('runs the schema tools of the server version it runs, and builds the Dockerfile targets that exist', () => {
    const tag = (image: string) =>
      Object.values(compose.services)
        .map((s) => s.image ?? '')
        .filter((i) => i.startsWith(`${image}:`))
        .map((i) => i.split(':')[1]);
    expect(new Set(tag('temporalio/admin-tools'))).toEqual(new Set(tag('temporalio/server')));
    expect(composeText).not.toContain('temporalio/auto-setup');
    for (const service of Object.values(compose.services)) {
      if (service.build?.target) expect(dockerfile).toMatch(new RegExp(`^FROM .+ AS ${service.build.target}$`, 'm'));
    }
    expect(compose.services.setup?.command).toEqual(['setup']);
    expect(compose.services.worker?.environment?.BASETEN_CD_METRICS_PORT).toBe('9464');
  });
});
