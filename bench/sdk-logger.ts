import { DefaultLogger, type LogEntry } from '@temporalio/worker';

const maxLineLength = 200;

function describe(entry: LogEntry): string {
  const meta = entry.meta ?? {};
  const activity = typeof meta.activityType === 'string' ? ` (${meta.activityType})` : '';
  const error = meta.error instanceof Error ? `: ${meta.error.message}` : '';
  return `${entry.message}${activity}${error}`.replace(/\s+/g, ' ');
}

/**
 * The Temporal SDK's warnings and errors, one short line each: the output of the bench is its tables, and an
 * expected failure (the failed-build benchmark's build) would otherwise print a stack trace per attempt.
 */
export function benchSdkLogger(): DefaultLogger {
  return new DefaultLogger('WARN', (entry) => {
    // The push worker hosts activities only, as `baseten-cd deploy` does; this warning is its normal state.
    if (entry.message.startsWith('No workflows registered')) return;
    const line = `  temporal ${entry.level}: ${describe(entry)}`;
    console.error(line.length > maxLineLength ? `${line.slice(0, maxLineLength - 1)}…` : line);
  });
}
