import { Faults } from '../../../src/emulator/control/faults';

test('an error rate fails exactly that share of predictions, deterministically', () => {
  const faults = new Faults();
  faults.setPredictionFault('d', { errorRate: 0.25 });
  const results = Array.from({ length: 8 }, () => faults.takePredictionError('d'));
  expect(results).toEqual([false, false, false, true, false, false, false, true]);
  expect(faults.takePredictionError('other')).toBe(false);
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

test('a fault from a traffic share hits only predictions through an environment at that share or more', () => {
  const faults = new Faults();
  faults.setPredictionFault('d', { errorRate: 1, latencyMs: 50, fromTrafficPercent: 40 });
  // Sent to the deployment itself (a validation), or at 20 % of the environment: spared.
  expect(faults.takePredictionError('d')).toBe(false);
  expect(faults.takePredictionError('d', 20)).toBe(false);
  expect(faults.latencyMs('d', 20)).toBe(0);
  expect(faults.takePredictionError('d', 40)).toBe(true);
  expect(faults.takePredictionError('d', 100)).toBe(true);
  expect(faults.latencyMs('d', 60)).toBe(50);
});
