import { hostname } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal as proto } from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import type { DeploymentV1 } from '../../../src/emulator/state/views';
import type { RequestLogEntry } from '../../../src/emulator/control/request-log';
import type { deployModel } from '../../../src/workflows/deploy';
import type { DeployInput } from '../../../src/workflows/types';
import { startTestEmulator, type TestEmulator } from '../../support/emulator';
import { fleetWorkerEnv } from '../../support/fleet-worker';
import { connectTemporal, uniqueId, type TemporalTestContext } from '../../support/temporal';
import { waitFor } from '../../support/wait-for';
import { startWorkerProcess, stopProcess, type WorkerProcess } from '../../support/worker-process';
import { answeringTruss, answersValidation } from '../../integration/watcher/watcher-harness';
import { releaseInput } from '../../integration/release/release-harness';
import { createGatedPushWorker } from './gated-push';

/**
 * What the crash suite shares: one Temporal dev server (the global setup's), one emulator, one push worker in this
 * process (the stand-in push, with holds). Each case gets its own model and task queue, and its own
 * `baseten-cd worker` processes, so cases run side by side and a kill ends only its own worker.
 */
export interface CrashHarness {
  temporal: TemporalTestContext;
  emu: TestEmulator;
  pushTaskQueue: string;
  push: ReturnType<typeof createGatedPushWorker>;
  /** A case on the suite's Temporal server, or on `on` (a server the case started itself). */
  newCase(prefix: string, on?: CaseServer): CrashCase;
  close(): Promise<void>;
}

/** Another Temporal server, with the test's connections and a push worker polling `pushTaskQueue` on it. */
export interface CaseServer {
  address: string;
  temporal: TemporalTestContext;
  pushTaskQueue: string;
}

/** One case's model, task queue and worker processes. */
export interface CrashCase {
  h: CrashHarness;
  client: Client;
  model: string;
  taskQueue: string;
  /** Starts a `baseten-cd worker` process on the case's task queue (resolves once it polls). */
  startWorker(): Promise<WorkerProcess>;
  /** SIGKILLs the case's running worker process; returns its pid. */
  kill(): Promise<number>;
  /** Deploys `answer` directly as the model's first deployment (production), ACTIVE. */
  seed(answer: string): Promise<{ modelId: string; v1: string }>;
  /** Starts a release of the case's model on its task queue (published candidate, no watcher unless asked). */
  startRelease(overrides?: Partial<DeployInput>): Promise<WorkflowHandle<typeof deployModel>>;
  /** Everything each of its worker processes printed, for a failure message. */
  output: () => string;
}

export async function startCrashHarness(): Promise<CrashHarness> {
  const temporal = await connectTemporal();
  const emu = await startTestEmulator();
  const pushTaskQueue = uniqueId('crash-push');
  const push = createGatedPushWorker(temporal.nativeConnection, emu.control, pushTaskQueue);
  const pushWorker: Worker = await push.worker;
  const pushRun = pushWorker.run();
  const children: ChildProcess[] = [];
  // A worker bundles its workflow code as it starts (CPU for seconds): two at a time on this 2-core machine.
  const starts = new Semaphore(2);

  const h: CrashHarness = {
    temporal,
    emu,
    pushTaskQueue,
    push,
    newCase(prefix, on) {
      const model = uniqueId(prefix);
      const taskQueue = uniqueId(`crash-${prefix}`);
      const workers: WorkerProcess[] = [];
      const env = { ...fleetWorkerEnv(emu.emulator, taskQueue), ...(on ? { TEMPORAL_ADDRESS: on.address } : {}) };
      const client = on?.temporal.client ?? temporal.client;
      return {
        h,
        client,
        model,
        taskQueue,
        async startWorker() {
          // Bundling takes minutes when other work loads the machine: the start may take that long.
          const worker = await starts.run(() => startWorkerProcess(env, { startTimeoutMs: 300_000 }));
          children.push(worker.child);
          workers.push(worker);
          return worker;
        },
        async kill() {
          const running = workers.at(-1);
          if (!running?.child.pid) throw new Error(`${model}: no worker process to kill`);
          await stopProcess(running.child, 'SIGKILL');
          return running.child.pid;
        },
        async seed(answer) {
          const { model: m, deployment } = await emu.control.createDeployment({
            trussDir: answeringTruss(model, answer),
            modelName: model,
          });
          await emu.waitForStatus(m.id, deployment.id, 'ACTIVE');
          return { modelId: m.id, v1: deployment.id };
        },
        startRelease(overrides = {}) {
          return client.workflow.start<typeof deployModel>('deployModel', {
            args: [
              releaseInput(on?.pushTaskQueue ?? pushTaskQueue, {
                modelName: model,
                trussDir: answeringTruss(model, 'v2'),
                validation: answersValidation,
                watch: { enabled: false },
                ...overrides,
              }),
            ],
            taskQueue,
            workflowId: uniqueId(`release-${prefix}`),
          });
        },
        output: () => workers.map((w, i) => `--- worker ${i + 1} (pid ${w.child.pid}) ---\n${w.output()}`).join('\n'),
      };
    },
    async close() {
      await Promise.all(children.map((child) => stopProcess(child, 'SIGTERM')));
      // A case that failed half-way may have left its push held: let it go, or the push worker never stops.
      push.releaseAll();
      pushWorker.shutdown();
      await pushRun.catch(() => undefined);
      await emu.close();
      await temporal.close();
    },
  };
  return h;
}

/** At most `limit` tasks at a time; the others wait their turn in order. */
class Semaphore {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running += 1;
    try {
      return await task();
    } finally {
      this.running -= 1;
      this.waiting.shift()?.();
    }
  }
}

const started = proto.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

/** The workflow's pending `activityType`, once a worker has started it (not just scheduled it); else undefined. */
export async function startedActivity(handle: WorkflowHandle, activityType: string) {
  const description = await handle.describe().catch(() => undefined);
  return description?.raw.pendingActivities?.find((a) => a.activityType?.name === activityType && a.state === started);
}

/** Waits until `activityType` runs in the workflow (a worker started it and it has not completed). */
export function activityRunning(handle: WorkflowHandle, activityType: string, what: () => string) {
  return waitFor(
    () => `${activityType} to be running: ${what()}`,
    () => startedActivity(handle, activityType),
    { timeoutMs: 90_000, intervalMs: 50 },
  );
}

/** A worker's default identity in the history (`pid@host`). */
export function workerIdentity(pid: number): string {
  return `${pid}@${hostname()}`;
}

/** Every identity that completed a workflow task or started an activity in the history. */
export function identitiesIn(history: History): Set<string> {
  const ids = new Set<string>();
  for (const e of history.events ?? []) {
    const identity =
      e.workflowTaskCompletedEventAttributes?.identity ?? e.activityTaskStartedEventAttributes?.identity ?? undefined;
    if (identity) ids.add(identity);
  }
  return ids;
}

/** Waits until the answer to a call matching this case's hold rule is applied and held back; returns it. */
export function heldBy(c: CrashCase, ruleId: string) {
  return waitFor(
    () => `a call taken by hold ${ruleId} to be applied and held; worker output:\n${c.output()}`,
    async () => (await c.h.emu.control.heldRequests()).find((r) => r.ruleId === ruleId),
    { timeoutMs: 90_000, intervalMs: 20 },
  );
}

/** Lets go the answers held by this rule only (other cases hold their own). */
export async function releaseHeldBy(c: CrashCase, ruleId: string): Promise<void> {
  for (const held of await c.h.emu.control.heldRequests()) {
    if (held.ruleId === ruleId) await c.h.emu.control.releaseHeld(held.id);
  }
}

/** What a model looks like after the case: production, its deployments, the promotion state, the promote calls. */
export interface ModelEndState {
  production: string | null;
  productionStatus?: string;
  deployments: Array<Pick<DeploymentV1, 'id' | 'status' | 'is_development'>>;
  /** The production environment's promotion in progress, if any (a half-done switch). */
  promotionInProgress: boolean;
  promotes: RequestLogEntry[];
}

export async function modelEndState(emu: TestEmulator, modelId: string): Promise<ModelEndState> {
  const list = await emu.call('GET', `/v1/models/${modelId}/deployments`);
  const deployments = (list.body as { deployments: DeploymentV1[] }).deployments.map((d) => ({
    id: d.id,
    status: d.status,
    is_development: d.is_development,
  }));
  const env = await emu.call('GET', `/v1/models/${modelId}/environments/production`);
  const body = env.body as {
    current_deployment?: { id: string; status: string } | null;
    in_progress_promotion?: { status: string } | null;
    candidate_deployment?: unknown;
  };
  const promotion = body.in_progress_promotion;
  return {
    production: await emu.productionOf(modelId),
    productionStatus: body.current_deployment?.status,
    deployments,
    promotionInProgress:
      (promotion !== null &&
        promotion !== undefined &&
        !['SUCCEEDED', 'FAILED', 'CANCELED'].includes(promotion.status)) ||
      (body.candidate_deployment !== null && body.candidate_deployment !== undefined),
    promotes: await emu.promoteCalls(modelId),
  };
}

/** Promote calls (any form) that named `deploymentId`. */
export function promotesOf(state: ModelEndState, deploymentId: string): RequestLogEntry[] {
  return state.promotes.filter((p) => p.path.includes(`/deployments/${deploymentId}/`));
}
