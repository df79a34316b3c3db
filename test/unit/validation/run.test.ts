import type { InferenceTarget } from '../../../src/baseten/inference-target';
import { CandidateUnavailableError, WarmupTimeoutError } from '../../../src/validation/errors';
import type { ValidationProgress } from '../../../src/validation/runner-deps';
import { runValidation } from '../../../src/validation/run';
import { validationSpecSchema, type ValidationSpec } from '../../../src/validation/schema';
import { FakeInference, type Responder } from './fake-inference';

const candidate: InferenceTarget = { kind: 'deployment', deploymentId: 'cand1' };
const production: InferenceTarget = { kind: 'production' };

function spec(extra: Record<string, unknown> = {}): ValidationSpec {
  return validationSpecSchema.parse({
    warmup: { requests: 2, timeout: '1m' },
    cases: [
      {
        name: 'positive review',
        input: { text: 'I love it' },
        expect: {
          schema: {
            type: 'object',
            required: ['label', 'score'],
            properties: { label: { enum: ['positive', 'negative'] } },
          },
          values: [
            { path: 'label', equals: 'positive' },
            { path: 'score', approx: 0.9, tolerance: 0.1 },
          ],
        },
      },
      {
        name: 'negative review',
        input: { text: 'I hate it' },
        expect: { values: [{ path: 'label', equals: 'negative' }] },
      },
    ],
    ...extra,
  });
}

/** A sentiment model that answers correctly in `latencyMs`. */
function sentiment(latencyMs = 20): Responder {
  return ({ body }) => {
    const text = (body as { text: string }).text;
    const positive = text.includes('love');
    return {
      status: 200,
      latencyMs,
      body: { label: positive ? 'positive' : 'negative', score: positive ? 0.95 : 0.9 },
    };
  };
}

const run = (fake: FakeInference, s: ValidationSpec, extra: Parameters<FakeInference['deps']>[0] = {}) =>
  runValidation({ modelId: 'm1', candidate, production, spec: s }, fake.deps(extra));

describe('validation runner', () => {
  it('passes a model that answers every case correctly within budget', async () => {
    const fake = new FakeInference(sentiment());
    const report = await run(fake, spec({ latency: { samples: 10, p50: '50ms', p95: '100ms' } }));
    expect(report.reasons).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.cases.map((c) => [c.name, c.passed, c.status])).toEqual([
      ['positive review', true, 200],
      ['negative review', true, 200],
    ]);
    expect(report.cases[0]?.outputExcerpt).toBeUndefined();
    expect(report.latency).toMatchObject({ samples: 10, errors: 0, p50Ms: 20, p95Ms: 20, passed: true });
    // 2 warm-up + 2 cases + 10 samples, all to the candidate.
    expect(fake.requests).toHaveLength(14);
    expect(fake.requests.every((r) => r.target === candidate)).toBe(true);
  });

  it('rejects a wrong status with the case named, and keeps an excerpt of the output', async () => {
    const fake = new FakeInference((req) =>
      req.call >= 2 && (req.body as { text: string }).text.includes('hate')
        ? { status: 500, latencyMs: 5, body: { error: 'boom' } }
        : sentiment()(req),
    );
    const report = await run(fake, spec());
    expect(report.passed).toBe(false);
    expect(report.reasons).toEqual(['case "negative review": status 500, expected 200']);
    expect(report.cases[1]).toMatchObject({ passed: false, status: 500, outputExcerpt: '{"error":"boom"}' });
  });

  it('rejects an output that does not match the JSON Schema', async () => {
    const fake = new FakeInference(() => ({ status: 200, latencyMs: 5, body: { label: 'great', score: 0.9 } }));
    const report = await run(fake, spec());
    expect(report.reasons).toContain(
      'case "positive review": output does not match the schema: /label must be equal to one of the allowed values',
    );
  });

  it('rejects a wrong value and a value out of tolerance, one reason each', async () => {
    const fake = new FakeInference(() => ({ status: 200, latencyMs: 5, body: { label: 'negative', score: 0.4 } }));
    const report = await run(fake, spec());
    expect(report.reasons).toEqual([
      'case "positive review": label: expected "positive", got "negative"',
      'case "positive review": score: expected 0.9 ± 0.1, got 0.4',
    ]);
    expect(report.cases[1]?.passed).toBe(true);
  });

  it('rejects an error rate over budget, counting non-2xx answers and missing answers', async () => {
    const fake = new FakeInference((req) => {
      if (req.call >= 4 && req.call % 4 === 0) throw new Error('connection reset');
      if (req.call >= 4 && req.call % 4 === 1) return { status: 503, latencyMs: 1, body: 'busy' };
      return sentiment()(req);
    });
    const report = await run(fake, spec({ latency: { samples: 20, maxErrorRate: 0.1 } }));
    expect(report.latency).toMatchObject({ samples: 20, errors: 10, errorRate: 0.5, passed: false });
    expect(report.reasons).toEqual(['latency: error rate 50% over budget 10% (10 of 20 samples failed)']);
  });

  it('rejects a p95 over budget while p50 is within it', async () => {
    // Every tenth request is slow: p50 stays fast, p95 does not.
    const fake = new FakeInference((req) => sentiment(req.call % 10 === 9 ? 900 : 40)(req));
    const report = await run(fake, spec({ latency: { samples: 40, concurrency: 4, p50: '100ms', p95: '500ms' } }));
    expect(report.latency).toMatchObject({ p50Ms: 40, p95Ms: 900, maxMs: 900, passed: false });
    expect(report.reasons).toEqual(['latency: p95 900ms over budget 500ms']);
  });

  it('spreads samples over the configured number of concurrent workers, cycling through the inputs', async () => {
    const fake = new FakeInference(sentiment());
    await run(fake, spec({ warmup: { requests: 0 }, latency: { samples: 12, concurrency: 3 } }));
    expect(fake.maxInFlight).toBe(3);
    const sampled = fake.requests.slice(2).map((r) => (r.body as { text: string }).text);
    expect(sampled.filter((t) => t.includes('love'))).toHaveLength(6);
    expect(sampled.filter((t) => t.includes('hate'))).toHaveLength(6);
  });

  describe('comparison with production', () => {
    const slowCandidate: Responder = (req) => sentiment(req.target === production ? 50 : 120)(req);

    it('rejects a candidate slower than production by more than the ratio', async () => {
      const fake = new FakeInference(slowCandidate);
      const report = await run(
        fake,
        spec({ latency: { samples: 8 }, compareWithProduction: { maxLatencyRatio: 1.5 } }),
      );
      expect(report.comparison).toMatchObject({ percentile: 'p50', ratio: 2.4, passed: false });
      expect(report.comparison?.production).toMatchObject({ samples: 8, p50Ms: 50 });
      expect(report.reasons).toEqual(['comparison: candidate p50 is 2.4× production (120ms vs 50ms), over 1.5×']);
      expect(fake.requests.filter((r) => r.target === production)).toHaveLength(8);
    });

    it('passes within the ratio, comparing p95 when asked', async () => {
      const fake = new FakeInference(slowCandidate);
      const report = await run(
        fake,
        spec({ latency: { samples: 8 }, compareWithProduction: { maxLatencyRatio: 3, percentile: 'p95' } }),
      );
      expect(report.comparison).toMatchObject({ percentile: 'p95', ratio: 2.4, passed: true });
      expect(report.passed).toBe(true);
    });

    it('samples production in the same window as the candidate, so a change in load is not read as a ratio', async () => {
      // Both answer alike: slowly while the machine is busy (the first 8 samples), then quickly. Sampled one window
      // after the other, the candidate would read 6× slower than production.
      const fake = new FakeInference((req) => sentiment(req.call < 12 ? 120 : 20)(req));
      const report = await run(
        fake,
        spec({ latency: { samples: 8, concurrency: 2 }, compareWithProduction: { maxLatencyRatio: 1.5 } }),
      );
      expect(report.comparison).toMatchObject({ passed: true, ratio: 1 });
      const sampled = fake.requests.slice(4).map((r) => (r.target === production ? 'P' : 'C'));
      expect(sampled.join('')).toMatch(/^(CCPP)+$/);
    });

    it('is skipped, not failed, when there is no production deployment yet', async () => {
      const fake = new FakeInference(slowCandidate);
      const s = spec({ latency: { samples: 4 }, compareWithProduction: { maxLatencyRatio: 1.5 } });
      const report = await runValidation({ modelId: 'm1', candidate, spec: s }, fake.deps());
      expect(report.comparison).toMatchObject({ passed: true, skipped: 'no production deployment to compare with' });
      expect(report.passed).toBe(true);
    });

    /** Compared with the production environment, as a release does, while the candidate serves `fake.environment`. */
    const compareAtProductionEnvironment = (fake: FakeInference) =>
      runValidation(
        {
          modelId: 'm1',
          candidate,
          production: { kind: 'environment', name: 'production' },
          spec: spec({ latency: { samples: 8 }, compareWithProduction: { maxLatencyRatio: 1.5 } }),
        },
        fake.deps(),
      );

    it('is skipped when the candidate already serves production (a first deployment), sampling nothing twice', async () => {
      // The candidate answers slowly at first and quickly later: compared with itself it would fail the ratio.
      const fake = new FakeInference((req) => sentiment(req.call < 12 ? 120 : 20)(req));
      fake.environment = 'production';
      const report = await compareAtProductionEnvironment(fake);
      expect(report.comparison?.passed).toBe(true);
      expect(report.comparison?.skipped).toMatch(/already serves production/);
      expect(report.comparison?.production).toBeUndefined();
      expect(fake.requests.filter((r) => r.target.kind === 'environment')).toHaveLength(0);
      expect(report.passed).toBe(true);
    });

    it('still compares when the candidate serves another environment', async () => {
      const fake = new FakeInference((req) => sentiment(req.target.kind === 'environment' ? 50 : 120)(req));
      fake.environment = 'staging';
      const report = await compareAtProductionEnvironment(fake);
      expect(report.comparison).toMatchObject({ passed: false, ratio: 2.4 });
    });
  });

  describe('warm-up', () => {
    it('wakes a scaled-to-zero candidate first, then retries until it answers', async () => {
      const fake = new FakeInference((req) => {
        // Cold start: the gateway answers 503 until the third attempt.
        if (req.call < 2) return { status: 503, latencyMs: 1, body: 'waking up' };
        return sentiment()(req);
      });
      fake.status = 'SCALED_TO_ZERO';
      const progress: ValidationProgress[] = [];
      const report = await run(fake, spec(), { progress: (p) => progress.push(p) });
      expect(fake.events.slice(0, 3)).toEqual(['getDeployment', 'wake', 'predict']);
      expect(report.warmup).toMatchObject({ initialStatus: 'SCALED_TO_ZERO', woke: true, attempts: 4 });
      expect(report.warmup.firstAnswerMs).toBeGreaterThanOrEqual(3_000); // back-off of 1s then 2s
      expect(report.passed).toBe(true);
      expect(progress.filter((p) => p.phase === 'warmup').at(-1)).toEqual({ phase: 'warmup', done: 2, total: 2 });
    });

    it('does not wake an active candidate', async () => {
      const fake = new FakeInference(sentiment());
      const report = await run(fake, spec());
      expect(fake.events).not.toContain('wake');
      expect(report.warmup).toMatchObject({ initialStatus: 'ACTIVE', woke: false, attempts: 2 });
    });

    it('gives up with WarmupTimeoutError when the candidate never answers within the timeout', async () => {
      const fake = new FakeInference(() => {
        throw new Error('connect ECONNREFUSED');
      });
      const err = await run(fake, spec({ warmup: { requests: 3, timeout: '1m' } })).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WarmupTimeoutError);
      expect((err as Error).message).toMatch(
        /^candidate did not answer within 60000ms of warm-up \(\d+ attempts; last: no answer \(connect ECONNREFUSED\)\)$/,
      );
      // Back-off 1, 2, 4, 8, 10, 10... seconds: about ten attempts in a minute, and it stops at the deadline.
      expect(fake.requests.length).toBeGreaterThanOrEqual(8);
      expect(fake.requests.length).toBeLessThanOrEqual(12);
      expect(fake.clockMs).toBe(60_000);
    });

    it('counts a model error as an answer: the cases judge it, warm-up does not wait for it', async () => {
      const fake = new FakeInference(() => ({ status: 500, latencyMs: 3, body: { error: 'bad model' } }));
      const report = await run(fake, spec());
      expect(report.warmup.attempts).toBe(2);
      expect(report.passed).toBe(false);
      expect(report.reasons).toContain('case "positive review": status 500, expected 200');
    });

    it('refuses a candidate that cannot serve at all, without sending a request', async () => {
      const fake = new FakeInference(sentiment());
      fake.status = 'DEPLOY_FAILED';
      await expect(run(fake, spec())).rejects.toThrow(CandidateUnavailableError);
      await expect(run(fake, spec())).rejects.toThrow('deployment cand1 is DEPLOY_FAILED; it cannot serve requests');
      expect(fake.requests).toHaveLength(0);
    });
  });

  it('stops sampling when cancelled and rethrows the cancellation', async () => {
    const controller = new AbortController();
    const fake = new FakeInference((req) => {
      if (req.call === 10) controller.abort(new Error('cancelled by test'));
      return sentiment()(req);
    });
    const s = spec({ latency: { samples: 1_000, concurrency: 2 } });
    await expect(run(fake, s, { signal: controller.signal })).rejects.toThrow('cancelled by test');
    expect(fake.requests.length).toBeLessThan(15);
  });
});
