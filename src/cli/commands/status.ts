import type { Command } from 'commander';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { BasetenCd } from '../../client';
import { UsageError } from '../../common/usage-error';
import { releasePrefix, watcherPrefix } from '../../common/workflow-ids';
import { workflowRow, type WorkflowRow } from '../../operations/workflow-rows';
import type { DeployResult, ReleaseProgress } from '../../workflows/types';
import type { WatchState } from '../../workflows/watch-types';
import { describeProgress } from '../deploy/progress-format';
import { releaseOutcome, summariseOutcome } from '../deploy/release-outcome';
import { load } from '../lazy';
import { openPage } from '../open-url';
import { createOutput } from '../output';
import { describeWatchState } from '../watch-format';

interface StatusOptions {
  environment: string;
  json?: boolean;
  open?: boolean;
}

/** What `status --json` prints about the release: its row plus, while it runs, its progress, once closed, its result. */
export interface ReleaseStatusView extends WorkflowRow {
  progress?: ReleaseProgress;
  result?: DeployResult;
}

/** ...and about the watcher: its row and, while it runs, its state. */
export interface WatcherStatusView extends WorkflowRow {
  state?: WatchState;
}

/** `status <model>` shows both; `status release-…` the release, `status watch-…` the watcher. */
export interface StatusView extends Partial<ReleaseStatusView> {
  watcher?: WatcherStatusView;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description("show a model's release (stage, candidate, production, validation) and its production watcher")
    .argument('<model>', 'a model name, a release id (release-<model>-<env>) or a watcher id (watch-<model>-<env>)')
    .option('--environment <name>', 'with a model name: the environment', 'production')
    .option('--json', 'print one JSON object')
    .option('--open', "open the release's page in the Temporal UI (prints the link when there is no browser)")
    .action(async (ref: string, options: StatusOptions) => {
      const out = createOutput(options.json ?? false);
      const cd = await load.client().BasetenCd.connect();
      try {
        const wantsRelease = !ref.trim().startsWith(watcherPrefix);
        const wantsWatcher = !ref.trim().startsWith(releasePrefix);
        const release = wantsRelease ? await releaseView(cd, ref, options.environment) : undefined;
        const watcher = wantsWatcher ? await watcherView(cd, ref, options.environment) : undefined;
        if (!release && !watcher) throw new UsageError(`nothing named ${ref.trim()} (see \`baseten-cd list\`)`);
        if (release) {
          out.line(`${release.workflowId}: ${release.execution} since ${release.closeTime ?? release.startTime}`);
          if (release.progress) out.line(`  ${describeProgress(release.progress)}`);
          if (release.result) out.line(`  ${summariseOutcome(releaseOutcome(release.result, release))}`);
          out.line(`  ${release.uiUrl}`);
        }
        if (watcher) {
          out.line(`${watcher.workflowId}: ${watcher.execution} since ${watcher.startTime}`);
          for (const line of watcher.state
            ? describeWatchState(watcher.state)
            : ['no worker answered the state query yet']) {
            out.line(`  ${line}`);
          }
          out.line(`  ${watcher.uiUrl}`);
        }
        const page = release?.uiUrl ?? watcher?.uiUrl;
        if (options.open && page) await openPage(page, out);
        const view: StatusView = { ...release, ...(watcher ? { watcher } : {}) };
        out.result(release ? view : watcher);
      } finally {
        await cd.close();
      }
    });
}

async function releaseView(cd: BasetenCd, ref: string, environment: string): Promise<ReleaseStatusView | undefined> {
  const release = cd.release(ref, environment);
  const description = await release.describe();
  if (!description) return undefined;
  const running = description.status.name === 'RUNNING';
  return {
    ...rowOf(cd, description),
    progress: running ? await release.progress() : undefined,
    result: running ? undefined : await release.result(),
  };
}

async function watcherView(cd: BasetenCd, ref: string, environment: string): Promise<WatcherStatusView | undefined> {
  const watcher = cd.watcher(ref, environment);
  const description = await watcher.describe();
  if (!description) return undefined;
  const running = description.status.name === 'RUNNING';
  return { ...rowOf(cd, description), state: running ? await watcher.state() : undefined };
}

function rowOf(cd: BasetenCd, description: WorkflowExecutionDescription): WorkflowRow {
  return workflowRow(description, cd.settings);
}
