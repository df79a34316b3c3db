import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { uniqueId } from '../support/temporal';
import { copyExample } from '../support/trusses';
import { runCli, type CliRun } from './support/cli';
import { startReleaseEnvironment, type ReleaseEnvironment } from './support/release-env';

function json<T>(run: CliRun, code: number): T {
  if (run.code !== code) throw new Error(`exit ${run.code}, expected ${code}:\n${run.stdout}\n${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

interface StateJson {
  workflowId: string;
  state: {
    stage: string;
    mode: string;
    watchedDeploymentId: string;
    incidents: Array<{ kind: string; outcome: string; requestedBy?: string }>;
  };
}

/** Operating the production watcher through the CLI, as an operator would: pause, resume, rollback, refusals. */
describe('baseten-cd rollback, pause and resume (end to end)', () => {
  let env: ReleaseEnvironment;
  const model = uniqueId('ops');
  const ids: string[] = [];
  beforeAll(async () => {
    env = await startReleaseEnvironment();
    const truss = copyExample('text-transform');
    for (const version of ['one', 'two']) {
      const config = path.join(truss, 'config.yaml');
      await writeFile(config, (await readFile(config, 'utf8')).replace(/hello from [^"'\n]*/, `hello from ${version}`));
      const run = await runCli(['deploy', truss, '--model-name', model, '--json'], env.cliEnv);
      ids.push(json<{ candidateDeploymentId: string }>(run, 0).candidateDeploymentId);
    }
  }, 600_000);
  afterAll(async () => {
    await env?.close();
  });

  it('pauses and resumes the watcher, answering with its state', async () => {
    const paused = json<StateJson>(await runCli(['pause', model, '--reason', 'load test', '--json'], env.cliEnv), 0);
    expect(paused.state).toMatchObject({ stage: 'paused', mode: 'paused', watchedDeploymentId: ids[1] });
    const again = await runCli(['pause', model, '--reason', 'twice'], env.cliEnv);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(
      `baseten-cd: cannot pause watch-${model}-production: the watcher is already paused`,
    );
    const resumed = json<StateJson>(await runCli(['resume', model, '--json'], env.cliEnv), 0);
    expect(resumed.state).toMatchObject({ stage: 'watching', mode: 'automatic' });
  }, 120_000);

  it('rolls production back to the previous deployment and says so', async () => {
    const run = await runCli(['rollback', model, '--reason', 'wrong greeting', '--by', 'oncall', '--json'], env.cliEnv);
    const rolled = json<StateJson & { reverted: boolean }>(run, 0);
    expect(rolled.reverted).toBe(true);
    expect(rolled.state.watchedDeploymentId).toBe(ids[0]);
    expect(rolled.state.incidents.at(-1)).toMatchObject({ kind: 'manual', outcome: 'reverted', requestedBy: 'oncall' });
    expect(run.stderr).toContain(`production rolled back to ${ids[0]}`);
    const status = json<{ watcher: { state: { stage: string } } }>(
      await runCli(['status', model, '--json'], env.cliEnv),
      0,
    );
    expect(status.watcher.state.stage).toBe('reverted');
  }, 120_000);

  it('refuses, in one line and with exit 2, what it cannot do', async () => {
    const nothingLeft = await runCli(['rollback', model, '--reason', 'again'], env.cliEnv);
    expect(nothingLeft.code).toBe(2);
    expect(nothingLeft.stderr.trim()).toBe(
      `baseten-cd: cannot roll back watch-${model}-production: there is no previous deployment to roll back to: name one with "to"`,
    );
    const unknown = await runCli(['resume', 'no-such-model'], env.cliEnv);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe(
      'baseten-cd: no watcher watch-no-such-model-production (see `baseten-cd list --watchers`)',
    );
    const noReason = await runCli(['rollback', model], env.cliEnv);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");
  }, 120_000);
});
