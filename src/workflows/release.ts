import { log, upsertSearchAttributes } from '@temporalio/workflow';
import { candidateAttribute, environmentAttribute, modelAttribute, stageAttribute } from './search-attributes';
import type { DeployInput, DeployResult, ReleaseProgress, ReleaseStage, ReleaseStatus } from './types';

type Facts = Omit<ReleaseProgress, 'stage' | 'stageStartedAt'>;

/**
 * The release's observable state: what the `progress` query answers, what the search attributes show,
 * and the ids every result carries. Stages change only through `enter`, so all three stay in step.
 */
export class Release {
  private state: ReleaseProgress;

  constructor(readonly input: DeployInput) {
    this.state = { stage: 'pushing', stageStartedAt: workflowNow() };
    upsertSearchAttributes([
      { key: modelAttribute, value: input.modelName },
      { key: environmentAttribute, value: input.environment },
      { key: stageAttribute, value: 'pushing' },
    ]);
  }

  get stage(): ReleaseStage {
    return this.state.stage;
  }

  get facts(): Readonly<ReleaseProgress> {
    return this.state;
  }

  progress(): ReleaseProgress {
    return { ...this.state };
  }

  enter(stage: ReleaseStage, message?: string): void {
    this.state = { ...this.state, stage, stageStartedAt: workflowNow(), message };
    upsertSearchAttributes([{ key: stageAttribute, value: stage }]);
    log.info(`release ${stage}${message ? `: ${message}` : ''}`);
  }

  note(facts: Facts): void {
    if (facts.candidateDeploymentId && facts.candidateDeploymentId !== this.state.candidateDeploymentId) {
      upsertSearchAttributes([{ key: candidateAttribute, value: facts.candidateDeploymentId }]);
    }
    this.state = { ...this.state, ...facts };
  }

  /** Ends the release in its final stage and builds the result from what is known. */
  finish(status: ReleaseStatus, extra: Partial<DeployResult> = {}): DeployResult {
    this.enter(status === 'failed' ? 'failed' : status, extra.reason);
    const s = this.state;
    return {
      status,
      modelId: s.modelId,
      candidateDeploymentId: s.candidateDeploymentId,
      productionDeploymentId: s.productionDeploymentId,
      previousProductionDeploymentId: s.previousProductionDeploymentId,
      validation: s.validation,
      approval: s.approval,
      ...extra,
    };
  }
}

/** Workflow time (deterministic inside the sandbox; replays see the same value). */
export function workflowNow(): number {
  return new Date().getTime();
}
