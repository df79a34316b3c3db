import type { Command } from 'commander';
import { UsageError } from '../../common/usage-error';
import { load } from '../lazy';
import { createOutput } from '../output';

interface ListOptions {
  model?: string;
  environment?: string;
  releases?: boolean;
  watchers?: boolean;
  running?: boolean;
  limit: string;
  json?: boolean;
}

export function registerList(program: Command): void {
  program
    .command('list')
    .description('list releases and production watchers, newest first, with their stage')
    .option('--model <name>', 'only those of this model')
    .option('--environment <name>', 'only those of this environment')
    .option('--releases', 'only releases')
    .option('--watchers', 'only watchers')
    .option('--running', 'only those still running')
    .option('--limit <n>', 'at most this many', '20')
    .option('--json', 'print one JSON array')
    .action(async (options: ListOptions) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
        throw new UsageError(`--limit '${options.limit}': expected a whole number from 1 to 10000`);
      if (options.releases && options.watchers) throw new UsageError('--releases and --watchers exclude each other');
      const kind = options.releases ? 'release' : options.watchers ? 'watcher' : undefined;
      const out = createOutput(options.json ?? false);
      const cd = await load.client().BasetenCd.connect();
      try {
        const rows = await cd.list({
          kind,
          model: options.model,
          environment: options.environment,
          running: options.running,
          limit,
        });
        if (rows.length === 0) out.line('nothing found');
        for (const row of rows) {
          out.line(
            `${row.workflowId.padEnd(40)} ${row.kind.padEnd(8)} ${row.execution.padEnd(10)} ${(row.stage ?? '-').padEnd(17)} ${(row.deployment ?? '-').padEnd(9)} ${row.startTime}`,
          );
        }
        out.result(rows);
      } finally {
        await cd.close();
      }
    });
}
