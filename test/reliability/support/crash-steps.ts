import type { WorkflowHandle } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { watcherWorkflowId } from '../../../src/common/workflow-ids';
import { approveUpdate } from '../../../src/workflows/messages';
import type { deployModel } from '../../../src/workflows/deploy';
import type { DeployInput, DeployResult } from '../../../src/workflows/types';
import type { Incident } from '../../../src/workflows/watch-types';
import { waitForStage } from '../../support/release-stage';
import { waitFor } from '../../support/wait-for';
import { answeringTruss, fastWatch, watcherWhen } from '../../integration/watcher/watcher-harness';
import {
  activityRunning,
  heldBy,
  modelEndState,
  releaseHeldBy,
  type CrashCase,
  type ModelEndState,
} from './crash-harness';
import { gatedTruss, predictGate } from './predict-gate';

type ReleaseHandle = WorkflowHandle<typeof deployModel>;

/** The ids a case knows once its model is seeded (and, for a revert, once v2 is production). */
export interface CaseIds {
  modelId: string;
  v1: string;
  /** The release's candidate (known once pushed), or the watched v2 of a revert case. */
  v2?: string;
}

/** What every case reports: enough for the checks and for the suite's table. */
export interface CrashOutcome {
  step: string;
  flow: 'release' | 'revert';
  killPoint: string;
  /** What the test saw at the moment of the kill (the side effect already applied, the call held...). */
  atKill: string;
  killedPid: number;
  newPid: number;
  ids: CaseIds;
  /** The release's result (release cases). */
  result?: DeployResult;
  /** The watcher's incidents (revert cases). */
  incidents?: Incident[];
  end: ModelEndState;
  /** The history of the workflow that was running the step (the release, or the watcher). */
  history: History;
  /** The activity the kill interrupted, whose attempts must show a retry. */
  interrupted?: string;
  /** From the case's start: the kill, the new worker polling, the end. @unit ms */
  timeline: { killedAt: number; newWorkerAt: number; doneAt: number };
}

/** A release step: how to set up the kill point, how to see it is reached, and how to let go after the kill. */
interface ReleaseStep {
  step: string;
  killPoint: string;
  interrupted?: string;
  /** Before the release starts; returns the release's input overrides and the case's hooks. */
  arm(c: CrashCase, ids: CaseIds): Promise<ReleaseHooks>;
}

interface ReleaseHooks {
  input?: Partial<DeployInput>;
  /** Resolves once the kill point is reached; says what was seen. */
  reached(handle: ReleaseHandle): Promise<string>;
  /** After the kill, before (or right after) the new worker starts: let held answers and gates go. */
  letGo?(): Promise<void> | void;
  /** Once the new worker runs. */
  after?(handle: ReleaseHandle): Promise<void>;
}

/** A revert step of the watcher; v2 is production and watched, v1 the fallback. */
interface RevertStep {
  step: string;
  killPoint: string;
  interrupted?: string;
  arm(c: CrashCase, ids: Required<CaseIds>): Promise<RevertHooks>;
}

interface RevertHooks {
  /** Make v2 bad before the kill (the step is part of the revert) or after it (the kill lands on the watch). */
  breakV2: 'before-kill' | 'after-kill';
  reached(watcher: WorkflowHandle): Promise<string>;
  letGo?(): Promise<void> | void;
}

const approval = { required: true, timeoutMs: 10 * 60_000 } as const;

async function approve(handle: ReleaseHandle): Promise<void> {
  await handle.executeUpdate(approveUpdate, { args: [{ by: 'crash-suite' }] });
}

/** A hold on one management call of this model: applied, its answer kept back until let go. */
async function holdOne(c: CrashCase, method: string, path: string) {
  const rule = await c.h.emu.control.holdManagement({ method, path, count: 1 });
  return {
    held: () => heldBy(c, rule.id),
    letGo: () => releaseHeldBy(c, rule.id),
  };
}

export const releaseSteps: ReleaseStep[] = [
  {
    step: 'push',
    killPoint: 'the candidate deployment exists; the push has not answered',
    async arm(c) {
      const hold = c.h.push.hold(c.model);
      return {
        async reached(handle) {
          const pushed = await hold.created;
          await activityRunning(handle, 'pushCandidate', c.output);
          return `deployment ${pushed.deploymentId} created, push activity running`;
        },
        letGo: () => hold.release(),
      };
    },
  },
  {
    step: 'await ACTIVE',
    killPoint: "the wait's read of the candidate is held",
    interrupted: 'awaitDeploymentActive',
    async arm(c, ids) {
      const hold = await holdOne(c, 'GET', `/v1/models/${ids.modelId}/deployments/*`);
      return {
        async reached(handle) {
          const held = await hold.held();
          await activityRunning(handle, 'awaitDeploymentActive', c.output);
          return `GET ${held.path} held`;
        },
        letGo: hold.letGo,
      };
    },
  },
  {
    step: 'validate',
    killPoint: "a validation request is in the candidate's model",
    interrupted: 'validateCandidate',
    async arm(c) {
      const gate = predictGate();
      gate.arm();
      return {
        input: { trussDir: gatedTruss(c.model, 'v2', gate) },
        async reached(handle) {
          await waitFor(`a validation request of ${c.model} to arrive`, () => gate.seen(), { timeoutMs: 90_000 });
          await activityRunning(handle, 'validateCandidate', c.output);
          return 'a prediction in flight, validateCandidate running';
        },
        letGo: () => gate.open(),
      };
    },
  },
  {
    step: 'approval wait',
    killPoint: 'the release waits for approval',
    async arm() {
      return {
        input: { approval },
        async reached(handle) {
          await waitForStage(handle, 'awaiting-approval', 90_000);
          return 'stage awaiting-approval';
        },
        after: approve,
      };
    },
  },
  {
    step: 'promote',
    killPoint: 'the promote is applied; its answer is held',
    interrupted: 'promoteCandidate',
    async arm(c, ids) {
      const hold = await holdOne(c, 'POST', `/v1/models/${ids.modelId}/deployments/*/promote`);
      return {
        async reached() {
          const held = await hold.held();
          const production = await c.h.emu.productionOf(ids.modelId);
          if (production === ids.v1) throw new Error(`${c.model}: the held promote was not applied`);
          return `POST ${held.path} applied (production is ${production}), answer held`;
        },
        letGo: hold.letGo,
      };
    },
  },
  {
    step: 'verify',
    killPoint: "the verification's smoke request is in the promoted model",
    interrupted: 'verifyProduction',
    async arm(c) {
      // Armed once validation is over (the release waits for approval), so only the verification is held.
      const gate = predictGate();
      return {
        input: { trussDir: gatedTruss(c.model, 'v2', gate), approval },
        async reached(handle) {
          await waitForStage(handle, 'awaiting-approval', 90_000);
          gate.arm();
          await approve(handle);
          await waitFor(`the smoke request of ${c.model} to arrive`, () => gate.seen(), { timeoutMs: 90_000 });
          await activityRunning(handle, 'verifyProduction', c.output);
          return 'promoted; a smoke prediction in flight, verifyProduction running';
        },
        letGo: () => gate.open(),
      };
    },
  },
];

export const revertSteps: RevertStep[] = [
  {
    step: 'observe',
    killPoint: 'the watcher is observing v2',
    interrupted: 'observeProduction',
    async arm(c) {
      return {
        breakV2: 'after-kill',
        async reached(watcher) {
          const running = await activityRunning(watcher, 'observeProduction', c.output);
          return `observeProduction running (attempt ${running.attempt})`;
        },
      };
    },
  },
  {
    step: 'prepare previous',
    killPoint: "v1's activation is applied; its answer is held",
    interrupted: 'prepareForTraffic',
    async arm(c, ids) {
      // Deactivated, so the revert must activate it (a management call the emulator can hold), not only wake it.
      const off = await c.h.emu.call('POST', `/v1/models/${ids.modelId}/deployments/${ids.v1}/deactivate`);
      if (off.status !== 200) throw new Error(`deactivate ${ids.v1}: ${off.status} ${JSON.stringify(off.body)}`);
      await c.h.emu.waitForStatus(ids.modelId, ids.v1, 'INACTIVE');
      const hold = await holdOne(c, 'POST', `/v1/models/${ids.modelId}/deployments/${ids.v1}/activate`);
      return {
        breakV2: 'before-kill',
        async reached() {
          const held = await hold.held();
          const v1 = await c.h.emu.getDeployment(ids.modelId, ids.v1);
          if (v1.status === 'INACTIVE') throw new Error(`${c.model}: the held activation was not applied`);
          return `POST ${held.path} applied (v1 ${v1.status}), answer held`;
        },
        letGo: hold.letGo,
      };
    },
  },
  {
    step: 'promote previous',
    killPoint: "v1's promote is applied; its answer is held",
    interrupted: 'promoteCandidate',
    async arm(c, ids) {
      const hold = await holdOne(c, 'POST', `/v1/models/${ids.modelId}/deployments/${ids.v1}/promote`);
      return {
        breakV2: 'before-kill',
        async reached() {
          const held = await hold.held();
          const production = await c.h.emu.productionOf(ids.modelId);
          if (production !== ids.v1) throw new Error(`${c.model}: the held promote of v1 was not applied`);
          return `POST ${held.path} applied (production is v1), answer held`;
        },
        letGo: hold.letGo,
      };
    },
  },
];

/** Runs one release step's case: seed v1, release v2, kill the worker at the step, start a new one, finish. */
export async function runReleaseCase(c: CrashCase, spec: ReleaseStep): Promise<CrashOutcome> {
  const t0 = Date.now();
  const ids: CaseIds = await c.seed('v1');
  const hooks = await spec.arm(c, ids);
  await c.startWorker();
  const handle = await c.startRelease(hooks.input);
  const atKill = await hooks.reached(handle);
  const killedPid = await c.kill();
  const killedAt = Date.now() - t0;
  await hooks.letGo?.();
  const second = await c.startWorker();
  const newWorkerAt = Date.now() - t0;
  await hooks.after?.(handle);
  const result = await handle.result();
  const doneAt = Date.now() - t0;
  ids.v2 = result.candidateDeploymentId;
  return {
    step: spec.step,
    flow: 'release',
    killPoint: spec.killPoint,
    atKill,
    killedPid,
    newPid: second.child.pid ?? 0,
    ids,
    result,
    end: await modelEndState(c.h.emu, ids.modelId),
    history: await handle.fetchHistory(),
    interrupted: spec.interrupted,
    timeline: { killedAt, newWorkerAt, doneAt },
  };
}

/** Runs one revert step's case: v2 released over v1 and watched, v2 turns bad, the kill lands on the step. */
export async function runRevertCase(c: CrashCase, spec: RevertStep): Promise<CrashOutcome> {
  const t0 = Date.now();
  const seeded = await c.seed('v1');
  await c.startWorker();
  const release = await c.startRelease({ trussDir: answeringTruss(c.model, 'v2'), watch: fastWatch });
  const released = await release.result();
  if (released.status !== 'promoted') throw new Error(`${c.model}: v2 was not promoted: ${JSON.stringify(released)}`);
  const ids = { ...seeded, v2: released.candidateDeploymentId ?? '' };
  await watcherWhen(c.client, c.model, 'the watcher on v2', (s) => s.watchedDeploymentId === ids.v2);
  const watcher = c.client.workflow.getHandle(watcherWorkflowId(c.model, 'production'));

  const hooks = await spec.arm(c, ids);
  if (hooks.breakV2 === 'before-kill') await c.h.emu.control.makeUnhealthy(ids.v2);
  const atKill = await hooks.reached(watcher);
  const killedPid = await c.kill();
  const killedAt = Date.now() - t0;
  await hooks.letGo?.();
  if (hooks.breakV2 === 'after-kill') await c.h.emu.control.makeUnhealthy(ids.v2);
  const second = await c.startWorker();
  const newWorkerAt = Date.now() - t0;
  const state = await watcherWhen(
    c.client,
    c.model,
    `the revert of ${c.model} to finish on the new worker`,
    (s) => s.incidents.at(-1)?.outcome === 'reverted',
    240_000,
  );
  const doneAt = Date.now() - t0;
  return {
    step: spec.step,
    flow: 'revert',
    killPoint: spec.killPoint,
    atKill,
    killedPid,
    newPid: second.child.pid ?? 0,
    ids,
    incidents: state.incidents,
    end: await modelEndState(c.h.emu, ids.modelId),
    history: await watcher.fetchHistory(),
    interrupted: spec.interrupted,
    timeline: { killedAt, newWorkerAt, doneAt },
  };
}
