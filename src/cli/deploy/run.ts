import { createPushActivities } from '../../activities/push';
import { readEnv } from '../../config/env';
import { trussCliPath } from '../../tools/paths';
import { ExitCode } from '../../common/exit-codes';
import { createOutput, type Output } from '../output';
import { connectClient } from '../../temporal/connect';
import { requireSearchAttributes } from '../../temporal/search-attribute-setup';
import { temporalSettingsFromEnv, type TemporalSettings } from '../../temporal/settings';
import { workflowUiUrl } from '../../temporal/ui-link';
import { followRelease, resultFromWorkflowError } from './follow';
import { releaseOutcome, summariseOutcome } from './release-outcome';
import { planRelease, type ReleasePlan } from './plan-release';
import { ProgressPrinter, summariseValidation } from './progress-format';
import { startPushWorker, type PushWorker } from './push-worker';
import { clearRunningRelease, startRelease } from './start-release';
import type { WorkflowHandle } from '@temporalio/client';
import type { deployModel } from '../../workflows/deploy';

/** `baseten-cd deploy`: checks everything, starts the release, hosts its push, and reports how it ended. */
export async function runDeploy(trussDirArg: string, rawOptions: unknown): Promise<ExitCode> {
  const plan = await planRelease(trussDirArg, rawOptions);
  const settings = temporalSettingsFromEnv();
  const out = createOutput(plan.options.json);
  const temporal = await connectClient(settings);
  try {
    const warning = await requireSearchAttributes(temporal.connection, settings);
    if (warning) out.line(`baseten-cd: ${warning}`);
    await clearRunningRelease(temporal.client, settings, plan);
    const { pushCandidate } = createPushActivities({
      trussCliPath: trussCliPath(),
      remote: readEnv('TRUSS_REMOTE') ?? 'baseten',
    });
    const pushWorker = await startPushWorker(settings, plan.input.pushTaskQueue, pushCandidate);
    try {
      const handle = await startRelease(temporal.client, settings, plan);
      const uiUrl = workflowUiUrl(settings.uiUrl, settings.namespace, plan.workflowId, handle.firstExecutionRunId);
      out.line(`release ${plan.workflowId} started (${describeCandidate(plan)}): ${uiUrl}`);
      const where = { workflowId: plan.workflowId, runId: handle.firstExecutionRunId, uiUrl };
      stopOnSignal(out, pushWorker, uiUrl);
      if (!plan.options.wait) return await reportPush(handle, pushWorker, out, where);
      // The release needs this process only for the push; stop polling as soon as it is done.
      // (A failure to stop surfaces from the second stop() in `finally`, which returns the same promise.)
      void pushWorker.pushed.then(() => pushWorker.stop()).catch(() => undefined);
      const result = await followRelease(handle, progressReporter(out, settings, plan.workflowId));
      const outcome = releaseOutcome(result, where);
      if (outcome.validation) out.line(`validation: ${summariseValidation(outcome.validation)}`);
      out.line(summariseOutcome(outcome));
      out.result(outcome);
      return outcome.exitCode;
    } finally {
      await pushWorker.stop();
    }
  } finally {
    await temporal.close();
  }
}

/**
 * Ctrl-C (or CI cancelling the job) stops following, not the release: it keeps running on the fleet. A release
 * whose push had not finished waits for a push worker that will not come back: cancel it with --supersede or the UI.
 */
function stopOnSignal(out: Output, pushWorker: PushWorker, uiUrl: string): void {
  const stop = (signal: NodeJS.Signals): void => {
    out.line(`${signal}: stopped following the release; it continues on the workers: ${uiUrl}`);
    void pushWorker.stop().finally(() => process.exit(ExitCode.failure));
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
): Parameters<typeof followRelease>[1] {
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
async function reportPush(
  handle: WorkflowHandle<typeof deployModel>,
  pushWorker: PushWorker,
  out: Output,
  where: { workflowId: string; runId: string; uiUrl: string },
): Promise<ExitCode> {
  const ended = handle.result().then(
    (result) => ({ result }),
    (err: unknown) => ({ result: resultFromWorkflowError(err) }),
  );
  const first = await Promise.race([pushWorker.pushed.then((pushed) => ({ pushed })), ended]);
  if ('result' in first) {
    const outcome = releaseOutcome(first.result, where);
    out.line(summariseOutcome(outcome));
    out.result(outcome);
    return outcome.exitCode;
  }
  const { pushed } = first;
  out.line(
    `pushed: model ${pushed.modelId}, candidate deployment ${pushed.deploymentId}; the release continues: ${where.uiUrl}`,
  );
  out.result({
    status: 'pushed',
    ...where,
    modelId: pushed.modelId,
    candidateDeploymentId: pushed.deploymentId,
    exitCode: ExitCode.ok,
  });
  return ExitCode.ok;
}
