import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../../src/common/usage-error';
import { projectRoot } from '../../../src/tools/paths';
import { defaultValidationFromTruss, loadValidationFile, ValidationFileError } from '../../../src/validation/load';
import { validationSpecSchema } from '../../../src/validation/schema';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'validation-schema-'));
});

async function fileWith(text: string, name = 'checks.yaml'): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** The one-line message loading `text` fails with. */
async function problemWith(text: string): Promise<string> {
  const path = await fileWith(text);
  const err = await loadValidationFile(path).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationFileError);
  const message = (err as Error).message;
  expect(message).not.toContain('\n');
  return message.replace(`${path}`, 'checks.yaml');
}

const GOOD = `
warmup: { requests: 3, timeout: 10m }
cases:
  - name: positive review
    input: { text: "I love this phone" }
    expect:
      status: 200
      schema: { type: object, required: [label, score], properties: { label: { enum: [positive, negative, neutral] } } }
      values: [{ path: label, equals: positive }, { path: score, approx: 0.8, tolerance: 0.2 }]
latency: { samples: 50, concurrency: 4, p50: 300ms, p95: 800ms, maxErrorRate: 0 }
compareWithProduction: { maxLatencyRatio: 1.5 }
watch: { interval: 10s, unhealthyAfter: 2, probe: { case: positive review, maxLatency: 2s } }
`;

describe('validation file', () => {
  it('parses the design example into plain JSON with durations in milliseconds', async () => {
    const spec = await loadValidationFile(await fileWith(GOOD));
    expect(spec.warmup).toEqual({ requests: 3, timeout: 600_000 });
    expect(spec.latency).toEqual({ samples: 50, concurrency: 4, p50: 300, p95: 800, maxErrorRate: 0, timeout: 60_000 });
    expect(spec.watch).toEqual({
      interval: 10_000,
      unhealthyAfter: 2,
      probe: { case: 'positive review', maxLatency: 2000 },
    });
    expect(spec.cases[0]?.expect.values).toEqual([
      { path: 'label', equals: 'positive' },
      { path: 'score', approx: 0.8, tolerance: 0.2 },
    ]);
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it('gives the same spec when a parsed spec is parsed again (it travels as workflow input)', async () => {
    const spec = await loadValidationFile(await fileWith(GOOD));
    expect(validationSpecSchema.parse(spec)).toEqual(spec);
  });

  it('fills in defaults for a file with only a case', async () => {
    const spec = await loadValidationFile(await fileWith('cases: [{ name: smoke, input: { text: hi } }]'));
    expect(spec).toEqual({
      warmup: { requests: 3, timeout: 600_000 },
      cases: [{ name: 'smoke', input: { text: 'hi' }, expect: { status: 200, values: [] }, timeout: 60_000 }],
    });
  });

  it.each([
    ['an unknown key', 'cases: [{ name: a, input: 1, expekt: {} }]', 'checks.yaml: cases[0]: unknown key "expekt"'],
    [
      'two value kinds in one check',
      'cases: [{ name: a, input: 1 }, { name: b, input: 1, expect: { values: [{ path: x, equals: 1, approx: 1 }] } }]',
      'checks.yaml: cases[1].expect.values[0]: give exactly one of equals, contains, approx',
    ],
    [
      'no value kind in a check',
      'cases: [{ name: a, input: 1, expect: { values: [{ path: x }] } }]',
      'checks.yaml: cases[0].expect.values[0]: give exactly one of equals, contains, approx',
    ],
    [
      'approx without tolerance',
      'cases: [{ name: a, input: 1, expect: { values: [{ path: x, approx: 1 }] } }]',
      'checks.yaml: cases[0].expect.values[0].tolerance: approx needs a tolerance',
    ],
    [
      'a bad path',
      'cases: [{ name: a, input: 1, expect: { values: [{ path: "items[x]", equals: 1 }] } }]',
      'checks.yaml: cases[0].expect.values[0].path: cannot read path "items[x]"',
    ],
    [
      'an invalid JSON Schema',
      'cases: [{ name: a, input: 1, expect: { schema: { type: objekt } } }]',
      'checks.yaml: cases[0].expect.schema: invalid JSON Schema',
    ],
    [
      'a JSON Schema keyword typo',
      'cases: [{ name: a, input: 1, expect: { schema: { type: object, require: [a] } } }]',
      'checks.yaml: cases[0].expect.schema: invalid JSON Schema: strict mode: unknown keyword: "require"',
    ],
    [
      'a bad duration',
      'cases: [{ name: a, input: 1 }]\nlatency: { p95: fast }',
      'checks.yaml: latency.p95: expected a duration',
    ],
    [
      'a wrong type',
      'cases: [{ name: a, input: 1 }]\nlatency: { samples: many }',
      'checks.yaml: latency.samples: expected number, received string',
    ],
    ['a missing input', 'cases: [{ name: a }]', 'checks.yaml: cases[0].input: missing'],
    ['no cases', 'cases: []', 'checks.yaml: cases: give at least one case'],
    [
      'duplicate case names',
      'cases: [{ name: a, input: 1 }, { name: a, input: 2 }]',
      'checks.yaml: cases[1].name: duplicate case name "a"',
    ],
    [
      'a probe naming no case',
      'cases: [{ name: a, input: 1 }]\nwatch: { probe: { case: b } }',
      'checks.yaml: watch.probe.case: no case named "b" (cases: "a")',
    ],
    [
      'a comparison without latency sampling',
      'cases: [{ name: a, input: 1 }]\ncompareWithProduction: { maxLatencyRatio: 2 }',
      'checks.yaml: compareWithProduction: needs a latency section',
    ],
    [
      'an error rate above 1',
      'cases: [{ name: a, input: 1 }]\nlatency: { maxErrorRate: 5 }',
      'checks.yaml: latency.maxErrorRate: expected number to be <=1',
    ],
    ['a YAML syntax error', 'cases: [{ name: a, input: 1 }\nlatency: {', 'checks.yaml:2:1: YAML syntax: '],
    ['an empty file', '', 'checks.yaml: the file is empty'],
  ])('rejects %s with one line naming the key', async (_what, text, expected) => {
    expect(await problemWith(text)).toContain(expected);
  });

  it('reports a YAML syntax error with its line and column', async () => {
    expect(await problemWith('cases:\n  - name: a\n    input: [1, 2\n')).toMatch(
      /^checks\.yaml:\d+:\d+: YAML syntax: /,
    );
  });

  it('says how many more problems there are beyond the first', async () => {
    expect(await problemWith('cases: [{ name: a, input: 1, x: 1, y: 2 }]\nlatency: { samples: 0 }')).toMatch(
      /\(and 1 more problem\)$/,
    );
  });

  it('is a usage error, so the CLI exits with the usage code before starting anything', async () => {
    await expect(loadValidationFile(join(dir, 'missing.yaml'))).rejects.toThrow(UsageError);
    await expect(loadValidationFile(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: no such file/);
  });
});

it('parses every example validation file', async () => {
  const folder = join(projectRoot, 'examples', 'validation');
  const files = (await readdir(folder)).filter((f) => f.endsWith('.yaml'));
  expect(files.length).toBeGreaterThanOrEqual(3);
  for (const file of files) await expect(loadValidationFile(join(folder, file))).resolves.toBeDefined();
});

describe('default validation from a Truss', () => {
  it('makes example_model_input the one smoke case, expecting HTTP 200', async () => {
    const truss = await mkdtemp(join(dir, 'truss-'));
    await writeFile(
      join(truss, 'config.yaml'),
      'model_name: m\nmodel_metadata:\n  example_model_input: { text: hello }\n',
    );
    const spec = await defaultValidationFromTruss(truss);
    expect(spec.cases).toEqual([
      { name: 'example_model_input', input: { text: 'hello' }, expect: { status: 200, values: [] }, timeout: 60_000 },
    ]);
    expect(spec.latency).toBeUndefined();
  });

  it('tells the user to add an example input or pass --validation when there is none', async () => {
    const truss = await mkdtemp(join(dir, 'truss-'));
    await writeFile(join(truss, 'config.yaml'), 'model_name: m\n');
    await expect(defaultValidationFromTruss(truss)).rejects.toThrow(
      /config\.yaml: model_metadata\.example_model_input: missing; add an example input there .* or pass --validation <file>$/,
    );
  });

  it('says so when the folder has no config.yaml', async () => {
    await expect(defaultValidationFromTruss(join(dir, 'nowhere'))).rejects.toThrow(/config\.yaml: no such file$/);
  });
});
