import type { Client } from '@temporalio/client';
import { validationSpecSchema } from '../../../src/validation/schema';
import { stateQuery } from '../../../src/workflows/messages';
import type { DeployInput, DeployResult, WatchOptions } from '../../../src/workflows/types';
import type { WatchState } from '../../../src/workflows/watch-types';
import { watcherWorkflowId } from '../../../src/common/workflow-ids';
import { answeringModel, writeTruss } from '../../support/trusses';
import { waitFor } from '../../support/wait-for';
import type { ReleaseHarness } from '../release/release-harness';

/** Fast enough for a test, and judging real traffic from a handful of requests. */
export const fastWatch: WatchOptions = { intervalMs: 300, unhealthyAfter: 2, windowMs: 5_000, minRequests: 5 };

/** One case: the model answers at all. */
export const answersValidation = validationSpecSchema.parse({
  warmup: { requests: 1, timeout: '1m' },
  cases: [{ name: 'answers', input: { text: 'hi' }, expect: { status: 200 } }],
});

/** A Truss whose model answers `{"from": answer}`, so a test can tell which deployment served a request. */
export function answeringTruss(modelName: string, answer: string): string {
  return writeTruss({ modelName, modelPy: answeringModel(answer) });
}

/** Releases `answer` as the model's next version, through the real workflow; returns its result. */
export async function release(
  h: ReleaseHarness,
  modelName: string,
  answer: string,
  overrides: Partial<DeployInput> = {},
): Promise<DeployResult> {
  const handle = await h.start({
    modelName,
    trussDir: answeringTruss(modelName, answer),
    validation: answersValidation,
    watch: fastWatch,
    ...overrides,
  });
  return handle.result();
}

/** The model's watcher state, once `check` holds (polled with a deadline). */
export async function watcherWhen(
  client: Client,
  modelName: string,
  what: string,
  check: (state: WatchState) => boolean,
  timeoutMs = 60_000,
): Promise<WatchState> {
  const handle = client.workflow.getHandle(watcherWorkflowId(modelName, 'production'));
  let last: WatchState | undefined;
  return waitFor(
    () => `${what} (last state: ${JSON.stringify(last ? { stage: last.stage, incidents: last.incidents } : null)})`,
    async () => {
      last = await handle.query(stateQuery).catch(() => undefined);
      return last !== undefined && check(last) && last;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** What production answers now (the `from` of the answering model). */
export async function productionAnswer(h: ReleaseHarness, modelId: string): Promise<unknown> {
  const answer = await h.emu.call(
    'POST',
    `${h.emu.emulator.inferenceUrl.replace('{model_id}', modelId)}/production/predict`,
    {
      text: 'who is there',
    },
  );
  return answer.body;
}
