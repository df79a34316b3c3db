import type { Command } from 'commander';
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import type { deployModel } from '../../workflows/deploy';
import type { DeployResult, ReleaseProgress } from '../../workflows/types';
import { resultFromWorkflowError } from '../deploy/follow';
import { describeProgress } from '../deploy/progress-format';
import { summariseOutcome, releaseOutcome } from '../deploy/release-outcome';
import { openPage } from '../open-url';
import { createOutput } from '../output';
import { queryProgress } from '../progress-query';
import { releaseRefArguments, withNamedRelease, type ReleaseRefOptions } from '../named-release';
import { releaseRow, type ReleaseRow } from '../release-row';

interface StatusOptions extends ReleaseRefOptions {
  json?: boolean;
  open?: boolean;
}

/** What `status --json` prints: the release's row plus, while it runs, its progress, and once closed, its result. */
export interface ReleaseStatusView extends ReleaseRow {
  progress?: ReleaseProgress;
  result?: DeployResult;
}

async function closedResult(
  client: Client,
  description: WorkflowExecutionDescription,
): Promise<DeployResult | undefined> {
  if (description.status.name === 'RUNNING') return undefined;
  try {
    return await client.workflow.getHandle<typeof deployModel>(description.workflowId, description.runId).result();
  } catch (err) {
    return resultFromWorkflowError(err);
  }
}

export function registerStatus(program: Command): void {
  const command = program
    .command('status')
    .description('show a release: stage, candidate, production, validation numbers, and its UI link');
  releaseRefArguments(command)
    .option('--json', 'print one JSON object')
    .option('--open', "open the release's page in the Temporal UI (prints the link when there is no browser)")
    .action(async (ref: string, options: StatusOptions) => {
      const out = createOutput(options.json ?? false);
      await withNamedRelease(ref, options, async ({ client, settings, workflowId, description }) => {
        const handle = client.workflow.getHandle(workflowId, description.runId);
        const view: ReleaseStatusView = {
          ...releaseRow(description, settings),
          progress: await queryProgress(handle),
          result: await closedResult(client, description),
        };
        out.line(`${workflowId}: ${view.execution} since ${view.closeTime ?? view.startTime}`);
        if (view.progress) out.line(`  ${describeProgress(view.progress)}`);
        if (view.result) out.line(`  ${summariseOutcome(releaseOutcome(view.result, view))}`);
        out.line(`  ${view.uiUrl}`);
        if (options.open) await openPage(view.uiUrl, out);
        out.result(view);
      });
    });
}
