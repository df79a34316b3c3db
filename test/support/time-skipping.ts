import type { WorkflowClientInterceptor } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporalTestServerPath } from '../../src/tools/paths';
import { scanRunsFrom, type RunRef } from './history-scan';
import { registerSearchAttributes, uniqueId, workflowBundle } from './temporal';

/** The runs each environment's client started: this server cannot list its workflows, so the scan starts here. */
const started = new WeakMap<TestWorkflowEnvironment, RunRef[]>();

function recordStarts(runs: RunRef[]): WorkflowClientInterceptor {
  return {
    async startWithDetails(input, next) {
      const output = await next(input);
      runs.push({ workflowId: input.options.workflowId, runId: output.runId });
      return output;
    },
    async signalWithStart(input, next) {
      const runId = await next(input);
      runs.push({ workflowId: input.options.workflowId, runId });
      return runId;
    },
  };
}

/** The provisioned time-skipping test server, with the project's search attributes registered. */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  const runs: RunRef[] = [];
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
    client: { interceptors: { workflow: [recordStarts(runs)] } },
  });
  started.set(env, runs);
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

/**
 * Scans every workflow history the suite left on its time-skipping server for the API key marker (the one
 * helper every suite's histories go through), then stops the server. Throws on a leak or when it found none.
 */
export async function stopTimeSkipping(env: TestWorkflowEnvironment | undefined): Promise<void> {
  if (!env) return;
  try {
    const scan = await scanRunsFrom(env.client, env.namespace ?? 'default', started.get(env) ?? []);
    if (scan.leaks.length > 0) throw new Error(`secret scan: the API key marker is in ${scan.leaks.join(', ')}`);
    if (scan.histories === 0) throw new Error('secret scan: no workflow history on the time-skipping server');
  } finally {
    await env.teardown();
  }
}
