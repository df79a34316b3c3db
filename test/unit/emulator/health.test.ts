import { HealthWindow } from '../../../src/emulator/lifecycle/health';

test('is healthy until enough requests are seen, unhealthy at half failures, and recovers as successes return', () => {
  const health = new HealthWindow(10, 4);
  for (let i = 0; i < 3; i++) health.record(true);
  expect(health.unhealthy).toBe(false);
  health.record(true);
  expect(health.unhealthy).toBe(true);
  for (let i = 0; i < 4; i++) health.record(false);
  expect(health.unhealthy).toBe(true); // 4 of 8 failed
  health.record(false);
  expect(health.unhealthy).toBe(false); // 4 of 9
});

test('only the last N requests count', () => {
  const health = new HealthWindow(4, 4);
  for (let i = 0; i < 4; i++) health.record(true);
  for (let i = 0; i < 3; i++) health.record(false);
  expect(health.unhealthy).toBe(false); // 1 of the last 4
});
