import { condition, setHandler } from '@temporalio/workflow';
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

function refuseIf(problem: string | undefined): void {
  if (problem) throw new Error(problem);
}
