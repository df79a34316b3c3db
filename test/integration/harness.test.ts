import { connectTemporal, createTestWorker, uniqueId, type TemporalTestContext } from '../support/temporal';
import { createHarnessActivities } from '../fixtures/harness-activities';
import { harnessWorkflow } from '../fixtures/harness-workflows';

describe('test harness', () => {
  let ctx: TemporalTestContext;
  beforeAll(async () => {
    ctx = await connectTemporal();
  });
  afterAll(async () => {
    await ctx?.close();
  });

  it('runs a real workflow that calls a real activity on the dev server', async () => {
    const { worker, taskQueue } = await createTestWorker(ctx, {
      workflowsPath: require.resolve('../fixtures/harness-workflows'),
      activities: createHarnessActivities({ hostLabel: 'test-host' }),
    });
    const result = await worker.runUntil(
      ctx.client.workflow.execute(harnessWorkflow, { args: ['ci'], taskQueue, workflowId: uniqueId('harness') }),
    );
    expect(result).toBe(`hello ci from test-host (task queue ${taskQueue})`);
  });

  it('registers the project search attributes on the server', async () => {
    const { searchAttributes } = await import('../../src/workflows/search-attributes');
    const response = await ctx.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    for (const key of searchAttributes) {
      expect(Object.keys(response.customAttributes ?? {})).toContain(key.name);
    }
  });
});
