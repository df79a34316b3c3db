import type { Command } from 'commander';
import { WorkflowFailedError, type Client, type WorkflowExecutionDescription } from '@temporalio/client';
import type { deployModel } from '../../workflows/deploy';
import { environmentAttribute, modelAttribute, stageAttribute } from '../../workflows/search-attributes';
import type { DeployResult, ReleaseProgress } from '../../workflows/types';
import { describeProgress } from '../deploy/progress-format';
import { summariseOutcome, releaseOutcome } from '../deploy/outcome';
import { createOutput } from '../output';
import { queryProgress } from '../progress-query';
import { describeRelease } from '../release-handle';
import { resolveReleaseRef } from '../release-id';
import { connectClient } from '../../temporal/connect';
import { temporalSettingsFromEnv } from '../../temporal/settings';
import { workflowUiUrl } from '../ui-link';
import { UsageError } from '../usage-error';

interface StatusOptions {
  environment: string;
  json?: boolean;
}

/** What `status --json` prints. */
export interface ReleaseStatusView {
  workflowId: string;
  runId: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT. */
  execution: string;
  model?: string;
  environment?: string;
  stage?: string;
  startTime: string;
  closeTime?: string;
  progress?: ReleaseProgress;
  result?: DeployResult;
  uiUrl: string;
}

async function closedResult(
  client: Client,
  description: WorkflowExecutionDescription,
): Promise<DeployResult | undefined> {
  if (description.status.name === 'RUNNING') return undefined;
  try {
    return await client.workflow.getHandle<typeof deployModel>(description.workflowId, description.runId).result();
  } catch (err) {
    if (err instanceof WorkflowFailedError) return { status: 'failed', reason: err.cause?.message ?? err.message };
    throw err;
  }
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show a release: stage, candidate, production, validation numbers, and its UI link')
    .argument('<release-or-model>', 'a release id (release-<model>-<environment>) or a model name')
    .option('--environment <name>', 'with a model name: the environment of the release', 'production')
    .option('--json', 'print one JSON object')
    .action(async (ref: string, options: StatusOptions) => {
      const workflowId = resolveReleaseRef(ref, options.environment);
      const settings = temporalSettingsFromEnv();
      const out = createOutput(options.json ?? false);
      const temporal = await connectClient(settings);
      try {
        const description = await describeRelease(temporal.client, workflowId);
        if (!description) throw new UsageError(`no release ${workflowId} (see \`baseten-cd list\`)`);
        const handle = temporal.client.workflow.getHandle(workflowId, description.runId);
        const attributes = description.typedSearchAttributes;
        const view: ReleaseStatusView = {
          workflowId,
          runId: description.runId,
          execution: description.status.name,
          model: attributes.get(modelAttribute),
          environment: attributes.get(environmentAttribute),
          stage: attributes.get(stageAttribute),
          startTime: description.startTime.toISOString(),
          closeTime: description.closeTime?.toISOString(),
          progress: await queryProgress(handle),
          result: await closedResult(temporal.client, description),
          uiUrl: workflowUiUrl(settings.uiUrl, settings.namespace, workflowId, description.runId),
        };
        out.line(`${workflowId}: ${view.execution} since ${view.closeTime ?? view.startTime}`);
        if (view.progress) out.line(`  ${describeProgress(view.progress)}`);
        if (view.result) out.line(`  ${summariseOutcome(releaseOutcome(view.result, view))}`);
        out.line(`  ${view.uiUrl}`);
        out.result(view);
      } finally {
        await temporal.close();
      }
    });
}
