import { setHandler } from '@temporalio/workflow';
import { releasePauseUpdate, releaseResumeUpdate, releaseRollbackUpdate, rollForwardUpdate } from './messages';
import type { Release } from './release';
import { rollForwardRefusal } from './rollout-rules';
import type { RollForwardRequest } from './types';
import type { PauseRequest, RollbackRequest } from './watch-types';

/**
 * What operators ask of a rolling release while it ramps: `pause`, `resume`, `rollback` (the watcher's names, so
 * `baseten-cd pause|resume|rollback <model>` reach the release during its ramp) and `rollForward`. The handlers only
 * record the request; the ramp (rollout.ts) acts on it at its next decision. Refused unless the release is ramping.
 */
export class RolloutControls {
  ramping = false;
  failedSteps = 0;
  paused: PauseRequest | undefined;
  rollback: RollbackRequest | undefined;
  rollForward: RollForwardRequest | undefined;

  constructor(release: Release) {
    const whileRamping = (_request?: unknown): void => {
      if (!this.ramping) throw new Error(`the release is not rolling out (stage: ${release.stage})`);
      if (this.rollback) throw new Error('the ramp is already being rolled back');
    };
    setHandler(
      releasePauseUpdate,
      (request) => {
        this.paused = { reason: request?.reason ?? 'paused', ...(request?.by ? { by: request.by } : {}) };
        release.note({
          message: `pause requested${request?.by ? ` by ${request.by}` : ''}: the ramp holds at its next step`,
        });
        return Promise.resolve(release.progress());
      },
      { validator: whileRamping, description: 'Hold the rolling promotion at its next step: {"reason", "by"?}.' },
    );
    setHandler(
      releaseResumeUpdate,
      (request) => {
        this.paused = undefined;
        release.note({ message: `resumed${request?.by ? ` by ${request.by}` : ''}` });
        return Promise.resolve(release.progress());
      },
      { validator: whileRamping, description: 'Let a held rolling promotion go on: {"by"?}.' },
    );
    setHandler(
      releaseRollbackUpdate,
      (request) => {
        this.rollback = { reason: request?.reason ?? 'rolled back', ...(request?.by ? { by: request.by } : {}) };
        release.note({ message: `rollback requested${request?.by ? ` by ${request.by}` : ''}` });
        return Promise.resolve(release.progress());
      },
      {
        validator: (request: RollbackRequest) => {
          whileRamping();
          if (request?.to !== undefined)
            throw new Error('during a ramp, rollback goes to the previous deployment only');
        },
        description: 'Cancel the rolling promotion and revert to the previous deployment: {"reason", "by"?}.',
      },
    );
    setHandler(
      rollForwardUpdate,
      (request) => {
        this.rollForward = request ?? {};
        release.note({ message: `roll forward requested${request?.by ? ` by ${request.by}` : ''}` });
        return Promise.resolve(release.progress());
      },
      {
        validator: (request: RollForwardRequest) => {
          whileRamping();
          const refusal = rollForwardRefusal(this.ramping, this.failedSteps, request);
          if (refusal) throw new Error(refusal);
        },
        description: 'Complete the rolling promotion now (all traffic on the candidate): {"by"?, "force"?}.',
      },
    );
  }

  /** A request that ends the wait of a step: a rollback or a roll forward. */
  get interrupted(): boolean {
    return this.rollback !== undefined || this.rollForward !== undefined;
  }
}
