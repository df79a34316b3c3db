/**
 * The typed client of baseten-cd for CI scripts and platform services: start a release and follow it, approve or
 * reject it, roll back, pause or resume a production watcher and read its state, list releases and watchers. The
 * `baseten-cd` CLI is a thin layer over it. It talks to Temporal only; the Baseten API key stays with the workers
 * (and with truss, for the push this process hosts).
 */
import type { Client, WorkflowExecutionDescription, WorkflowHandle } from '@temporalio/client';
import { createPushActivities } from './activities/push';
import type { PushResult } from './activities/push-types';
import { readEnv } from './config/env';
import { UsageError } from './common/usage-error';
import { startPushWorker, type PushWorker } from './operations/push-host';
import { queryProgress } from './operations/progress-query';
import { followRelease, resultFromWorkflowError } from './operations/release-follow';
import { describeWorkflow } from './operations/workflow-lookup';
import { prepareRelease, type PreparedRelease, type ReleaseRequest } from './operations/release-request';
import { controlRamp, rampingRelease, type RampAction } from './operations/release-ramp';
import { clearRunningRelease, startRelease } from './operations/release-start';
import { pauseWatcher, resumeWatcher, rollbackWatcher, runningWatcher, watcherState } from './operations/watchers';
import { resolveReleaseRef, resolveWatcherRef } from './operations/workflow-refs';
import { listQuery, workflowRow, type ListFilter, type WorkflowRow } from './operations/workflow-rows';
import { connectClient } from './temporal/connect';
import { requireSearchAttributes } from './temporal/search-attribute-setup';
import { temporalSettingsFromEnv, type TemporalSettings } from './temporal/settings';
import { workflowUiUrl } from './temporal/ui-link';
import { trussCliPath } from './tools/paths';
import type { deployModel } from './workflows/deploy';
import { approveUpdate, rejectUpdate } from './workflows/messages';
import type { ApprovalDecision, ApprovalRequest, DeployResult, ReleaseProgress } from './workflows/types';
import type { PauseRequest, ResumeRequest, RollbackRequest, WatchState } from './workflows/watch-types';

export type { ReleaseRequest, PreparedRelease } from './operations/release-request';
export type { ListFilter, WorkflowRow } from './operations/workflow-rows';
export type { TemporalSettings } from './temporal/settings';
export type {
  ApprovalDecision,
  ApprovalRequest,
  DeployResult,
  ReleaseProgress,
  RolloutReport,
  RollForwardRequest,
  WatchOptions,
} from './workflows/types';
export type { StepAnalysis } from './activities/rollout-types';
export type { RampAction } from './operations/release-ramp';
export type { Incident, Observation, PauseRequest, RollbackRequest, WatchState } from './workflows/watch-types';

export interface StartReleaseOptions {
  /** Cancel a running release of the same model and environment first (one past its promote call finishes first). */
  supersede?: boolean;
  /** The truss CLI for the push. @default TRUSS_CLI_PATH, else the provisioned one */
  trussCliPath?: string;
  /** The trussrc remote to push to. @default TRUSS_REMOTE, else `baseten` */
  trussRemote?: string;
}

/** A release that has started. This process hosts its push (`truss push` runs where the Truss is) until it is done. */
export interface StartedRelease {
  workflowId: string;
  runId: string;
  /** The release's page in the Temporal UI. */
  uiUrl: string;
  handle: WorkflowHandle<typeof deployModel>;
  /** Resolves once the candidate is pushed (it stays pending if the release ends before that). */
  pushed: Promise<PushResult>;
  /** Waits for the result, reporting progress (undefined: no worker answered yet) until then; stops the push host. */
  follow(onProgress?: (progress: ReleaseProgress | undefined) => void): Promise<DeployResult>;
  /** Stops hosting the push (a release still waiting for its push then fails after its schedule-to-start timeout). */
  stopPushing(): Promise<void>;
}

/** A release named by its id (release-<model>-<environment>) or by model name and environment. */
export interface ReleaseControl {
  workflowId: string;
  describe(): Promise<WorkflowExecutionDescription | undefined>;
  /** Its progress, or undefined when it does not run or no worker answered in time. */
  progress(): Promise<ReleaseProgress | undefined>;
  /** Waits for its result (a workflow that failed still gets one). */
  result(): Promise<DeployResult>;
  approve(request?: ApprovalRequest): Promise<ApprovalDecision>;
  reject(request?: ApprovalRequest): Promise<ApprovalDecision>;
  /** True while its rolling promotion ramps (or is held): pause, resume and rollback then go to the release. */
  isRamping(): Promise<boolean>;
  /**
   * During the ramp: `pause` holds Baseten's promotion at its next step, `resume` lets it go on, `rollback` cancels
   * it and reverts (follow `result()` for the end), `roll-forward` completes it now. A UsageError when not ramping.
   */
  controlRamp(action: RampAction): Promise<ReleaseProgress>;
}

/** A production watcher named by its id (watch-<model>-<environment>) or by model name and environment. */
export interface WatcherControl {
  workflowId: string;
  describe(): Promise<WorkflowExecutionDescription | undefined>;
  /** Its state, or undefined when no worker answered in time. Throws a UsageError when no watcher runs. */
  state(): Promise<WatchState | undefined>;
  /** Reverts production to the previous deployment (or `to`) now; answers once the revert has run. */
  rollback(request: RollbackRequest): Promise<WatchState>;
  pause(request: PauseRequest): Promise<WatchState>;
  resume(request?: ResumeRequest): Promise<WatchState>;
}

export class BasetenCd {
  private constructor(
    /** The Temporal client, for anything this class does not cover. */
    readonly temporal: Client,
    readonly settings: TemporalSettings,
    private readonly closeConnection: () => Promise<void>,
  ) {}

  /** Connects to Temporal: the TEMPORAL_* environment (as `baseten-cd --help` lists it), or explicit settings. */
  static async connect(settings: TemporalSettings = temporalSettingsFromEnv()): Promise<BasetenCd> {
    const connected = await connectClient(settings);
    return new BasetenCd(connected.client, settings, () => connected.close());
  }

  close(): Promise<void> {
    return this.closeConnection();
  }

  /** Refuses (UsageError) when the server lacks the search attributes; a warning when it could not tell. */
  async checkSetup(): Promise<string | undefined> {
    const connection = this.temporal.connection;
    return requireSearchAttributes(connection, this.settings);
  }

  /** The Temporal UI's page of a workflow run. */
  uiUrl(workflowId: string, runId?: string): string {
    return workflowUiUrl(this.settings.uiUrl, this.settings.namespace, workflowId, runId);
  }

  /**
   * Checks the request (one UsageError naming what is wrong, nothing started), refuses while another release of
   * the model and environment runs (unless `supersede`), then starts the release and hosts its push.
   */
  async startRelease(
    request: ReleaseRequest | PreparedRelease,
    options: StartReleaseOptions = {},
  ): Promise<StartedRelease> {
    const prepared = 'input' in request ? request : await prepareRelease(request);
    await clearRunningRelease(this.temporal, this.settings, prepared, options.supersede ?? false);
    const { pushCandidate } = createPushActivities({
      trussCliPath: options.trussCliPath ?? trussCliPath(),
      remote: options.trussRemote ?? readEnv('TRUSS_REMOTE') ?? 'baseten',
    });
    const host: PushWorker = await startPushWorker(this.settings, prepared.input.pushTaskQueue, pushCandidate);
    let handle: WorkflowHandle<typeof deployModel> & { firstExecutionRunId: string };
    try {
      handle = await startRelease(this.temporal, this.settings, prepared);
    } catch (err) {
      await host.stop();
      throw err;
    }
    // The release needs this process only for the push; stop polling as soon as it is done.
    void host.pushed.then(() => host.stop()).catch(() => undefined);
    return {
      workflowId: prepared.workflowId,
      runId: handle.firstExecutionRunId,
      uiUrl: this.uiUrl(prepared.workflowId, handle.firstExecutionRunId),
      handle,
      pushed: host.pushed,
      async follow(onProgress = () => undefined) {
        try {
          return await followRelease(handle, onProgress);
        } finally {
          await host.stop();
        }
      },
      stopPushing: () => host.stop(),
    };
  }

  release(ref: string, environment = 'production'): ReleaseControl {
    const workflowId = resolveReleaseRef(ref, environment);
    const client = this.temporal;
    const current = async () => {
      const description = await describeWorkflow(client, workflowId);
      if (!description) throw new UsageError(`no release ${workflowId} (see \`baseten-cd list\`)`);
      return client.workflow.getHandle<typeof deployModel>(workflowId, description.runId);
    };
    const decide = async (verb: 'approve' | 'reject', request: ApprovalRequest): Promise<ApprovalDecision> => {
      const description = await describeWorkflow(client, workflowId);
      if (!description) throw new UsageError(`no release ${workflowId} (see \`baseten-cd list\`)`);
      if (description.status.name !== 'RUNNING') {
        throw new UsageError(`${workflowId} is not running (${description.status.name}): nothing to ${verb}`);
      }
      const handle = client.workflow.getHandle<typeof deployModel>(workflowId, description.runId);
      return handle.executeUpdate(verb === 'approve' ? approveUpdate : rejectUpdate, { args: [request] });
    };
    return {
      workflowId,
      describe: () => describeWorkflow(client, workflowId),
      progress: async () => queryProgress(await current()),
      result: async () => (await current()).result().catch((err: unknown) => resultFromWorkflowError(err)),
      approve: (request = {}) => decide('approve', request),
      reject: (request = {}) => decide('reject', request),
      isRamping: async () => (await rampingRelease(client, workflowId)) !== undefined,
      controlRamp: async (action) => {
        const handle = await rampingRelease(client, workflowId);
        if (!handle) throw new UsageError(`${workflowId} is not rolling out: nothing to ${action.kind}`);
        return controlRamp(handle, action);
      },
    };
  }

  watcher(ref: string, environment = 'production'): WatcherControl {
    const workflowId = resolveWatcherRef(ref, environment);
    const client = this.temporal;
    return {
      workflowId,
      describe: () => describeWorkflow(client, workflowId),
      state: async () => watcherState(await runningWatcher(client, workflowId)),
      rollback: async (request) => rollbackWatcher(await runningWatcher(client, workflowId), request),
      pause: async (request) => pauseWatcher(await runningWatcher(client, workflowId), request),
      resume: async (request) => resumeWatcher(await runningWatcher(client, workflowId), request),
    };
  }

  /** Releases and watchers, newest first, filtered with the search attributes. */
  async list(filter: ListFilter & { limit?: number } = {}): Promise<WorkflowRow[]> {
    const limit = filter.limit ?? 20;
    const rows: WorkflowRow[] = [];
    try {
      for await (const execution of this.temporal.workflow.list({ query: listQuery(filter), pageSize: limit })) {
        rows.push(workflowRow(execution, this.settings));
        if (rows.length >= limit) break;
      }
    } catch (err) {
      // A query on a namespace without the search attributes is refused: say which are missing and how to add them.
      await this.checkSetup();
      throw err;
    }
    return rows;
  }
}
