import { ApplicationFailure, condition, patched, setHandler } from '@temporalio/workflow';
import { findDeployment } from './activity-proxies';
import { Patch } from './patches';
import { pauseUpdate, resumeUpdate, rollbackSignal, rollbackUpdate, stateQuery, supersedeSignal } from './messages';
import type { Watch } from './watch-state';
import { pauseProblem, resumeProblem, rollbackProblem } from './watch-rules';
import type { RollbackRequest } from './watch-types';

/**
 * The watcher's messages, registered before anything else runs. Validators are synchronous and refuse with one
 * line; the rollback update answers once its revert has run. A rollback signal whose body cannot be used is
 * recorded in the state and ignored: a signal cannot be refused, and it must never crash the watcher.
 */
export function registerWatchHandlers(watch: Watch): void {
  setHandler(stateQuery, () => watch.snapshot(), {
    description: 'The watcher: watched and fallback deployments, mode, last observations, incidents.',
  });

  setHandler(
    rollbackUpdate,
    async (request) => {
      if (request.to !== undefined && patched(Patch.rollbackTarget))
        await refuseUnknownTarget(watch, request, request.to);
      const action = watch.requestRollback(request);
      await condition(() => action.settled);
      return watch.snapshot();
    },
    {
      validator: (request) => refuseIf(rollbackProblem(request, watch.judged())),
      description:
        'Revert production now, answered once done: {"reason": "...", "to"?: "<deployment id>", "by"?: "..."}.',
    },
  );

  setHandler(
    rollbackSignal,
    (body) => {
      const problem = rollbackProblem(body, watch.judged());
      if (problem) watch.rejectSignal(problem);
      else watch.requestRollback(body as RollbackRequest);
    },
    {
      description:
        'Revert production now: {"reason": "...", "to"?: "<deployment id>"}; the previous deployment by default. ' +
        'A body that cannot be used is listed in the details and ignored.',
    },
  );

  setHandler(
    pauseUpdate,
    async (request) => {
      watch.pause(request.reason);
      return watch.snapshot();
    },
    {
      validator: (request) => refuseIf(pauseProblem(request, watch.snapshot())),
      description: 'No automatic revert until resumed: {"reason": "..."}.',
    },
  );

  setHandler(
    resumeUpdate,
    async (_request) => {
      watch.resume();
      return watch.snapshot();
    },
    {
      validator: (_request) => refuseIf(resumeProblem(watch.snapshot())),
      description: 'Automatic reverts again: {}.',
    },
  );

  setHandler(
    supersedeSignal,
    (request) => {
      const by: unknown = (request as { by?: unknown } | undefined)?.by;
      watch.supersede(typeof by === 'string' ? by : 'a newer release');
    },
    { description: 'Sent by a newer release: the watcher ends (after a revert it has started).' },
  );
}

/**
 * A rollback to a deployment the model does not have would fail every revert attempt for its whole deadline:
 * refuse it (the update fails, nothing is queued or changed). When Baseten cannot say, the revert goes ahead and
 * its own retries decide. The watcher may have moved on during the lookup, so the request is judged again.
 */
async function refuseUnknownTarget(watch: Watch, request: RollbackRequest, to: string): Promise<void> {
  const { modelId, modelName } = watch.input;
  const found = await findDeployment(`look up deployment ${to} of ${modelName}`, { modelId, deploymentId: to }).catch(
    () => undefined,
  );
  if (found && !found.found) {
    throw ApplicationFailure.nonRetryable(
      `model ${modelName} (${modelId}) has no deployment ${to}`,
      'UnknownDeployment',
    );
  }
  const problem = rollbackProblem(request, watch.judged());
  if (problem) throw ApplicationFailure.nonRetryable(problem, 'RollbackRefused');
}

function refuseIf(problem: string | undefined): void {
  if (problem) throw new Error(problem);
}
