import { createAwaitDeploymentActivities } from './await-deployment';
import { createCancelPromotionActivities } from './cancel-promotion';
import { createDeactivateActivities } from './deactivate';
import type { ActivityDeps } from './deps';
import { createDescribeProductionActivities } from './describe-production';
import { createFindDeploymentActivities } from './find-deployment';
import { createNotifyActivities, type NotifyOptions } from './notify';
import { createPrepareForTrafficActivities } from './prepare-for-traffic';
import { createObserveActivities } from './observe';
import { createPromoteActivities } from './promote';
import { createRetireWatcherActivities } from './retire-watcher';
import { createRolloutActivities } from './rollout';
import { createSmokeActivities } from './smoke';
import { createValidateActivities } from './validate';
import { createVerifyProductionActivities } from './verify-production';

export type { ActivityDeps, BasetenApi } from './deps';

/**
 * Every activity the fleet worker hosts (the push activity is not one of them: it runs on the CI job's
 * own task queue, next to the Truss source).
 */
export function createActivities(deps: ActivityDeps, notify: NotifyOptions = {}) {
  return {
    ...createAwaitDeploymentActivities(deps),
    ...createDescribeProductionActivities(deps),
    ...createFindDeploymentActivities(deps),
    ...createPromoteActivities(deps),
    ...createCancelPromotionActivities(deps),
    ...createObserveActivities(deps),
    ...createRolloutActivities(deps),
    ...createRetireWatcherActivities(deps),
    ...createVerifyProductionActivities(deps),
    ...createSmokeActivities(deps),
    ...createPrepareForTrafficActivities(deps),
    ...createDeactivateActivities(deps),
    ...createValidateActivities({ inference: deps.baseten, now: deps.clock }),
    ...createNotifyActivities(notify),
  };
}
