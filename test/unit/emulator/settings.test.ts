import { applyAutoscalingPatch, applyPromotionPatch } from '../../../src/emulator/lifecycle/settings';
import { defaultAutoscaling, defaultPromotionSettings } from '../../../src/emulator/state/defaults';

test('an autoscaling patch changes only the fields it sends; null and equal values change nothing', () => {
  const base = defaultAutoscaling();
  expect(applyAutoscalingPatch(base, { max_replica: 3, min_replica: null })).toEqual({
    next: { ...base, max_replica: 3 },
    changed: true,
  });
  expect(applyAutoscalingPatch(base, { scale_down_delay: 900 }).changed).toBe(false);
});

test('a promotion patch merges the rolling deploy config over its defaults', () => {
  const { next, changed } = applyPromotionPatch(defaultPromotionSettings(), {
    promotion_cleanup_strategy: 'KEEP',
    rolling_deploy_config: { max_surge_percent: 50 },
  });
  expect(changed).toBe(true);
  expect(next.promotion_cleanup_strategy).toBe('KEEP');
  expect(next.rolling_deploy_config).toEqual({
    rolling_deploy_strategy: 'REPLICA',
    max_surge_percent: 50,
    max_unavailable_percent: 0,
    stabilization_time_seconds: 0,
    replica_overhead_percent: 0,
  });
});
