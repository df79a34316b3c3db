import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { inspectSearchAttributes, typeName } from '../../src/temporal/search-attribute-setup';
import { searchAttributes } from '../../src/workflows/search-attributes';
import { uniqueId } from '../support/temporal';
import { examplePath } from '../support/trusses';
import { waitFor } from '../support/wait-for';
import { runCli, startCli } from './support/cli';
import { testApiKey } from '../support/secrets';

const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');
const names = searchAttributes.map((key) => key.name);

/** `baseten-cd setup`, `worker` and `deploy` against a fresh Temporal server that has none of the attributes. */
describe('search attributes on a server started without them', () => {
  let server: DevServer;
  let connection: Connection;
  let env: Record<string, string>;
  const target = () => ({ namespace: 'default', address: server.address });

  beforeAll(async () => {
    server = await startDevServer({ registerSearchAttributes: false, extraArgs: ['--namespace', 'clash'] });
    connection = await Connection.connect({ address: server.address });
    env = { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default', BASETEN_API_KEY: testApiKey('unused') };
  }, 120_000);
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  });

  it('makes `worker` and `deploy` refuse in one line naming the missing ones and `baseten-cd setup`, exit 2', async () => {
    expect((await inspectSearchAttributes(connection, target())).missing.map((k) => k.name)).toEqual(names);
    const model = uniqueId('no-attributes');
    const [worker, deploy] = await Promise.all([
      runCli(['worker'], env),
      runCli(['deploy', examplePath('text-transform'), '--model-name', model], env),
    ]);
    for (const run of [worker, deploy]) {
      expect(run.code).toBe(2);
      expect(lines(run.stderr)).toHaveLength(1);
      expect(run.stderr).toContain('`baseten-cd setup`');
      for (const name of names) expect(run.stderr).toContain(name);
    }
    expect(worker.stderr).not.toContain('polling');
    const started = await connection.workflowService.listWorkflowExecutions({ namespace: 'default' });
    expect(started.executions ?? []).toHaveLength(0);
  });

  it('registers every attribute with its type, says so, and finds them all the second time', async () => {
    const first = await runCli(['setup'], env);
    expect(first.code).toBe(0);
    for (const key of searchAttributes) {
      expect(first.stdout).toContain(`created         ${key.name} (${typeName(key.type)})`);
    }
    expect(first.stdout).toContain(`${names.length} created, 0 already existed`);
    const state = await inspectSearchAttributes(connection, target());
    expect(state.existing.map((k) => k.name)).toEqual(names);

    const second = await runCli(['setup', '--json'], env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({
      namespace: 'default',
      address: server.address,
      created: [],
      existing: searchAttributes.map((key) => ({ name: key.name, type: typeName(key.type) })),
    });
  });

  it('lets the worker start once they exist', async () => {
    const taskQueue = uniqueId('after-setup');
    const worker = startCli(['worker'], { ...env, BASETEN_CD_TASK_QUEUE: taskQueue });
    try {
      await waitFor(
        () => `the worker to poll: ${worker.output()}`,
        () => worker.output().includes(`polling task queue ${taskQueue}`),
        { timeoutMs: 90_000, intervalMs: 100 },
      );
    } finally {
      if (worker.pid !== undefined) process.kill(worker.pid, 'SIGTERM');
    }
    expect((await worker.done).code).toBe(0);
  }, 120_000);

  it('refuses a type clash naming the attribute and both types, and creates nothing', async () => {
    const clashing = searchAttributes.find((key) => key.type === SearchAttributeType.KEYWORD) ?? searchAttributes[0];
    await connection.operatorService.addSearchAttributes({
      namespace: 'clash',
      searchAttributes: { [clashing.name]: 1 /* INDEXED_VALUE_TYPE_TEXT */ },
    });
    const run = await runCli(['setup'], { ...env, TEMPORAL_NAMESPACE: 'clash' });
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual([
      expect.stringContaining(`${clashing.name} exists as Text, baseten-cd needs ${typeName(clashing.type)}`),
    ]);
    const state = await inspectSearchAttributes(connection, { namespace: 'clash', address: server.address });
    expect(state.existing).toEqual([]);
    expect(state.missing).toHaveLength(names.length - 1);
  });
});
