/**
 * `patched()` ids. Each guards a change to the commands a workflow issues, so that runs started by an older
 * worker still replay (test/replay checks every recorded history). Once no such run can exist, the branch
 * becomes `deprecatePatch(id)` and later plain code.
 */
export const Patch = {
  /** Releases wake (or activate) their candidate right before promoting it. */
  wakeCandidate: 'wake-candidate-before-promote',
  /** Reverts cancel a promotion still in progress before promoting the previous deployment back. */
  cancelPromotion: 'cancel-promotion-before-revert',
  /** Releases stop the running production watcher before they promote, and start their own afterwards. */
  watcher: 'production-watcher',
  /** A rollback update naming a deployment (`to`) looks it up first, and is refused when the model has none such. */
  rollbackTarget: 'rollback-looks-up-target',
  /** Releases read how the environment promotes, and analyse each traffic step of a rolling promotion. */
  rollout: 'rolling-rollout',
  /** A rolling step is analysed several times over its window, and fails at the first analysis over its budgets. */
  stepFailsEarly: 'rolling-step-fails-early',
  /** Reverts cancel a promotion still in progress and wake the previous deployment at once, not one after the other. */
  revertPrepAtOnce: 'revert-cancel-and-wake-at-once',
} as const;
