import { getClient, heartbeat } from '@temporalio/activity';
import { WorkflowNotFoundError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { FailureType } from '../common/failure-types';
import { MessageName } from '../common/message-names';
import { lastCheckpoint } from './checkpoint';
import { resolveDeps, type ActivityDeps } from './deps';
import { PollLoop } from './poll-loop';

export interface RetireWatcherInput {
  /** The watcher's workflow id (watch-<model>-<environment>). */
  watcherId: string;
  /** The release taking over, recorded by the watcher as what superseded it. */
  releaseId: string;
  /** How long the watcher may take to end (it finishes a revert it has started first). @unit ms */
  timeoutMs: number;
}

export interface RetireWatcherResult {
  /** `none`: no watcher was running; `superseded`: it was told to end, and has. */
  retired: 'none' | 'superseded';
  /** What the retired watcher watched and would have reverted to (so it can be restored if the release stops). */
  watchedDeploymentId?: string;
  fallbackDeploymentId?: string;
}

const checkpointSchema = z.looseObject({
  startedAt: z.number(),
  signalled: z.boolean(),
  watchedDeploymentId: z.string().optional(),
  fallbackDeploymentId: z.string().optional(),
});

/** The part of the watcher's `state` query this activity needs (the query's answer is untyped on the wire). */
const watcherStateSchema = z.looseObject({
  watchedDeploymentId: z.string(),
  fallbackDeploymentId: z.string().optional(),
});

/** A query needs a worker to answer: never let a busy fleet hold the release up for long. */
const queryTimeoutMs = 10_000;

export function createRetireWatcherActivities(deps: ActivityDeps) {
  const resolved = resolveDeps(deps);
  return {
    /**
     * Ends the running watcher of the model and environment before a new release promotes: signals it that it
     * is superseded and waits until it has closed (a revert it is running completes first), so two deciders never
     * act on production at once. A watcher that does not end in time fails the release before its promotion.
     */
    async retireWatcher(input: RetireWatcherInput): Promise<RetireWatcherResult> {
      const client = getClient();
      const handle = client.workflow.getHandle(input.watcherId);
      const loop = new PollLoop(resolved, input.timeoutMs);
      const checkpoint = lastCheckpoint(checkpointSchema);
      let signalled = checkpoint?.signalled ?? false;
      let watched = checkpoint?.watchedDeploymentId;
      let fallback = checkpoint?.fallbackDeploymentId;
      for (;;) {
        let running: boolean;
        try {
          running = (await handle.describe()).status.name === 'RUNNING';
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) return { retired: 'none' };
          throw err;
        }
        if (!running) {
          return signalled
            ? {
                retired: 'superseded',
                ...(watched ? { watchedDeploymentId: watched } : {}),
                ...(fallback ? { fallbackDeploymentId: fallback } : {}),
              }
            : { retired: 'none' };
        }
        if (!signalled) {
          const state = await client
            .withDeadline(Date.now() + queryTimeoutMs, () => handle.query<unknown>(MessageName.state))
            .then((answer) => watcherStateSchema.safeParse(answer))
            .catch(() => undefined);
          watched = state?.success ? state.data.watchedDeploymentId : undefined;
          fallback = state?.success ? state.data.fallbackDeploymentId : undefined;
          await handle.signal(MessageName.supersede, { by: input.releaseId });
          signalled = true;
        }
        heartbeat({
          startedAt: loop.startedAt,
          signalled,
          watchedDeploymentId: watched,
          fallbackDeploymentId: fallback,
        });
        if (loop.expired) {
          throw ApplicationFailure.nonRetryable(
            `the watcher ${input.watcherId} did not end within ${Math.round(input.timeoutMs / 1000)} s of being superseded`,
            FailureType.WatcherNotRetired,
          );
        }
        await loop.pause();
      }
    },
  };
}
