import { describeProgress, formatElapsed, ProgressPrinter } from '../../../src/cli/deploy/progress-format';
import type { ValidationReport } from '../../../src/validation/report';

const report: ValidationReport = {
  passed: false,
  reasons: ['case "positive": label: expected "positive", got "negative"'],
  warmup: { woke: false, attempts: 1, durationMs: 10 },
  cases: [
    { name: 'positive', passed: false, failures: ['label'] },
    { name: 'negative', passed: true, failures: [] },
  ],
  latency: {
    samples: 20,
    errors: 1,
    errorRate: 0.05,
    p50Ms: 41.2,
    p95Ms: 88,
    concurrency: 2,
    budget: { maxErrorRate: 0 },
    passed: false,
  },
  durationMs: 1000,
};

describe('progress lines', () => {
  it('formats elapsed time compactly', () => {
    expect(formatElapsed(999)).toBe('0s');
    expect(formatElapsed(75_000)).toBe('1m15s');
    expect(formatElapsed(3_660_000)).toBe('1h01m');
  });

  it('shows stage, candidate status and the validation numbers', () => {
    const line = describeProgress({
      stage: 'validating',
      stageStartedAt: 0,
      candidateDeploymentId: 'dep-2',
      candidateStatus: 'ACTIVE',
      validation: report,
    });
    expect(line).toBe(
      'validating | candidate dep-2 ACTIVE | cases 1/2 passed, p50 41ms, p95 88ms, error rate 5%, first failure: case "positive": label: expected "positive", got "negative"',
    );
  });

  it('prints on every change, and otherwise only every heartbeat', () => {
    const lines: string[] = [];
    const printer = new ProgressPrinter((line) => lines.push(line), 0, 15_000);
    printer.update({ stage: 'pushing', stageStartedAt: 0 }, 1_000);
    printer.update({ stage: 'pushing', stageStartedAt: 0 }, 2_000);
    printer.update({ stage: 'building', stageStartedAt: 0 }, 3_000);
    printer.update({ stage: 'building', stageStartedAt: 0 }, 18_000);
    printer.update({ stage: 'building', stageStartedAt: 0 }, 19_000);
    expect(lines).toEqual(['[    1s] pushing', '[    3s] building', '[   18s] building']);
  });
});
