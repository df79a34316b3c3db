import { ApplicationFailure, patched } from '@temporalio/workflow';
import type { PushResult } from '../activities/push-types';
import type { ValidationReport } from '../validation/report';
import {
  awaitDeploymentActive,
  describeProduction,
  prepareForTraffic,
  promoteCandidate,
  pushActivity,
  smokeTest,
  validateCandidate,
} from './activity-proxies';
import { FailureType } from '../common/failure-types';
import { Patch } from './patches';
import { isNeverStarted } from './verdicts';
import { candidateTarget, comparisonTarget, promotionVia, releaseTimeouts, smokeCheck } from './release-rules';
import type { Release } from './release';
import { candidateLabel } from './release-text';
import type { DeployInput } from './types';

/** The candidate of a release once it exists: the model it belongs to and its deployment. */
export interface Candidate {
  modelId: string;
  deploymentId: string;
}

/** Pushes the Truss (on the CI job's task queue) and waits until the new deployment is ACTIVE. */
export async function pushAndBuild(release: Release): Promise<Candidate> {
  const { input } = release;
  const pushed = await push(input);
  release.note({ modelId: pushed.modelId, candidateDeploymentId: pushed.deploymentId });
  release.enter('building', `deployment ${pushed.deploymentId} of model ${pushed.modelId}`);
  const active = await awaitDeploymentActive(`wait until ${pushed.deploymentId} is ACTIVE`, {
    modelId: pushed.modelId,
    deploymentId: pushed.deploymentId,
    timeoutMs: releaseTimeouts(input).buildMs,
  });
  release.note({ candidateStatus: active.status });
  return { modelId: pushed.modelId, deploymentId: pushed.deploymentId };
}

/** Runs the push where the Truss is; a push no `deploy` process picks up in time ends the release. */
async function push(input: DeployInput): Promise<PushResult> {
  const waitMs = releaseTimeouts(input).pushScheduleToStartMs;
  const pushCandidate = pushActivity(input.pushTaskQueue, waitMs);
  try {
    return await pushCandidate(`push ${input.modelName} with truss (${candidateLabel(input.candidate)})`, {
      trussDir: input.trussDir,
      modelName: input.modelName,
      candidate: input.candidate,
      deploymentName: input.deploymentName,
      labels: input.labels,
      gitCommit: input.gitCommit,
    });
  } catch (err) {
    if (!isNeverStarted(err)) throw err;
    throw ApplicationFailure.nonRetryable(
      `nobody picked up the push on task queue ${input.pushTaskQueue} within ${Math.round(waitMs / 1000)} s: ` +
        'the `baseten-cd deploy` process that hosts it is gone',
      FailureType.PushNotStarted,
    );
  }
}

export async function validate(release: Release, candidate: Candidate): Promise<ValidationReport> {
  const { input } = release;
  release.enter('validating', `${input.validation.cases.length} case(s)`);
  const report = await validateCandidate(validationSummary(input, candidate.deploymentId), {
    modelId: candidate.modelId,
    candidate: candidateTarget(input, candidate.deploymentId),
    production: comparisonTarget(input),
    spec: input.validation,
  });
  release.note({ validation: report });
  return report;
}

/** `validate abc123: 3 cases, 30 latency samples, compared with production`. */
function validationSummary(input: DeployInput, deploymentId: string): string {
  const spec = input.validation;
  const parts = [`${spec.cases.length} case(s)`];
  if (spec.latency) parts.push(`${spec.latency.samples} latency samples`);
  if (spec.compareWithProduction) parts.push('compared with production');
  return `validate ${deploymentId}: ${parts.join(', ')}`;
}

/**
 * Records what serves the environment before the promotion: the revert target. A model's first published
 * deployment becomes production by itself, so production equal to the candidate means there is none.
 */
export async function recordProduction(release: Release, candidate: Candidate): Promise<string | undefined> {
  release.enter('promoting');
  const { environment } = release.input;
  const current = await describeProduction(`read what serves ${environment} now (the revert target)`, {
    modelId: candidate.modelId,
    environment,
  });
  const previous = current.deploymentId === candidate.deploymentId ? undefined : current.deploymentId;
  release.note({ previousProductionDeploymentId: previous });
  return previous;
}

/**
 * Wakes (or activates) the candidate before it takes traffic: after a long approval wait, a candidate with
 * Baseten's default autoscaling has scaled to zero, which is not a failure. A development candidate is not
 * promoted itself (its promotion builds a new deployment), so it needs no waking.
 */
export async function prepareCandidate(release: Release, candidate: Candidate): Promise<void> {
  const { input } = release;
  if (input.candidate.kind === 'development' || !patched(Patch.wakeCandidate)) return;
  release.note({ message: `making sure ${candidate.deploymentId} can take traffic (woken if it scaled to zero)` });
  await prepareForTraffic(`wake ${candidate.deploymentId} before promoting it`, {
    modelId: candidate.modelId,
    deploymentId: candidate.deploymentId,
    timeoutMs: releaseTimeouts(input).prepareMs,
  });
}

/** Promotes the candidate; returns the deployment that becomes production. */
export async function promote(release: Release, candidate: Candidate, previous: string | undefined): Promise<string> {
  const { input } = release;
  // From here on production may change: a failure must be reverted, or reported as not reverted.
  release.note({ promotionAttempted: true });
  const what = input.candidate.kind === 'development' ? 'the development deployment' : candidate.deploymentId;
  const promoted = await promoteCandidate(`promote ${what} to ${input.environment}`, {
    modelId: candidate.modelId,
    environment: input.environment,
    target:
      input.candidate.kind === 'development'
        ? { kind: 'development' }
        : { kind: 'deployment', deploymentId: candidate.deploymentId },
    via: promotionVia(input),
    previousProductionId: previous,
  });
  release.note({
    productionDeploymentId: promoted.deploymentId,
    message: promoted.alreadyPromoted ? `${promoted.deploymentId} was already promoted; not promoted again` : undefined,
  });
  return promoted.deploymentId;
}

/**
 * Promoting the development deployment builds a new deployment: wait until it is ACTIVE and smoke-test it
 * directly before production is verified.
 */
export async function settleDevelopmentPromotion(release: Release, modelId: string, deploymentId: string) {
  const { input } = release;
  release.note({ message: `waiting for ${deploymentId}, built by the development promotion` });
  await awaitDeploymentActive(`wait until ${deploymentId}, built by the promotion, is ACTIVE`, {
    modelId,
    deploymentId,
    timeoutMs: releaseTimeouts(input).buildMs,
  });
  const smoke = smokeCheck(input.validation);
  if (!smoke) return;
  release.enter('verifying', `smoke-testing ${deploymentId}`);
  const outcome = await smokeTest(`smoke-test ${deploymentId} with case "${smoke.caseName}"`, {
    modelId,
    target: { kind: 'deployment', deploymentId },
    smoke,
  });
  if (!outcome.ok)
    throw ApplicationFailure.nonRetryable(outcome.reason ?? 'smoke test failed', FailureType.VerificationFailed);
}
