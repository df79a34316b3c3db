import { Faults } from '../../../src/emulator/control/faults';

test('an error rate fails exactly that share of predictions, deterministically', () => {
  const faults = new Faults();
  faults.setPredictionFault('d', { errorRate: 0.25 });
  const results = Array.from({ length: 8 }, () => faults.takePredictionError('d'));
  expect(results).toEqual([false, false, false, true, false, false, false, true]);
  expect(faults.takePredictionError('other')).toBe(false);
});

test('a management fault for N calls is used up, and one for a duration expires', () => {
  let now = 0;
  const faults = new Faults(() => now);
  faults.setManagementFault({ status: 503, count: 2 });
  expect([faults.takeManagementFault(), faults.takeManagementFault(), faults.takeManagementFault()]).toEqual([
    { status: 503, retryAfterSeconds: 1 },
    { status: 503, retryAfterSeconds: 1 },
    undefined,
  ]);
  faults.setManagementFault({ status: 429, durationMs: 1000, retryAfterSeconds: 5 });
  expect(faults.takeManagementFault()).toEqual({ status: 429, retryAfterSeconds: 5 });
  now = 1000;
  expect(faults.takeManagementFault()).toBeUndefined();
});

test('build failures are queued one per build, and clearAll removes every fault', () => {
  const faults = new Faults();
  faults.failNextBuild('one');
  faults.setPredictionFault('d', { latencyMs: 10 });
  expect(faults.takeBuildFailure()).toBe('one');
  expect(faults.takeBuildFailure()).toBeUndefined();
  faults.failNextBuild('two');
  faults.clearAll();
  expect(faults.takeBuildFailure()).toBeUndefined();
  expect(faults.latencyMs('d')).toBe(0);
});
