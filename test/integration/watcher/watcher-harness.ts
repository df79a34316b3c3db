import type { Client } from '@temporalio/client';
import { validationSpecSchema } from '../../../src/validation/schema';
import { stateQuery } from '../../../src/workflows/messages';
import type { DeployInput, DeployResult, WatchOptions } from '../../../src/workflows/types';
import type { WatchState } from '../../../src/workflows/watch-types';
import { watcherWorkflowId } from '../../../src/common/workflow-ids';
import type { watchProduction } from '../../../src/workflows/watch';
import { uniqueId } from '../../support/temporal';
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

/**
 * A Truss like answeringTruss whose model fails (500) the probe's input `{"probe": true}` once `brokenFlag` exists:
 * it passes its release's validation, and breaks when the test says so.
 */
export function probeFailingTruss(modelName: string, answer: string, brokenFlag: string): string {
  const modelPy = `import os


class Model:
    def __init__(self, **kwargs):
        pass

    def load(self):
        pass

    def predict(self, model_input):
        if isinstance(model_input, dict) and model_input.get("probe") and os.path.exists(${JSON.stringify(brokenFlag)}):
            raise RuntimeError("the probe's feature is broken")
        return {"from": ${JSON.stringify(answer)}}
`;
  return writeTruss({ modelName, modelPy });
}

/** Real traffic to the environment's endpoint, one request every `everyMs` until stopped (the answers are ignored). */
export function sendTraffic(h: ReleaseHarness, modelId: string, everyMs = 40): { stop(): Promise<number> } {
  let stopped = false;
  let sent = 0;
  const url = `${h.emu.emulator.inferenceUrl.replace('{model_id}', modelId)}/production/predict`;
  const loop = (async () => {
    while (!stopped) {
      await h.emu.call('POST', url, { text: 'real traffic' }).catch(() => undefined);
      sent += 1;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return sent;
    },
  };
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

/** Two releases of a new model: v2 is production and watched, falling back to v1. */
export async function twoVersions(h: ReleaseHarness, prefix: string, overrides: Partial<DeployInput> = {}) {
  const model = uniqueId(prefix);
  const v1 = await release(h, model, 'v1', overrides);
  const v2 = await release(h, model, 'v2', overrides);
  const ids = {
    model,
    modelId: v2.modelId ?? '',
    v1: v1.candidateDeploymentId ?? '',
    v2: v2.candidateDeploymentId ?? '',
  };
  if (v2.status !== 'promoted' || v2.previousProductionDeploymentId !== ids.v1) {
    throw new Error(`the second release did not promote over the first: ${JSON.stringify(v2)}`);
  }
  await watcherWhen(h.temporal.client, model, 'the watcher on v2', (s) => s.watchedDeploymentId === ids.v2);
  const watcher = h.temporal.client.workflow.getHandle<typeof watchProduction>(watcherWorkflowId(model, 'production'));
  return { ...ids, watcher };
}
