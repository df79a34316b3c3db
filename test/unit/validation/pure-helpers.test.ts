import { durationLimitProblem, maxDurationMs, parseDuration } from '../../../src/validation/duration';
import { validationSpecSchema } from '../../../src/validation/schema';
import { lookupPath, parsePath } from '../../../src/validation/json-path';
import { latencyStats, percentile } from '../../../src/validation/percentiles';
import { checkValue } from '../../../src/validation/value-checks';

describe('durations', () => {
  it.each([
    ['300ms', 300],
    ['2s', 2_000],
    ['1.5s', 1_500],
    ['10m', 600_000],
    ['1h', 3_600_000],
    [250, 250],
    [12.6, 13],
  ])('reads %p as %p milliseconds', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['fast', '10', '5 days', '-2s', '0s', '', '1m30s'])('refuses %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('refuses zero, negative and non-finite numbers', () => {
    expect(parseDuration(0)).toBeUndefined();
    expect(parseDuration(-5)).toBeUndefined();
    expect(parseDuration(Number.POSITIVE_INFINITY)).toBeUndefined();
  });

  it("refuses what a Node timer cannot wait for (it would fire after 1 ms), and takes Node's limit itself", () => {
    expect(durationLimitProblem(maxDurationMs)).toBeUndefined();
    expect(durationLimitProblem(maxDurationMs + 1)).toMatch(/longer than 596h/);
    const spec = (timeout: string) => validationSpecSchema.safeParse({ cases: [{ name: 'a', input: {}, timeout }] });
    expect(spec('596h').success).toBe(true);
    expect(spec('597h').error?.issues[0]).toMatchObject({ path: ['cases', 0, 'timeout'] });
  });
});

describe('json paths', () => {
  const output = { label: 'positive', items: [{ score: 0.9 }, { score: 0.1 }], 'x.y': { z: 1 } };

  it.each([
    ['label', ['label'], 'positive'],
    ['items[0].score', ['items', 0, 'score'], 0.9],
    ['items[1]', ['items', 1], { score: 0.1 }],
    ['["x.y"].z', ['x.y', 'z'], 1],
    ['$.label', ['label'], 'positive'],
    ['$', [], output],
  ])('follows %p', (path, segments, value) => {
    expect(parsePath(path)).toEqual(segments);
    expect(lookupPath(output, parsePath(path))).toEqual({ found: true, value });
  });

  it('says where the output stops when something is missing', () => {
    expect(lookupPath(output, parsePath('items[5].score'))).toEqual({ found: false, at: '$.items[5]' });
    expect(lookupPath(output, parsePath('label.text'))).toEqual({ found: false, at: '$.label.text' });
  });

  it.each(['', 'items[x]', 'items[0', 'a..b', 'a]'])('refuses the malformed path %p', (path) => {
    expect(() => parsePath(path)).toThrow(/path/);
  });
});

describe('value checks', () => {
  const output = { label: 'positive', score: 0.83, tags: ['short', 'english'], meta: { lang: 'en', n: 2 } };

  it('equals compares deeply', () => {
    expect(checkValue(output, { path: 'meta', equals: { n: 2, lang: 'en' } })).toBeUndefined();
    expect(checkValue(output, { path: 'label', equals: 'negative' })).toBe(
      'label: expected "negative", got "positive"',
    );
  });

  it('contains finds substrings, array elements and object subsets', () => {
    expect(checkValue(output, { path: 'label', contains: 'posit' })).toBeUndefined();
    expect(checkValue(output, { path: 'tags', contains: 'english' })).toBeUndefined();
    expect(checkValue(output, { path: 'tags', contains: ['english', 'short'] })).toBeUndefined();
    expect(checkValue(output, { path: '$', contains: { meta: { lang: 'en' } } })).toBeUndefined();
    expect(checkValue(output, { path: 'tags', contains: 'french' })).toBe(
      'tags: expected to contain "french", got ["short","english"]',
    );
    expect(checkValue(output, { path: 'score', contains: 'x' })).toMatch(/^score: expected to contain/);
  });

  it('approx accepts a number within the tolerance, inclusive', () => {
    expect(checkValue(output, { path: 'score', approx: 0.8, tolerance: 0.05 })).toBeUndefined();
    expect(checkValue(output, { path: 'score', approx: 0.5, tolerance: 0.1 })).toBe(
      'score: expected 0.5 ± 0.1, got 0.83',
    );
    expect(checkValue(output, { path: 'label', approx: 1, tolerance: 1 })).toBe(
      'label: expected a number near 1, got "positive"',
    );
  });

  it('names a missing value instead of comparing it', () => {
    expect(checkValue(output, { path: 'confidence', equals: 1 })).toBe(
      'confidence: not found in the output (nothing at $.confidence)',
    );
  });
});

describe('percentiles', () => {
  it('uses the nearest rank, so every percentile is an observed latency', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 95)).toBe(7);
    expect(percentile([1, 2, 3], 50)).toBe(2);
  });

  it('measures successful samples and counts failures only in the error rate', () => {
    const stats = latencyStats([
      { ok: true, latencyMs: 30 },
      { ok: false },
      { ok: true, latencyMs: 10 },
      { ok: true, latencyMs: 20 },
    ]);
    expect(stats).toEqual({
      samples: 4,
      errors: 1,
      errorRate: 0.25,
      p50Ms: 20,
      p95Ms: 30,
      p99Ms: 30,
      maxMs: 30,
      meanMs: 20,
    });
  });

  it('has no percentiles when nothing succeeded', () => {
    expect(latencyStats([{ ok: false }, { ok: false }])).toEqual({ samples: 2, errors: 2, errorRate: 1 });
  });
});
