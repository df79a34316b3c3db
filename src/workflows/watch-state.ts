import { log, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { ObserveResult } from '../activities/observe';
import { workflowNow } from './release';
import { deploymentAttribute, environmentAttribute, modelAttribute, stageAttribute } from './search-attributes';
import { keptIncidents, keptObservations, keptRejectedSignals, newest } from './watch-rules';
import { watcherDetails } from './watch-text';
import type {
  Incident,
  RollbackRequest,
  WatchCarry,
  WatchInput,
  WatchResult,
  WatchStage,
  WatchState,
} from './watch-types';

/** A revert the watcher has decided on (automatic) or been asked for (manual), waiting to run. */
export interface RevertAction {
  incidentId: number;
  targetId: string;
  /** Set once the revert has run (reverted or failed): an update waiting for it then answers. */
  settled: boolean;
}

/**
 * A watcher's observable state: what the `state` query answers, what the search attributes show, what the Temporal
 * UI's current details say, what is carried to the next run. It changes only through these methods, so all four stay
 * in step (each method that changes it ends with `publish`). `version` moves on every
 * change that must interrupt a running observation (a request, a pause, a resume, the end).
 */
export class Watch {
  private state: WatchState;
  private stageBeforePause: WatchStage = 'watching';
  private pending: RevertAction | undefined;
  private nextIncidentId: number;
  badRunReported: boolean;
  lastObservedAt: number | undefined;
  ending: Pick<WatchResult, 'endedBecause' | 'by'> | undefined;
  version = 0;
  slices = 0;

  constructor(readonly input: WatchInput) {
    const carry = input.carry;
    this.state = {
      stage: carry?.stage ?? 'watching',
      modelId: input.modelId,
      modelName: input.modelName,
      environment: input.environment,
      watchedDeploymentId: input.deploymentId,
      fallbackDeploymentId: input.fallbackDeploymentId,
      mode: carry?.stage === 'paused' ? 'paused' : 'automatic',
      pausedReason: carry?.pausedReason,
      settings: input.settings,
      lastObservations: carry?.lastObservations ?? [],
      consecutiveBad: carry?.consecutiveBad ?? 0,
      incidents: carry?.incidents ?? [],
      rejectedSignals: carry?.rejectedSignals ?? [],
      failure: carry?.failure,
      watchingSince: carry?.watchingSince ?? workflowNow(),
      releaseId: input.releaseId,
    };
    this.badRunReported = carry?.badRunReported ?? false;
    this.nextIncidentId = Math.max(0, ...this.state.incidents.map((i) => i.id)) + 1;
    upsertSearchAttributes([
      { key: modelAttribute, value: input.modelName },
      { key: environmentAttribute, value: input.environment },
      { key: deploymentAttribute, value: input.deploymentId },
      { key: stageAttribute, value: this.state.stage },
    ]);
    this.publish();
  }

  get stage(): WatchStage {
    return this.state.stage;
  }

  get watched(): string {
    return this.state.watchedDeploymentId;
  }

  get fallback(): string | undefined {
    return this.state.fallbackDeploymentId;
  }

  /** Automatic reverts are off while paused, and after a revert that failed (until a rollback succeeds). */
  get observeMode(): 'automatic' | 'paused' {
    return this.state.mode === 'paused' || this.state.stage === 'revert-failed' ? 'paused' : 'automatic';
  }

  get consecutiveBad(): number {
    return this.state.consecutiveBad;
  }

  /** A copy (the state is plain JSON), so an answer never aliases the live state. */
  snapshot(): WatchState {
    return JSON.parse(JSON.stringify(this.state)) as WatchState;
  }

  /** The state as the rollback validator judges it: a queued revert counts as one in progress. */
  judged(): Pick<WatchState, 'stage' | 'watchedDeploymentId' | 'fallbackDeploymentId'> {
    return { ...this.state, stage: this.pending ? 'reverting' : this.state.stage };
  }

  enter(stage: WatchStage, message?: string): void {
    this.state.stage = stage;
    upsertSearchAttributes([{ key: stageAttribute, value: stage }]);
    log.info(`watcher ${stage}${message ? `: ${message}` : ''}`);
    this.publish();
  }

  pause(reason: string): void {
    this.stageBeforePause = this.state.stage === 'paused' ? this.stageBeforePause : this.state.stage;
    this.state.mode = 'paused';
    this.state.pausedReason = reason;
    if (this.state.stage !== 'reverting') this.enter('paused', reason);
    this.version++;
    this.publish();
  }

  resume(): void {
    this.state.mode = 'automatic';
    this.state.pausedReason = undefined;
    // A bad run seen while paused is reported again, so it is acted on now.
    this.badRunReported = false;
    if (this.state.stage === 'paused')
      this.enter(this.stageBeforePause === 'paused' ? 'watching' : this.stageBeforePause);
    this.version++;
    this.publish();
  }

  /**
   * Records what an observation slice brought back. A bad run queues a revert (takeRevert); one with nothing to
   * revert to is returned, to be reported as a failed revert.
   */
  absorb(news: ObserveResult): Incident | undefined {
    try {
      return this.record(news);
    } finally {
      this.publish();
    }
  }

  private record(news: ObserveResult): Incident | undefined {
    this.slices++;
    this.state.lastObservations = newest([...this.state.lastObservations, ...news.observations], keptObservations);
    this.state.lastObservationError = undefined;
    this.state.consecutiveBad = news.consecutiveBad;
    this.badRunReported = news.badRunReported;
    this.lastObservedAt = news.lastObservedAt;
    if (news.reason === 'production-changed') {
      const to = news.servingDeploymentId ?? 'no deployment';
      this.state.failure = undefined;
      this.end('production-changed', to, `${this.input.environment} now serves ${to}, changed outside baseten-cd`);
      return undefined;
    }
    if (news.reason === 'recovered') {
      const last = this.state.incidents.at(-1);
      if (last?.outcome === 'suppressed-while-paused') last.outcome = 'recovered-while-paused';
      // Production healed by itself after a revert that could not be made: back to watching it.
      if (this.state.stage === 'revert-failed') {
        this.state.failure = undefined;
        this.enter('watching', `${this.watched} recovered`);
      }
      return undefined;
    }
    if (news.reason !== 'unhealthy') return undefined;
    const reason = news.evidence.at(-1)?.reasons.join('; ') ?? 'unhealthy';
    const base = { from: this.watched, firstBadAt: news.evidence[0]?.at, evidence: news.evidence };
    if (this.observeMode === 'paused') {
      this.addIncident({ kind: 'automatic', reason, ...base, outcome: 'suppressed-while-paused' });
      return undefined;
    }
    const target = this.fallback;
    if (!target) {
      const incident = this.addIncident({ kind: 'automatic', reason, ...base, outcome: 'revert-failed' });
      this.failed(incident, 'there is no previous deployment to revert to (roll back to one by name)');
      return incident;
    }
    this.queue(this.addIncident({ kind: 'automatic', reason, ...base, to: target, outcome: 'reverting' }));
    return undefined;
  }

  /** A manual rollback, from the update or the signal (already validated). */
  requestRollback(request: RollbackRequest): RevertAction {
    const target = request.to ?? this.fallback ?? '';
    const incident = this.addIncident({
      kind: 'manual',
      reason: request.reason,
      requestedBy: request.by,
      from: this.watched,
      to: target,
      evidence: newest(this.state.lastObservations, 1),
      outcome: 'reverting',
    });
    const action = this.queue(incident);
    this.publish();
    return action;
  }

  /** The latest step or event, one line (the CLI and the UI show it). */
  note(message: string): void {
    this.state.message = message;
    log.info(`watcher: ${message}`);
    this.publish();
  }

  /** An observation slice failed even after its retries: the watcher waits and observes again. */
  observationFailed(message: string): void {
    this.state.lastObservationError = message;
    this.note(`observation failed: ${message}`);
  }

  rejectSignal(problem: string): void {
    this.state.rejectedSignals = newest(
      [...this.state.rejectedSignals, { at: workflowNow(), problem }],
      keptRejectedSignals,
    );
    log.warn(`rollback signal ignored: ${problem}`);
    this.publish();
  }

  takeRevert(): RevertAction | undefined {
    return this.pending;
  }

  incident(id: number): Incident | undefined {
    return this.state.incidents.find((i) => i.id === id);
  }

  /** The revert worked: production serves the target, which is now the one watched (nothing to fall back to). */
  reverted(action: RevertAction): void {
    const incident = this.incident(action.incidentId);
    if (incident) {
      incident.outcome = 'reverted';
      incident.restoredAt = workflowNow();
    }
    this.state.watchedDeploymentId = action.targetId;
    this.state.fallbackDeploymentId = undefined;
    this.state.consecutiveBad = 0;
    this.state.failure = undefined;
    this.badRunReported = false;
    this.lastObservedAt = undefined;
    upsertSearchAttributes([{ key: deploymentAttribute, value: action.targetId }]);
    this.settle(action, this.state.mode === 'paused' ? 'paused' : 'reverted');
  }

  /** The revert failed for good: say so loudly, in the stage and the state. */
  revertFailed(action: RevertAction, failure: string): void {
    const incident = this.incident(action.incidentId);
    if (incident) this.failed(incident, failure);
    this.settle(action, 'revert-failed');
  }

  supersede(by: string): void {
    this.end('superseded-by-release', by, `superseded by release ${by}`);
  }

  carryOver(): WatchCarry {
    const s = this.state;
    return {
      stage: s.stage === 'paused' || s.stage === 'revert-failed' ? s.stage : 'watching',
      pausedReason: s.pausedReason,
      consecutiveBad: s.consecutiveBad,
      badRunReported: this.badRunReported,
      lastObservations: s.lastObservations,
      incidents: s.incidents,
      rejectedSignals: s.rejectedSignals,
      failure: s.failure,
      watchingSince: s.watchingSince,
      runs: (this.input.carry?.runs ?? 0) + 1,
    };
  }

  result(): WatchResult {
    return {
      stage: 'superseded',
      endedBecause: this.ending?.endedBecause ?? 'superseded-by-release',
      by: this.ending?.by,
      watchedDeploymentId: this.watched,
      incidents: this.state.incidents,
    };
  }

  /** Shows the state in the UI's current details (markdown, see watch-text.ts). */
  private publish(): void {
    setCurrentDetails(watcherDetails(this.state, workflowInfo().namespace));
  }

  private addIncident(fields: Omit<Incident, 'id' | 'detectedAt'>): Incident {
    const incident: Incident = { id: this.nextIncidentId++, detectedAt: workflowNow(), ...fields };
    this.state.incidents = newest([...this.state.incidents, incident], keptIncidents);
    return incident;
  }

  private queue(incident: Incident): RevertAction {
    const action: RevertAction = { incidentId: incident.id, targetId: incident.to ?? '', settled: false };
    this.pending = action;
    this.version++;
    return action;
  }

  private settle(action: RevertAction, stage: WatchStage): void {
    action.settled = true;
    this.pending = undefined;
    this.enter(stage);
    this.version++;
  }

  private failed(incident: Incident, failure: string): void {
    incident.outcome = 'revert-failed';
    incident.failure = failure;
    this.state.failure = failure;
    this.enter('revert-failed', failure);
  }

  private end(because: WatchResult['endedBecause'], by: string, message: string): void {
    this.ending = { endedBecause: because, by };
    this.enter('superseded', message);
    this.version++;
  }
}
