import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporalTestServerPath } from '../../src/tools/paths';
import { registerSearchAttributes, uniqueId, workflowBundle } from './temporal';

/** The provisioned time-skipping test server, with the project's search attributes registered. */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
  await registerSearchAttributes(env);
  return env;
}

/** A worker running the project's workflows with the given (fake) activities, on its own task queue. */
export async function fakeActivityWorker(
  env: TestWorkflowEnvironment,
  activities: object,
): Promise<{ worker: Worker; taskQueue: string }> {
  const taskQueue = uniqueId('tq');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(require.resolve('../../src/workflows')),
    activities,
  });
  return { worker, taskQueue };
}
