import { BasetenCd, type StartedRelease } from '../../client';
import { ExitCode } from '../../common/exit-codes';
import { resultFromWorkflowError } from '../../operations/release-follow';
import type { TemporalSettings } from '../../temporal/settings';
import type { ReleaseProgress } from '../../workflows/types';
import { createOutput, type Output } from '../output';
import { releaseOutcome, summariseOutcome } from './release-outcome';
import type { ReleasePlan } from './plan-release';
import { ProgressPrinter, summariseValidation } from './progress-format';

/**
 * `baseten-cd deploy` once planRelease has checked its input: starts the release, hosts its push, and reports how it
 * ended.
 */
export async function runDeploy(plan: ReleasePlan): Promise<ExitCode> {
  const out = createOutput(plan.options.json);
  const cd = await BasetenCd.connect();
  try {
    const warning = await cd.checkSetup();
    if (warning) out.line(`baseten-cd: ${warning}`);
    const started = await cd.startRelease(plan, { supersede: plan.options.supersede });
    out.line(`release ${plan.workflowId} started (${describeCandidate(plan)}): ${started.uiUrl}`);
    stopOnSignal(out, started);
    if (!plan.options.wait) return await reportPush(started, out);
    const result = await started.follow(progressReporter(out, cd.settings, plan.workflowId));
    const outcome = releaseOutcome(result, started);
    if (outcome.validation) out.line(`validation: ${summariseValidation(outcome.validation)}`);
    out.line(summariseOutcome(outcome));
    if (outcome.watcherId)
      out.line(`watching ${plan.input.environment}: ${outcome.watcherId} (${cd.uiUrl(outcome.watcherId)})`);
    out.result(outcome);
    return outcome.exitCode;
  } finally {
    await cd.close();
  }
}

/**
 * Ctrl-C (or CI cancelling the job) stops following, not the release: it keeps running on the fleet. A release
 * whose push had not finished waits for a push worker that will not come back: cancel it with --supersede or the UI.
 */
function stopOnSignal(out: Output, started: StartedRelease): void {
  const stop = (signal: NodeJS.Signals): void => {
    out.line(`${signal}: stopped following the release; it continues on the workers: ${started.uiUrl}`);
    void started.stopPushing().finally(() => process.exit(ExitCode.failure));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function describeCandidate(plan: ReleasePlan): string {
  const { candidate, modelName, environment } = plan.input;
  const kind = candidate.kind === 'environment' ? `environment:${candidate.name}` : candidate.kind;
  return `model ${modelName}, ${kind} candidate, into ${environment}`;
}

function progressReporter(
  out: Output,
  settings: TemporalSettings,
  workflowId: string,
): (progress: ReleaseProgress | undefined) => void {
  const printer = new ProgressPrinter((line) => out.line(line), Date.now());
  const hint = `waiting: no worker answered yet (is \`baseten-cd worker\` running on task queue ${settings.taskQueue}?)`;
  let toldHowToApprove = false;
  return (progress) => {
    if (!progress) return printer.silence(Date.now(), hint);
    printer.update(progress, Date.now());
    if (progress.stage === 'awaiting-approval' && !toldHowToApprove) {
      toldHowToApprove = true;
      out.line(`  decide with: baseten-cd approve ${workflowId} [--reject] [--reason <text>]`);
    }
  };
}

/** --no-wait: return once the candidate is pushed (or the release ended before that). */
async function reportPush(started: StartedRelease, out: Output): Promise<ExitCode> {
  const ended = started.handle.result().then(
    (result) => ({ result }),
    (err: unknown) => ({ result: resultFromWorkflowError(err) }),
  );
  const first = await Promise.race([started.pushed.then((pushed) => ({ pushed })), ended]);
  await started.stopPushing();
  if ('result' in first) {
    const outcome = releaseOutcome(first.result, started);
    out.line(summariseOutcome(outcome));
    out.result(outcome);
    return outcome.exitCode;
  }
  const { pushed } = first;
  out.line(
    `pushed: model ${pushed.modelId}, candidate deployment ${pushed.deploymentId}; the release continues: ${started.uiUrl}`,
  );
  const { workflowId, runId, uiUrl } = started;
  out.result({
    status: 'pushed',
    workflowId,
    runId,
    uiUrl,
    modelId: pushed.modelId,
    candidateDeploymentId: pushed.deploymentId,
    exitCode: ExitCode.ok,
  });
  return ExitCode.ok;
}
