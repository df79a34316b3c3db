import path from 'node:path';
import type { BasetenClient, InferenceTarget } from '../../../src/baseten';
import { projectRoot } from '../../../src/tools/paths';
import { loadValidationFile } from '../../../src/validation/load';
import { runValidation } from '../../../src/validation/run';
import type { ValidationSpec } from '../../../src/validation/schema';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { copyExample } from '../../support/trusses';
import { exampleWithoutSpeedBudgets } from '../../support/validation-files';

// The example validation files, run against the example Trusses served by real Python model processes
// in the emulator, through the real client: what `baseten-cd deploy --validation` does on a candidate.

let t: TestEmulator;
let client: BasetenClient;

beforeAll(async () => {
  t = await startTestEmulator();
  client = t.client;
});
afterAll(() => t.close());

const production: InferenceTarget = { kind: 'production' };
const example = (name: string) => loadValidationFile(path.join(projectRoot, 'examples', 'validation', `${name}.yaml`));

/** An example file with its speed budgets lifted (see exampleWithoutSpeedBudgets). */
const withoutSpeedBudgets = (name: string): Promise<ValidationSpec> =>
  loadValidationFile(exampleWithoutSpeedBudgets(name));
// Warm-up back-off needs no real waiting here: the deployments are ACTIVE before validation starts.
const deps = () => ({ inference: client, now: Date.now, sleep: async () => undefined });

/** Deploys an example Truss and waits until it serves; returns its model id and a target for it. */
async function deploy(name: string, modelId?: string): Promise<{ modelId: string; candidate: InferenceTarget }> {
  const { model, deployment } = await t.control.createDeployment({ trussDir: copyExample(name), modelId });
  // A first build of `sentiment` installs its requirements into the shared cache.
  await t.waitForStatus(model.id, deployment.id, 'ACTIVE', { timeoutMs: 280_000 });
  return { modelId: model.id, candidate: { kind: 'deployment', deploymentId: deployment.id } };
}

test('text-transform passes its validation file, every stage of the Truss seen in the output', async () => {
  const target = await deploy('text-transform');
  const spec = await withoutSpeedBudgets('text-transform');
  const report = await runValidation({ ...target, production, spec }, deps());
  expect(report.reasons).toEqual([]);
  expect(report.cases.map((c) => c.passed)).toEqual([true, true, true]);
  expect(report.latency).toMatchObject({ samples: 30, errors: 0, passed: true });
  // Production is this very deployment (the first of its model takes production by itself): nothing to compare.
  expect(report.comparison?.passed).toBe(true);
  expect(report.comparison?.skipped).toMatch(/already serves production/);
}, 300_000);

describe('sentiment', () => {
  let sentiment: { modelId: string; candidate: InferenceTarget };
  beforeAll(async () => {
    sentiment = await deploy('sentiment');
  }, 300_000);

  test('passes its validation file: labels, scores within tolerance, schema; latency sampled', async () => {
    const spec = await withoutSpeedBudgets('sentiment');
    const report = await runValidation({ ...sentiment, production, spec }, deps());
    expect(report.reasons).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.latency).toMatchObject({ samples: 40, errors: 0 });
  });

  test('is rejected by the strict file, with one reason per broken expectation', async () => {
    const report = await runValidation({ ...sentiment, spec: await example('sentiment-strict') }, deps());
    expect(report.passed).toBe(false);
    expect(report.reasons).toEqual([
      'case "sarcasm is negative": label: expected "negative", got "positive"',
      expect.stringMatching(/^latency: p95 [\d.]+ms over budget 1ms$/),
    ]);
  });

  test('a broken candidate of the same model is rejected, not thrown, with the evidence', async () => {
    const broken = await deploy('sentiment-broken', sentiment.modelId);
    const report = await runValidation({ ...broken, production, spec: await example('sentiment') }, deps());
    expect(report.passed).toBe(false);
    expect(report.cases.every((c) => c.status === 500 && !c.passed)).toBe(true);
    expect(report.cases[0]?.outputExcerpt).toBeDefined();
    expect(report.reasons).toEqual(
      expect.arrayContaining([
        'case "positive review": status 500, expected 200',
        'latency: error rate 100% over budget 0% (40 of 40 samples failed)',
        expect.stringMatching(/^comparison: candidate gave no successful sample/),
      ]),
    );
  }, 300_000);
});
