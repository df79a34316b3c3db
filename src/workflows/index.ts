// The worker's workflow bundle: every workflow type the fleet runs.
export { deployModel } from './deploy';
export { watchProduction } from './watch';
