import { copyExample } from '../support/trusses';
import { uniqueId } from '../support/temporal';
import { exampleWithoutSpeedBudgets } from '../support/validation-files';
import { runCli, type CliRun } from './support/cli';
import { startReleaseEnvironment, type ReleaseEnvironment } from './support/release-env';

// Speed is the benchmark's business; these tests are about the release (see exampleWithoutSpeedBudgets).
const validation = exampleWithoutSpeedBudgets('text-transform');

interface Outcome {
  status: string;
  modelId: string;
  candidateDeploymentId: string;
  productionDeploymentId: string;
  previousProductionDeploymentId?: string;
}

function outcomeOf(run: CliRun): Outcome {
  if (run.code !== 0) throw new Error(`exit ${run.code}, expected 0:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Outcome;
}

/**
 * The other two candidate kinds, end to end: the CLI as CI runs it, the real truss CLI pushing to the emulator,
 * a real fleet worker. Each model first gets a published production deployment, so the release replaces one.
 */
describe('baseten-cd deploy --candidate (end to end)', () => {
  let env: ReleaseEnvironment;

  beforeAll(async () => {
    env = await startReleaseEnvironment();
  });
  afterAll(async () => {
    await env?.close();
  });

  async function release(model: string, extra: string[] = []): Promise<Outcome> {
    const truss = copyExample('text-transform');
    const args = ['deploy', truss, '--model-name', model, '--validation', validation, ...extra, '--json'];
    return outcomeOf(await runCli(args, env.cliEnv));
  }

  it('development: validates the development deployment, then production is the deployment its promotion built', async () => {
    const model = uniqueId('dev');
    const first = await release(model);

    const outcome = await release(model, ['--candidate', 'development']);
    expect(outcome.status).toBe('promoted');
    expect(outcome.previousProductionDeploymentId).toBe(first.productionDeploymentId);
    // Promoting the development deployment builds a new published one: that one serves production.
    expect(outcome.productionDeploymentId).not.toBe(outcome.candidateDeploymentId);
    expect(outcome.productionDeploymentId).not.toBe(first.productionDeploymentId);
    expect(await env.emulator.productionOf(outcome.modelId)).toBe(outcome.productionDeploymentId);
    const development = await env.emulator.call('GET', `/v1/models/${outcome.modelId}/deployments/development`);
    expect(development.body).toMatchObject({ id: outcome.candidateDeploymentId, is_development: true });
    const promotes = await env.emulator.promoteCalls(outcome.modelId);
    expect(promotes.map((r) => r.path)).toEqual([`/v1/models/${outcome.modelId}/deployments/development/promote`]);
  }, 300_000);

  it('environment:staging: pushes into staging, then promotes that deployment to production through the environments API', async () => {
    const model = uniqueId('stg');
    const first = await release(model);

    const outcome = await release(model, ['--candidate', 'environment:staging']);
    expect(outcome.status).toBe('promoted');
    expect(outcome.productionDeploymentId).toBe(outcome.candidateDeploymentId);
    expect(outcome.previousProductionDeploymentId).toBe(first.productionDeploymentId);
    expect(await env.emulator.productionOf(outcome.modelId)).toBe(outcome.candidateDeploymentId);
    const promotes = await env.emulator.promoteCalls(outcome.modelId);
    expect(promotes.map((r) => r.path)).toEqual([`/v1/models/${outcome.modelId}/environments/production/promote`]);
  }, 300_000);
});
