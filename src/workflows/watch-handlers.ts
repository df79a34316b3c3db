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
  setHandler(stateQuery, () => watch.snapshot());

  setHandler(
    rollbackUpdate,
    async (request) => {
      const action = watch.requestRollback(request);
      await condition(() => action.settled);
      return watch.snapshot();
    },
    { validator: (request) => refuseIf(rollbackProblem(request, watch.judged())) },
  );

  setHandler(rollbackSignal, (body) => {
    const problem = rollbackProblem(body, watch.judged());
    if (problem) watch.rejectSignal(problem);
    else watch.requestRollback(body as RollbackRequest);
  });

  setHandler(
    pauseUpdate,
    async (request) => {
      watch.pause(request.reason);
      return watch.snapshot();
    },
    { validator: (request) => refuseIf(pauseProblem(request, watch.snapshot())) },
  );

  setHandler(
    resumeUpdate,
    async (_request) => {
      watch.resume();
      return watch.snapshot();
    },
    { validator: (_request) => refuseIf(resumeProblem(watch.snapshot())) },
  );

  setHandler(supersedeSignal, (request) => {
    const by: unknown = (request as { by?: unknown } | undefined)?.by;
    watch.supersede(typeof by === 'string' ? by : 'a newer release');
  });
}

function refuseIf(problem: string | undefined): void {
  if (problem) throw new Error(problem);
}
