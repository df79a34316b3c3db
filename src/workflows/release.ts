import { log, setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { releaseDetails, storyLines, type ReleaseLogLine } from './release-text';
import { candidateAttribute, environmentAttribute, modelAttribute, stageAttribute } from './search-attributes';
import type { DeployInput, DeployResult, ReleaseProgress, ReleaseStage, ReleaseStatus } from './types';

type Facts = Omit<ReleaseProgress, 'stage' | 'stageStartedAt'>;

/** The story in the UI's current details keeps this many lines (a release has a dozen or so). */
const keptLogLines = 40;

/**
 * The release's observable state: what the `progress` query answers, what the search attributes show, what the
 * Temporal UI's current details say, and the ids every result carries. Stages change only through `enter`, so
 * all four stay in step.
 */
export class Release {
  private state: ReleaseProgress;
  private readonly story: ReleaseLogLine[] = [];

  constructor(readonly input: DeployInput) {
    this.state = { stage: 'pushing', stageStartedAt: workflowNow() };
    upsertSearchAttributes([
      { key: modelAttribute, value: input.modelName },
      { key: environmentAttribute, value: input.environment },
      { key: stageAttribute, value: 'pushing' },
    ]);
    this.tell(`started: ${input.modelName} → ${input.environment}`);
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
    this.tell(`${stage}${message ? `: ${message}` : ''}`);
  }

  note(facts: Facts): void {
    if (facts.candidateDeploymentId && facts.candidateDeploymentId !== this.state.candidateDeploymentId) {
      upsertSearchAttributes([{ key: candidateAttribute, value: facts.candidateDeploymentId }]);
    }
    const lines = storyLines(this.state, facts, this.input);
    this.state = { ...this.state, ...facts };
    for (const text of lines) this.tell(text);
    this.publish();
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
      ...(s.rollout ? { rollout: s.rollout } : {}),
      ...extra,
    };
  }

  /** Adds a line to the story and shows the state in the UI's current details. */
  private tell(text: string): void {
    this.story.push({ at: workflowNow(), text });
    if (this.story.length > keptLogLines) this.story.splice(0, this.story.length - keptLogLines);
    this.publish();
  }

  private publish(): void {
    setCurrentDetails(releaseDetails(this.state, this.input, workflowInfo().namespace, this.story));
  }
}

/** Workflow time (deterministic inside the sandbox; replays see the same value). */
export function workflowNow(): number {
  return new Date().getTime();
}
