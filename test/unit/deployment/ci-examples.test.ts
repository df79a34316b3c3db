import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ExitCode } from '../../../src/common/exit-codes';
import { projectRoot } from '../../../src/tools/paths';
import { readYaml, schemaProblems } from './schemas';

/** How each CI marks a variable as a secret: GitHub reads it from `secrets.`; GitLab passes masked variables on as is. */
const examples: Array<{ file: string; schema: string; secret: (name: string) => RegExp }> = [
  {
    file: 'examples/ci/github-actions.yml',
    schema: 'github-workflows.json',
    secret: (name) => new RegExp(`secrets\\.${name}\\b`),
  },
  { file: 'examples/ci/gitlab-ci.yml', schema: 'gitlab-ci.json', secret: (name) => new RegExp(`${name} +masked`) },
];
const trussVersion = /^TRUSS_VERSION=(\S+)$/m.exec(
  readFileSync(path.join(projectRoot, 'scripts', 'provision.sh'), 'utf8'),
)?.[1];

describe.each(examples)('the CI example $file', ({ file, schema, secret }) => {
  const text = readFileSync(path.join(projectRoot, file), 'utf8');

  it('is valid against its published JSON Schema', () => {
    const parsed = readYaml(file);
    expect(schemaProblems(schema, parsed)).toEqual([]);
    expect(Object.keys(parsed as object).length).toBeGreaterThan(1);
  });

  it('runs baseten-cd deploy with the Baseten and Temporal keys from CI secrets, and truss at the tested version', () => {
    expect(text).toMatch(/baseten-cd deploy \S+ .*--json/);
    expect(text).toMatch(secret('BASETEN_API_KEY'));
    expect(text).toMatch(secret('TEMPORAL_API_KEY'));
    expect(trussVersion).toBeDefined();
    expect(text).toContain(`truss==${trussVersion}`);
  });

  it('acts on the exit code: 0 promoted, only real codes named, anything else a failure, passed on to CI', () => {
    const labels = [...text.matchAll(/^\s*(\d+|\*)\) /gm)].map((m) => m[1]);
    const known = new Set<string>(Object.values(ExitCode).map(String));
    expect(labels).toContain('0');
    expect(labels).toContain('*');
    for (const label of labels.filter((l) => l !== '*')) expect(known).toContain(label);
    expect(text).toContain('exit "$code"');
  });
});
