import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { connectTemporal, uniqueId, type TemporalTestContext } from '../support/temporal';
import { copyExample } from '../support/trusses';
import { runCli } from './support/cli';

/** Bad input must stop `deploy` before it starts anything: exit 2, one line naming the problem, no workflow. */
describe('baseten-cd deploy with bad input', () => {
  let ctx: TemporalTestContext;
  let dir: string;
  let truss: string;
  const model = uniqueId('input-check');
  // A fleet queue nobody polls: if a bad input ever started a release, it would still be visible (and harmless).
  const env = { BASETEN_CD_TASK_QUEUE: uniqueId('nobody') };

  beforeAll(async () => {
    ctx = await connectTemporal();
    truss = copyExample('text-transform');
    dir = path.dirname(truss);
    await writeFile(path.join(dir, 'bad-validation.yaml'), 'cases:\n  - name: x\n    inputt: {}\n');
  });
  afterAll(async () => {
    await ctx?.close();
  });

  const cases: Array<[string, () => string[], RegExp]> = [
    ['a missing truss dir', () => [path.join(dir, 'missing')], /^baseten-cd: truss dir .*missing: no such directory$/],
    ['a folder without config.yaml', () => [dir], /no config\.yaml \(is this a Truss\?\)$/],
    [
      'a validation file with an unknown key',
      () => [truss, '--validation', path.join(dir, 'bad-validation.yaml')],
      /bad-validation\.yaml: cases\[0\]\.input: missing/,
    ],
    [
      'a missing validation file',
      () => [truss, '--validation', path.join(dir, 'none.yaml')],
      /none\.yaml: no such file$/,
    ],
    ['a label without =', () => [truss, '--label', 'team'], /^baseten-cd: --label: 'team': expected key=value/],
    ['an unknown candidate kind', () => [truss, '--candidate', 'draft'], /^baseten-cd: --candidate: 'draft': expected/],
    [
      'a bad approval timeout',
      () => [truss, '--approve-required', '--approval-timeout', 'tomorrow'],
      /--approval-timeout/,
    ],
  ];

  it.each(cases)('refuses %s with one line and exit code 2', async (_name, args, message) => {
    const run = await runCli(['deploy', ...args(), '--model-name', model], env);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
    expect(run.code).toBe(2);
  });

  it('started no workflow for any of them', async () => {
    const { count } = await ctx.client.workflow.count(`BasetenModel='${model}'`);
    const byId = await ctx.client.workflow.count(`WorkflowId STARTS_WITH 'release-${model}'`);
    expect(count + byId.count).toBe(0);
  });

  it('documents every option in --help', async () => {
    const run = await runCli(['deploy', '--help']);
    expect(run.code).toBe(0);
    for (const option of [
      '--model-name',
      '--environment',
      '--candidate',
      '--validation',
      '--deployment-name',
      '--label',
      '--git-commit',
      '--approve-required',
      '--approval-timeout',
      '--supersede',
      '--cleanup',
      '--no-wait',
      '--json',
      'TEMPORAL_ADDRESS',
      'TEMPORAL_NAMESPACE',
      'TEMPORAL_API_KEY',
      'BASETEN_CD_TASK_QUEUE',
      'TEMPORAL_UI_URL',
      'TRUSS_REMOTE',
      'TRUSS_CLI_PATH',
    ]) {
      expect(run.stdout).toContain(option);
    }
  });

  it('documents status, list and approve in their --help', async () => {
    const [status, list, approve] = await Promise.all([
      runCli(['status', '--help']),
      runCli(['list', '--help']),
      runCli(['approve', '--help']),
    ]);
    expect(status.stdout).toMatch(/--environment[\s\S]*--json/);
    expect(list.stdout).toMatch(/--model[\s\S]*--limit[\s\S]*--json/);
    expect(approve.stdout).toMatch(/--reject[\s\S]*--reason[\s\S]*--by/);
  });
});
