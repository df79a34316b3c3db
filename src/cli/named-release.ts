import type { Command } from 'commander';
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { connectClient } from '../temporal/connect';
import { temporalSettingsFromEnv, type TemporalSettings } from '../temporal/settings';
import { describeRelease } from './release-handle';
import { resolveReleaseRef } from './release-id';
import { UsageError } from '../common/usage-error';

/** The options of a command that names a release (see releaseRefArguments). */
export interface ReleaseRefOptions {
  environment: string;
}

/** A release a user named, found on the server: what `status` and `approve` work on. */
export interface NamedRelease {
  client: Client;
  settings: TemporalSettings;
  workflowId: string;
  /** Its current (latest) run. */
  description: WorkflowExecutionDescription;
}

/** Adds the `<release>` argument (a release id or a model name) and the `--environment` that goes with a model name. */
export function releaseRefArguments(command: Command): Command {
  return command
    .argument('<release>', 'a release id (release-<model>-<environment>) or a model name')
    .option('--environment <name>', 'with a model name: the environment of the release', 'production');
}

/**
 * Finds the release a user named and runs `use` on it, with a Temporal connection that is closed afterwards.
 * Bad settings and an unknown release are usage errors.
 */
export async function withNamedRelease<T>(
  ref: string,
  options: ReleaseRefOptions,
  use: (release: NamedRelease) => Promise<T>,
): Promise<T> {
  const workflowId = resolveReleaseRef(ref, options.environment);
  const settings = temporalSettingsFromEnv();
  const temporal = await connectClient(settings);
  try {
    const description = await describeRelease(temporal.client, workflowId);
    if (!description) throw new UsageError(`no release ${workflowId} (see \`baseten-cd list\`)`);
    return await use({ client: temporal.client, settings, workflowId, description });
  } finally {
    await temporal.close();
  }
}
