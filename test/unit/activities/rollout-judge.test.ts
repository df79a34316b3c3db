import { judgeStep, type StepFacts } from '../../../src/activities/rollout-judge';
import type { StepBudgets } from '../../../src/activities/rollout-types';
import { rolloutSettings } from '../../../src/workflows/rollout-rules';
import { validationSpecSchema } from '../../../src/validation/schema';

const budgets: StepBudgets = {
  maxErrorRate: 0.05,
  hardErrorRate: 0.5,
  maxP95Ms: 500,
  maxLatencyRatio: 2,
  minRequests: 10,
};
const step = (facts: Partial<StepFacts>): StepFacts => ({
  percent: 40,
  windowStartMs: 0,
  windowEndMs: 30_000,
  candidateStatus: 'ACTIVE',
  ...facts,
});

describe('judging a traffic step', () => {
  it('passes a healthy step and records the candidate share of traffic', () => {
    const verdict = judgeStep(
      step({
        candidate: { requests: 40, errors5xx: 0, errorRate: 0, p95Ms: 100 },
        previous: { requests: 60, errors5xx: 0, errorRate: 0, p95Ms: 90 },
      }),
      budgets,
    );
    expect(verdict).toMatchObject({ verdict: 'passed', reasons: [], share: 0.4, overHardLimit: false });
  });

  it('fails a 5xx share over the budget that the previous deployment did not show, hard over the hard limit', () => {
    const previous = { requests: 60, errors5xx: 0, errorRate: 0 };
    const soft = judgeStep(step({ candidate: { requests: 40, errors5xx: 4, errorRate: 0.1 }, previous }), budgets);
    expect(soft).toMatchObject({ verdict: 'failed', overHardLimit: false });
    expect(soft.reasons).toEqual(['5xx share 10% of 40 requests at 40% traffic, over 5% (previous deployment: 0%)']);
    const hard = judgeStep(step({ candidate: { requests: 40, errors5xx: 30, errorRate: 0.75 }, previous }), budgets);
    expect(hard).toMatchObject({ verdict: 'failed', overHardLimit: true });
  });

  it('does not blame the candidate for errors the previous deployment had as much of over the same window', () => {
    const verdict = judgeStep(
      step({
        candidate: { requests: 40, errors5xx: 4, errorRate: 0.1 },
        previous: { requests: 60, errors5xx: 9, errorRate: 0.15 },
      }),
      budgets,
    );
    expect(verdict.verdict).toBe('passed');
  });

  it('fails a p95 over the budget or over the ratio to the previous deployment', () => {
    const slow = judgeStep(step({ candidate: { requests: 40, errors5xx: 0, errorRate: 0, p95Ms: 700 } }), budgets);
    expect(slow.reasons).toEqual(['p95 700 ms at 40% traffic, over 500 ms']);
    const ratio = judgeStep(
      step({
        candidate: { requests: 40, errors5xx: 0, errorRate: 0, p95Ms: 300 },
        previous: { requests: 60, errors5xx: 0, errorRate: 0, p95Ms: 100 },
      }),
      budgets,
    );
    expect(ratio.reasons).toEqual(["p95 300 ms is 3.00 × the previous deployment's 100 ms, over 2 ×"]);
  });

  it('leaves thin traffic to the probe, and fails an UNHEALTHY candidate whatever its traffic', () => {
    const thin = step({ candidate: { requests: 3, errors5xx: 3, errorRate: 1 } });
    expect(judgeStep(thin, budgets).verdict).toBe('passed');
    const probed = judgeStep({ ...thin, probe: { ok: false, reason: 'answered 500' } }, budgets);
    expect(probed.reasons).toEqual(['probe failed: answered 500']);
    expect(judgeStep(step({ candidateStatus: 'UNHEALTHY' }), budgets).reasons).toEqual(['candidate UNHEALTHY']);
  });
});

describe('the rollout section of a validation file', () => {
  const cases = [
    { name: 'a', input: { text: 'a' } },
    { name: 'b', input: { text: 'b' } },
  ];

  it('takes its defaults from the latency budget, the comparison and the first case', () => {
    const spec = validationSpecSchema.parse({
      cases,
      latency: { p95: '800ms' },
      compareWithProduction: { maxLatencyRatio: 1.5 },
    });
    expect(rolloutSettings(spec)).toMatchObject({
      windowMs: 30_000,
      budgets: { maxErrorRate: 0.05, hardErrorRate: 0.5, minRequests: 10, maxP95Ms: 800, maxLatencyRatio: 1.5 },
      probe: { caseName: 'a' },
    });
  });

  it('is checked at the edge: durations parsed, an unknown probe case and a hard limit under the budget refused', () => {
    const spec = validationSpecSchema.parse({ cases, rollout: { window: '10s', probe: 'b', maxP95: '1s' } });
    expect(rolloutSettings(spec)).toMatchObject({
      windowMs: 10_000,
      budgets: { maxP95Ms: 1_000 },
      probe: { caseName: 'b' },
    });
    expect(() => validationSpecSchema.parse({ cases, rollout: { probe: 'c' } })).toThrow(/no case named/);
    expect(() => validationSpecSchema.parse({ cases, rollout: { maxErrorRate: 0.2, hardErrorRate: 0.1 } })).toThrow(
      /must be at least maxErrorRate/,
    );
    expect(() => validationSpecSchema.parse({ cases, rollout: { windw: '10s' } })).toThrow();
  });
});
