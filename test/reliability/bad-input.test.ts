import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { msToTs } from '@temporalio/common/lib/time';
import { watcherWorkflowId } from '../../src/common/workflow-ids';
import { freePort } from '../../src/temporal/dev-server';
import { defaultWatchSettings } from '../../src/workflows/watch-rules';
import { stateQuery } from '../../src/workflows/messages';
import type { watchProduction } from '../../src/workflows/watch';
import type { WatchInput } from '../../src/workflows/watch-types';
import { searchAttributes } from '../../src/workflows/search-attributes';
import { runCli, type CliRun } from '../e2e/support/cli';
import { startReleaseEnvironment, type ReleaseEnvironment } from '../e2e/support/release-env';
import { fleetWorkerEnv } from '../support/fleet-worker';
import { testApiKey } from '../support/secrets';
import { tempDir } from '../support/temp-dirs';
import { connectTemporal, temporalAddress, uniqueId, type TemporalTestContext } from '../support/temporal';
import { copyExample } from '../support/trusses';
import { waitFor } from '../support/wait-for';
import { runAll, stackTracePattern, stderrLines, type BadInput } from './support/refusals';

// Every input a user can get wrong, through the real `baseten-cd` CLI, with everything a release needs really there
// (an emulator with truss pointed at it, a fleet worker polling the task queue the CLI uses), so an input that
// slipped through would really start a release. Each must print one line saying what is wrong and where, exit with
// the documented code (2: usage), print no stack trace, and start or change nothing. Reproduce:
//   npx jest --runInBand test/reliability/bad-input.test.ts

const model = uniqueId('bad-input');
/** A model with a running production watcher (and nothing to fall back to). */
const watched = uniqueId('watched');
const missingNames = searchAttributes.map((key) => key.name).join('.*');

describe('bad input through the real CLI', () => {
  let env: ReleaseEnvironment;
  /** Every workflow on the task queue the CLI and the suite's worker use. */
  const ownQueue = () => `TaskQueue = '${env.cliEnv.BASETEN_CD_TASK_QUEUE ?? ''}'`;
  let ctx: TemporalTestContext;
  let truss: string;
  let files: string;
  let unreachable: string;
  /** A namespace on the test server without the project's search attributes. */
  const bareNamespace = uniqueId('bare');
  let workflowsBefore: number;
  let since: string;
  let runs: Map<string, CliRun>;
  let watchedModelId: string;
  let watchedDeploymentId: string;

  const at = (name: string) => path.join(files, name);
  /** Writes `text` as `name` under the test's folder and returns its path. */
  const file = (name: string, text: string) => {
    writeFileSync(at(name), text);
    return at(name);
  };
  /** A Truss folder whose config.yaml is `config`. */
  const trussWith = (name: string, config: string) => {
    mkdirSync(at(name), { recursive: true });
    file(path.join(name, 'config.yaml'), config);
    return at(name);
  };
  const deploy = (...args: string[]) => ['deploy', ...args, '--model-name', model];
  const withValidation = (name: string, text: string) => deploy(truss, '--validation', file(name, text));
  const workerEnv = (extra: NodeJS.ProcessEnv) => () => ({
    ...fleetWorkerEnv(env.emulator.emulator, uniqueId('never-polled')),
    ...extra,
  });
  const bare = () => ({ TEMPORAL_NAMESPACE: bareNamespace });

  const cases: BadInput[] = [
    // The Truss folder and its config.yaml
    {
      name: 'a Truss path that is a file',
      args: () => deploy(file('not-a-folder', 'x')),
      line: /^baseten-cd: truss dir .*not-a-folder: is a file, not a folder/,
    },
    {
      name: 'a missing Truss dir',
      args: () => deploy(at('missing')),
      line: /^baseten-cd: truss dir .*missing: no such directory$/,
    },
    {
      name: 'a folder without config.yaml',
      args: () => deploy(files),
      line: /: no config\.yaml \(is this a Truss\?\)$/,
    },
    {
      name: 'an empty config.yaml',
      args: () => deploy(trussWith('empty', '')),
      line: /empty\/config\.yaml: the file is empty/,
    },
    {
      name: 'a config.yaml that is not YAML',
      args: () => deploy(trussWith('not-yaml', 'model_name: [x\npython_version: py311\n')),
      line: /not-yaml\/config\.yaml:\d+:\d+: not valid YAML: \S/,
    },
    {
      name: 'a config.yaml that is not a mapping',
      args: () => deploy(trussWith('a-list', '- model_name\n- python_version\n')),
      line: /a-list\/config\.yaml: expected a mapping of keys \(model_name: \.\.\.\), got a list$/,
    },
    {
      name: 'a model_name that is not a string',
      args: () => ['deploy', trussWith('list-name', 'model_name: [a, b]\n')],
      line: /list-name\/config\.yaml: model_name: expected string/,
    },
    // The validation file
    {
      name: 'a validation file with an unknown top-level key',
      args: () => withValidation('unknown-key.yaml', 'cases: [{ name: a, input: {} }]\nlatencies: { samples: 3 }\n'),
      line: /unknown-key\.yaml: unknown key "latencies"$/,
    },
    {
      name: 'a validation file with a wrong type',
      args: () => withValidation('wrong-type.yaml', 'cases: [{ name: a, input: {} }]\nlatency: { samples: many }\n'),
      line: /wrong-type\.yaml: latency\.samples: expected number/,
    },
    {
      name: 'a validation file that is not YAML',
      args: () => withValidation('not-yaml.yaml', 'cases:\n  - name: a\n    input: {text: "unclosed\n'),
      line: /not-yaml\.yaml:\d+:\d+: YAML syntax: \S/,
    },
    {
      name: 'a missing validation file',
      args: () => deploy(truss, '--validation', at('none.yaml')),
      line: /none\.yaml: no such file$/,
    },
    {
      name: 'an empty validation file',
      args: () => withValidation('empty.yaml', '\n'),
      line: /empty\.yaml: the file is empty$/,
    },
    {
      name: 'a negative count in the validation file',
      args: () => withValidation('negative.yaml', 'warmup: { requests: -1 }\ncases: [{ name: a, input: {} }]\n'),
      line: /negative\.yaml: warmup\.requests: expected number to be >=0$/,
    },
    {
      name: 'a concurrency of 10^6',
      args: () =>
        withValidation('concurrency.yaml', 'cases: [{ name: a, input: {} }]\nlatency: { concurrency: 1000000 }\n'),
      line: /concurrency\.yaml: latency\.concurrency: expected number to be <=64$/,
    },
    {
      name: 'a validation timeout over the timer limit',
      args: () => withValidation('long.yaml', 'cases: [{ name: a, input: {}, timeout: 600h }]\n'),
      line: /long\.yaml: cases\[0\]\.timeout: "600h": longer than 596h, the most a timer can wait/,
    },
    {
      name: 'a malformed duration in the validation file',
      args: () => withValidation('malformed.yaml', 'warmup: { timeout: 10x }\ncases: [{ name: a, input: {} }]\n'),
      line: /malformed\.yaml: warmup\.timeout: expected a duration like 300ms.*got "10x"$/,
    },
    // deploy's flags
    {
      name: 'a malformed --watch-interval',
      args: () => deploy(truss, '--watch-interval', '10x'),
      line: /^baseten-cd: --watch-interval: '10x': expected a duration such as 10s or 2m$/,
    },
    {
      name: 'a --watch-interval over the timer limit',
      args: () => deploy(truss, '--watch-interval', '600h'),
      line: /^baseten-cd: --watch-interval: '600h': longer than 596h/,
    },
    {
      name: 'a --max-p95 over the timer limit',
      args: () => deploy(truss, '--max-p95', '2147483.648s'),
      line: /^baseten-cd: --max-p95: '2147483\.648s': longer than 596h/,
    },
    {
      name: 'a negative --unhealthy-after',
      args: () => deploy(truss, '--unhealthy-after', '-1'),
      line: /^baseten-cd: --unhealthy-after: expected a whole number of observations, 1 to 100$/,
    },
    {
      name: '--max-error-rate 2',
      args: () => deploy(truss, '--max-error-rate', '2'),
      line: /^baseten-cd: --max-error-rate: expected a share of requests from 0 to 1/,
    },
    {
      name: 'a bad --candidate kind',
      args: () => deploy(truss, '--candidate', 'draft'),
      line: /^baseten-cd: --candidate: 'draft': expected published, development or environment:<name>$/,
    },
    {
      name: 'a --label without =',
      args: () => deploy(truss, '--label', 'team'),
      line: /^baseten-cd: --label: 'team': expected key=value/,
    },
    {
      name: 'a malformed --approval-timeout',
      args: () => deploy(truss, '--approve-required', '--approval-timeout', 'tomorrow'),
      line: /^baseten-cd: --approval-timeout: 'tomorrow': expected a duration/,
    },
    // commander's own errors
    {
      name: 'an unknown flag',
      args: () => deploy(truss, '--dry-run'),
      line: /^baseten-cd: unknown option '--dry-run' \(see --help\)$/,
    },
    {
      name: 'a missing argument',
      args: () => ['deploy'],
      line: /^baseten-cd: missing required argument 'truss-dir' \(see --help\)$/,
    },
    {
      name: 'rollback without --reason',
      args: () => ['rollback', model],
      line: /^baseten-cd: required option '--reason <text>' not specified \(see --help\)$/,
    },
    {
      name: 'a negative list --limit',
      args: () => ['list', '--limit', '-3'],
      line: /^baseten-cd: --limit '-3': expected a whole number from 1 to 10000$/,
    },
    // the watcher's commands
    {
      name: "rollback --reason ''",
      args: () => ['rollback', model, '--reason', ''],
      line: /--reason: must not be empty/,
    },
    { name: "pause --reason ''", args: () => ['pause', model, '--reason', ' '], line: /--reason: must not be empty/ },
    // names that do not exist
    {
      name: 'status of an unknown model',
      args: () => ['status', model],
      line: new RegExp(`^baseten-cd: nothing named ${model} \\(see \`baseten-cd list\`\\)$`),
    },
    {
      name: 'status of an unknown release id',
      args: () => ['status', `release-${model}-staging`],
      line: new RegExp(`^baseten-cd: nothing named release-${model}-staging`),
    },
    {
      name: 'approve an unknown release',
      args: () => ['approve', model],
      line: new RegExp(`^baseten-cd: no release release-${model}-production \\(see \`baseten-cd list\`\\)$`),
    },
    {
      name: 'rollback of an unknown model',
      args: () => ['rollback', model, '--reason', 'bad answers'],
      line: new RegExp(`^baseten-cd: no watcher watch-${model}-production \\(see \`baseten-cd list --watchers\`\\)$`),
    },
    {
      name: 'pause of an unknown model',
      args: () => ['pause', model, '--reason', 'load test'],
      line: new RegExp(`^baseten-cd: no watcher watch-${model}-production`),
    },
    {
      name: 'resume of an unknown watcher id',
      args: () => ['resume', `watch-${model}-staging`],
      line: new RegExp(`^baseten-cd: no watcher watch-${model}-staging`),
    },
    // a running watcher
    {
      name: 'rollback --to a deployment that does not exist',
      args: () => ['rollback', watched, '--to', 'nosuch42', '--reason', 'bad answers'],
      line: new RegExp(
        `^baseten-cd: cannot roll back watch-${watched}-production: model ${watched} \\(\\w+\\) has no deployment nosuch42$`,
      ),
    },
    {
      name: 'rollback --to something that is not a deployment id',
      args: () => ['rollback', watched, '--to', 'not an id!', '--reason', 'bad answers'],
      line: /^baseten-cd: cannot roll back watch-watched-\w+-production: "to" must be a deployment id$/,
    },
    {
      name: 'rollback with no previous deployment',
      args: () => ['rollback', watched, '--reason', 'bad answers'],
      line: /cannot roll back watch-watched-\w+-production: there is no previous deployment to roll back to: name one/,
    },
    {
      name: 'resume of a watcher that is not paused',
      args: () => ['resume', watched],
      line: /^baseten-cd: cannot resume watch-watched-\w+-production: the watcher is not paused \(stage: watching\)$/,
    },
    // Temporal
    {
      name: 'an unreachable Temporal server',
      args: () => ['status', model],
      env: () => ({ TEMPORAL_ADDRESS: unreachable }),
      code: 1,
      line: /^baseten-cd: cannot reach Temporal at 127\.0\.0\.1:\d+: /,
    },
    {
      name: 'deploy on a namespace without the search attributes',
      args: () => deploy(truss),
      env: bare,
      line: new RegExp(`lacks the search attribute\\(s\\) .*${missingNames}.*run \`baseten-cd setup\``),
    },
    {
      name: 'list on a namespace without the search attributes',
      args: () => ['list', '--model', model],
      env: bare,
      line: new RegExp(`lacks the search attribute\\(s\\) .*${missingNames}.*run \`baseten-cd setup\``),
    },
    {
      name: 'a worker on a namespace without the search attributes',
      args: () => ['worker'],
      env: () => ({ ...workerEnv({})(), ...bare() }),
      line: new RegExp(`^baseten-cd worker: namespace ${bareNamespace} .* lacks .*${missingNames}.*baseten-cd setup`),
      timeoutMs: 90_000,
    },
    // the worker's environment
    {
      name: 'a worker with a wrong API key',
      args: () => ['worker'],
      env: workerEnv({ BASETEN_API_KEY: testApiKey('wrong') }),
      line: /^baseten-cd worker: BASETEN_API_KEY: Baseten refused the API key: 401 /,
      timeoutMs: 90_000,
    },
    {
      name: 'a worker asked for 10^6 concurrent activities',
      args: () => ['worker'],
      env: workerEnv({ BASETEN_CD_MAX_CONCURRENT_ACTIVITIES: '1000000' }),
      line: /^baseten-cd worker: BASETEN_CD_MAX_CONCURRENT_ACTIVITIES must be a whole number from 1 to 100000/,
      timeoutMs: 90_000,
    },
  ];

  beforeAll(async () => {
    files = tempDir('bad-input');
    truss = copyExample('text-transform');
    unreachable = `127.0.0.1:${await freePort()}`;
    [env, ctx] = await Promise.all([startReleaseEnvironment(), connectTemporal()]);
    await ctx.connection.workflowService.registerNamespace({
      namespace: bareNamespace,
      workflowExecutionRetentionPeriod: msToTs('1 day'),
    });
    await waitFor(`namespace ${bareNamespace} to be served`, () =>
      ctx.connection.operatorService.listSearchAttributes({ namespace: bareNamespace }).then(
        () => true,
        () => false,
      ),
    );
    const seeded = await env.emulator.control.createDeployment({ trussDir: truss, modelName: watched });
    [watchedModelId, watchedDeploymentId] = [seeded.model.id, seeded.deployment.id];
    await env.emulator.waitForStatus(watchedModelId, watchedDeploymentId, 'ACTIVE');
    const input: WatchInput = {
      modelId: watchedModelId,
      modelName: watched,
      environment: 'production',
      deploymentId: watchedDeploymentId,
      settings: defaultWatchSettings,
    };
    const watcher = await ctx.client.workflow.start<typeof watchProduction>('watchProduction', {
      args: [input],
      taskQueue: env.cliEnv.BASETEN_CD_TASK_QUEUE ?? '',
      workflowId: watcherWorkflowId(watched, 'production'),
    });
    await waitFor('the watcher to answer its state query', () =>
      watcher.query(stateQuery).then(
        (state) => state.stage === 'watching',
        () => false,
      ),
    );
    workflowsBefore = (await ctx.client.workflow.count(ownQueue())).count;
    since = new Date().toISOString();
    runs = await runAll(cases, 4, (input) =>
      runCli(input.args(), { ...env.cliEnv, ...input.env?.() }, input.timeoutMs ?? 60_000),
    );
  }, 900_000);

  afterAll(async () => {
    await ctx?.client.workflow
      .getHandle(watcherWorkflowId(watched, 'production'))
      .terminate('bad-input suite done')
      .catch(() => undefined);
    await env?.close();
    await ctx?.close();
  });

  it(`has at least 32 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(32);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c.name, c] as const))(
    'refuses %s: one line naming it, its exit code, no stack trace',
    (_name, input) => {
      const run = runs.get(input.name);
      expect(run).toBeDefined();
      if (!run) return;
      expect({ stderr: stderrLines(run), code: run.code }).toEqual({
        stderr: [expect.stringMatching(input.line)],
        code: input.code ?? 2,
      });
      expect(run.stderr).not.toMatch(stackTracePattern);
      expect(run.stdout).toBe('');
    },
  );

  it('started and changed nothing: no workflow, no deployment, no promote', async () => {
    // Counted on this suite's task queue: other test files may start workflows on the same server meanwhile.
    expect((await ctx.client.workflow.count(ownQueue())).count).toBe(workflowsBefore);
    const bareCount = await ctx.connection.workflowService.countWorkflowExecutions({ namespace: bareNamespace });
    expect(Number(bareCount.count ?? 0)).toBe(0);
    const calls = await env.emulator.control.requests({ since });
    // The wrong key was tried once, so the log did see the suite (it is not empty for want of looking).
    expect(calls.filter((c) => c.status === 401).map((c) => `${c.method} ${c.path}`)).toEqual(['GET /v1/models']);
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
    expect(calls.filter((c) => c.path.includes('/promote'))).toEqual([]);
    // The watcher was asked for a deployment that does not exist, looked it up once, and changed nothing.
    expect(calls.filter((c) => c.path.endsWith('/deployments/nosuch42')).map((c) => c.status)).toEqual([404]);
    const state = await ctx.client.workflow.getHandle(watcherWorkflowId(watched, 'production')).query(stateQuery);
    expect(state).toMatchObject({ stage: 'watching', mode: 'automatic', incidents: [] });
    expect(await env.emulator.productionOf(watchedModelId)).toBe(watchedDeploymentId);
    expect(temporalAddress()).not.toBe(unreachable);
  });
});
