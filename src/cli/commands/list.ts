import type { Command } from 'commander';
import { createOutput } from '../output';
import { releaseRow, type ReleaseRow } from '../release-row';
import { connectClient } from '../../temporal/connect';
import { temporalSettingsFromEnv } from '../../temporal/settings';
import { UsageError } from '../../common/usage-error';

interface ListOptions {
  model?: string;
  limit: string;
  json?: boolean;
}

/** The visibility query for releases, optionally of one model. */
export function releasesQuery(model?: string): string {
  if (model === undefined) return "WorkflowType='deployModel'";
  // Visibility queries have no escape for quotes; a model name never contains one.
  if (/['"\\]/.test(model)) throw new UsageError(`--model '${model}': quotes and backslashes are not allowed`);
  return `WorkflowType='deployModel' AND BasetenModel='${model}'`;
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list releases, newest first, with their stage')
    .option('--model <name>', 'only releases of this model')
    .option('--limit <n>', 'at most this many releases', '20')
    .option('--json', 'print one JSON array')
    .action(async (options: ListOptions) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1)
        throw new UsageError(`--limit '${options.limit}': expected a positive integer`);
      const query = releasesQuery(options.model);
      const settings = temporalSettingsFromEnv();
      const out = createOutput(options.json ?? false);
      const temporal = await connectClient(settings);
      try {
        const rows: ReleaseRow[] = [];
        for await (const execution of temporal.client.workflow.list({ query, pageSize: limit })) {
          rows.push(releaseRow(execution, settings));
          if (rows.length >= limit) break;
        }
        if (rows.length === 0) out.line('no releases');
        for (const row of rows) {
          out.line(
            `${row.workflowId}  ${row.execution.padEnd(10)} ${(row.stage ?? '-').padEnd(17)} ${row.startTime}  ${row.runId}`,
          );
        }
        out.result(rows);
      } finally {
        await temporal.close();
      }
    });
}
