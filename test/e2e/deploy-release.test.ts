import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { deployModel } from '../../src/workflows/deploy';
import { waitForStage } from '../support/release-stage';
import { connectTemporal, uniqueId, type TemporalTestContext } from '../support/temporal';
import { copyExample } from '../support/trusses';
import { exampleWithoutSpeedBudgets } from '../support/validation-files';
import { runCli, startCli, type CliRun } from './support/cli';
import { startReleaseEnvironment, type ReleaseEnvironment } from './support/release-env';

// Speed is the benchmark's business; these tests are about the release (see exampleWithoutSpeedBudgets).
const exampleValidation = exampleWithoutSpeedBudgets('text-transform');

interface JsonOutcome {
  status: string;
  workflowId: string;
  runId: string;
  modelId: string;
  candidateDeploymentId: string;
  productionDeploymentId: string;
  previousProductionDeploymentId?: string;
  validation?: { passed: boolean; cases: unknown[]; reasons: string[] };
  reason?: string;
  failedStage?: string;
  reverted?: boolean;
  uiUrl: string;
  exitCode: number;
}

/** The one JSON object `--json` prints; on a surprise, the CLI's stderr explains it. */
function outcomeOf(run: CliRun, expectedCode: number): JsonOutcome {
  if (run.code !== expectedCode) throw new Error(`exit ${run.code}, expected ${expectedCode}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as JsonOutcome;
}

/** The end-to-end release: the CLI as CI runs it, a real fleet worker, the real truss CLI, the emulator. */
describe('baseten-cd deploy (end to end)', () => {
  let ctx: TemporalTestContext;
  let env: ReleaseEnvironment;
  const model = uniqueId('tt');
  let firstCandidate: string;
  let modelId: string;

  beforeAll(async () => {
    ctx = await connectTemporal();
    env = await startReleaseEnvironment();
  });
  afterAll(async () => {
    await env?.close();
    await ctx?.close();
  });

  it('promotes a published candidate, verifies it, and reports it in one JSON object (exit 0)', async () => {
    const truss = copyExample('text-transform');
    const args = ['deploy', truss, '--model-name', model, '--validation', exampleValidation, '--label', 'team=e2e'];
    const run = await runCli([...args, '--json'], env.cliEnv);
    const outcome = outcomeOf(run, 0);

    expect(outcome).toMatchObject({ status: 'promoted', workflowId: `release-${model}-production`, exitCode: 0 });
    expect(outcome.productionDeploymentId).toBe(outcome.candidateDeploymentId);
    expect(outcome.validation?.passed).toBe(true);
    expect(outcome.validation?.cases).toHaveLength(3);
    expect(outcome.uiUrl).toMatch(
      new RegExp(`/namespaces/default/workflows/${outcome.workflowId}/${outcome.runId}/history$`),
    );
    // Progress went to stderr: the UI link first, the validation numbers at the end.
    expect(run.stderr.split('\n')[0]).toContain(outcome.uiUrl);
    expect(run.stderr).toMatch(/validation: cases 3\/3 passed, p50 \d+ms, p95 \d+ms, error rate 0%/);
    expect(await env.emulator.productionOf(outcome.modelId)).toBe(outcome.candidateDeploymentId);
    firstCandidate = outcome.candidateDeploymentId;
    modelId = outcome.modelId;
  }, 300_000);

  it('shows the finished release in status and list', async () => {
    const [status, list] = await Promise.all([
      runCli(['status', model, '--json'], env.cliEnv),
      runCli(['list', '--model', model, '--json'], env.cliEnv),
    ]);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      workflowId: `release-${model}-production`,
      execution: 'COMPLETED',
      model,
      stage: 'promoted',
      result: { status: 'promoted', productionDeploymentId: firstCandidate },
    });
    expect(list.code).toBe(0);
    // The release, and the production watcher it started on its candidate.
    expect(JSON.parse(list.stdout)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'release', workflowId: `release-${model}-production`, execution: 'COMPLETED' }),
        expect.objectContaining({
          kind: 'watcher',
          workflowId: `watch-${model}-production`,
          execution: 'RUNNING',
          deployment: firstCandidate,
        }),
      ]),
    );
    expect((JSON.parse(status.stdout) as { watcher?: unknown }).watcher).toMatchObject({
      workflowId: `watch-${model}-production`,
      state: { stage: 'watching', watchedDeploymentId: firstCandidate },
    });
  }, 120_000);

  it('rejects a candidate that fails validation and leaves production alone (exit 3)', async () => {
    const truss = copyExample('text-transform');
    const strict = path.join(env.workDir, 'expects-four-words.yaml');
    const text = await readFile(exampleValidation, 'utf8');
    await writeFile(strict, text.replace('{ path: word_count, equals: 3 }', '{ path: word_count, equals: 4 }'));

    const outcome = outcomeOf(
      await runCli(['deploy', truss, '--model-name', model, '--validation', strict, '--json'], env.cliEnv),
      3,
    );
    expect(outcome.status).toBe('rejected');
    expect(outcome.reason).toContain('word_count');
    expect(outcome.validation?.passed).toBe(false);
    expect(await env.emulator.productionOf(modelId)).toBe(firstCandidate);
  }, 300_000);

  it('reports a candidate whose build fails (exit 4)', async () => {
    const truss = copyExample('text-transform', (config) =>
      config.replace('requirements: []', 'requirements:\n  - baseten-cd-e2e-no-such-package==0.0.1'),
    );
    const outcome = outcomeOf(
      await runCli(['deploy', truss, '--model-name', uniqueId('broken-build'), '--json'], env.cliEnv),
      4,
    );
    expect(outcome).toMatchObject({ status: 'failed', exitCode: 4 });
    expect(['pushing', 'building']).toContain(outcome.failedStage);
  }, 300_000);

  it('refuses a second release while one runs, then reverts a promotion that fails verification (exit 5)', async () => {
    const truss = copyExample('text-transform');
    const workflowId = `release-${model}-production`;
    const first = startCli(
      ['deploy', truss, '--model-name', model, '--validation', exampleValidation, '--approve-required', '--json'],
      env.cliEnv,
    );
    const handle = ctx.client.workflow.getHandle(workflowId);
    const waiting = await waitForStage(handle, 'awaiting-approval', 240_000);
    const runId = (await handle.describe()).runId;

    const second = await runCli(['deploy', truss, '--model-name', model], env.cliEnv);
    expect(second.code).toBe(2);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stderr).toContain(workflowId);
    expect(second.stderr).toContain(`/workflows/${workflowId}/${runId}/history`);
    expect((await handle.describe()).runId).toBe(runId);

    // The candidate passed validation; from now on every prediction it serves fails.
    const candidate = waiting.candidateDeploymentId ?? '';
    await env.emulator.control.setPredictionFaults(candidate, { errorRate: 1 });
    const approve = await runCli(['approve', workflowId, '--reason', 'e2e', '--by', 'jest'], env.cliEnv);
    expect(approve.stderr).toBe('');
    expect(approve.stdout.trim()).toBe(`${workflowId}: approved by jest`);
    expect(approve.code).toBe(0);

    const outcome = outcomeOf(await first.done, 5);
    expect(outcome).toMatchObject({ status: 'failed', reverted: true, candidateDeploymentId: candidate });
    expect(outcome.productionDeploymentId).toBe(firstCandidate);
    expect(await env.emulator.productionOf(modelId)).toBe(firstCandidate);
  }, 400_000);

  it('refuses to approve a release that is not running, in one line (exit 2)', async () => {
    const run = await runCli(['approve', model], env.cliEnv);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(
      `baseten-cd: release-${model}-production is not running (COMPLETED): nothing to approve`,
    );
  }, 60_000);

  it('shows a running release in status, and --supersede cancels it before starting the new one', async () => {
    const fresh = uniqueId('supersede');
    const workflowId = `release-${fresh}-production`;
    const truss = copyExample('text-transform');
    const first = startCli(['deploy', truss, '--model-name', fresh, '--approve-required', '--json'], env.cliEnv);
    const handle = ctx.client.workflow.getHandle(workflowId);
    await waitForStage(handle, 'awaiting-approval', 240_000);
    const status = await runCli(['status', workflowId, '--json'], env.cliEnv);
    expect(JSON.parse(status.stdout)).toMatchObject({
      workflowId,
      execution: 'RUNNING',
      stage: 'awaiting-approval',
      progress: { stage: 'awaiting-approval' },
    });
    const firstRunId = (await handle.describe()).runId;

    const second = outcomeOf(
      await runCli(['deploy', truss, '--model-name', fresh, '--supersede', '--json'], env.cliEnv),
      0,
    );
    expect(second.status).toBe('promoted');
    expect(second.runId).not.toBe(firstRunId);
    const superseded = await first.done;
    expect(superseded.code).toBe(1);
    const cancelled = JSON.parse(superseded.stdout) as JsonOutcome;
    expect(cancelled.status).toBe('failed');
    expect(cancelled.reason).toContain('cancelled');
    expect((await ctx.client.workflow.getHandle(workflowId, firstRunId).describe()).status.name).toBe('CANCELLED');
  }, 400_000);

  it('returns after the push with --no-wait, and the release still completes', async () => {
    const truss = copyExample('text-transform');
    const fresh = uniqueId('nowait');
    const run = await runCli(['deploy', truss, '--model-name', fresh, '--no-wait', '--json'], env.cliEnv);
    if (run.code !== 0) throw new Error(run.stderr);
    const pushed = JSON.parse(run.stdout) as { status: string; candidateDeploymentId: string; workflowId: string };
    expect(pushed.status).toBe('pushed');
    const result = await ctx.client.workflow.getHandle<typeof deployModel>(pushed.workflowId).result();
    expect(result).toMatchObject({ status: 'promoted', productionDeploymentId: pushed.candidateDeploymentId });
  }, 300_000);
});
