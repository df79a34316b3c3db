import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { MessageName } from '../common/message-names';
import type { ApprovalDecision, ApprovalRequest, ReleaseProgress, RollForwardRequest } from './types';
import type { PauseRequest, ResumeRequest, RollbackRequest, WatchState } from './watch-types';

// Wire names come from one list (src/common/message-names.ts); clients (the CLI) import these definitions.

/** Where the release is: stage, ids, candidate status, validation numbers. */
export const progressQuery = defineQuery<ReleaseProgress>(MessageName.progress);

/** Lets a release waiting at the approval gate go on to promotion. Refused unless it is waiting. */
export const approveUpdate = defineUpdate<ApprovalDecision, [ApprovalRequest]>(MessageName.approve);

/** Ends a release waiting at the approval gate as rejected; production is untouched. */
export const rejectUpdate = defineUpdate<ApprovalDecision, [ApprovalRequest]>(MessageName.reject);

/**
 * During a rolling release's ramp, the release answers the watcher's control names: `pause` holds Baseten's
 * promotion at its next step (analysis goes on), `resume` lets it go on, `rollback` cancels it and reverts.
 * Each answers with the release's progress; refused unless the release is ramping.
 */
export const releasePauseUpdate = defineUpdate<ReleaseProgress, [PauseRequest]>(MessageName.pause);
export const releaseResumeUpdate = defineUpdate<ReleaseProgress, [ResumeRequest]>(MessageName.resume);
export const releaseRollbackUpdate = defineUpdate<ReleaseProgress, [RollbackRequest]>(MessageName.rollback);

/** Completes a rolling release's ramp at once (Baseten's force roll forward). Refused after a failed step unless forced. */
export const rollForwardUpdate = defineUpdate<ReleaseProgress, [RollForwardRequest]>(MessageName.rollForward);

/** A watcher's state: watched and fallback deployments, mode, last observations, incidents. */
export const stateQuery = defineQuery<WatchState>(MessageName.state);

/**
 * Reverts production to the previous deployment (or to `to`) now, and answers once the revert is done (or has
 * failed), with the watcher's state. Refused while a revert runs, or when there is nothing to roll back to.
 */
export const rollbackUpdate = defineUpdate<WatchState, [RollbackRequest]>(MessageName.rollback);

/**
 * The same rollback as a plain signal, for the Temporal UI's signal dialog and `temporal workflow signal`. Its body
 * is checked like the update's; a body that cannot be used is recorded in the state and ignored.
 */
export const rollbackSignal = defineSignal<[unknown]>(MessageName.rollback);

/** No automatic revert until resumed; observations go on and are reported. */
export const pauseUpdate = defineUpdate<WatchState, [PauseRequest]>(MessageName.pause);

/** Automatic reverts again; a bad run seen while paused is acted on at once. */
export const resumeUpdate = defineUpdate<WatchState, [ResumeRequest]>(MessageName.resume);

/** A newer release takes over production: the watcher ends as superseded (after a revert it has started). */
export const supersedeSignal = defineSignal<[{ by: string }]>(MessageName.supersede);
