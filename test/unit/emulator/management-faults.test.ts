import { HeldResponses } from '../../../src/emulator/control/held-responses';
import { ManagementFaults, type ManagementFaultEffect } from '../../../src/emulator/control/management-faults';
import { compilePathPattern } from '../../../src/emulator/control/path-pattern';
import { RequestLog } from '../../../src/emulator/control/request-log';

const unavailable: ManagementFaultEffect = { kind: 'error', status: 503, retryAfterSeconds: 1 };
const promote = '/v1/models/m1/deployments/d1/promote';

describe('path patterns', () => {
  test('* stays within a segment, ** crosses segments, {name} is one segment as in the spec', () => {
    expect(compilePathPattern('/v1/models/*/deployments/*/promote').test(promote)).toBe(true);
    expect(compilePathPattern('/v1/models/*/promote').test(promote)).toBe(false);
    expect(compilePathPattern('**/promote').test(promote)).toBe(true);
    expect(compilePathPattern('**/promote').test('/v1/models/m1/environments/staging/promote')).toBe(true);
    expect(compilePathPattern('**/promote').test(`${promote}/extra`)).toBe(false);
    expect(compilePathPattern('/v1/models/{model_id}/deployments/{deployment_id}/promote').test(promote)).toBe(true);
    expect(compilePathPattern('/v1/models/{model_id}').test('/v1/models/')).toBe(false);
  });

  test('everything else is literal: dots, parentheses and plus signs match only themselves', () => {
    expect(compilePathPattern('/v1/a.b+(c)').test('/v1/a.b+(c)')).toBe(true);
    expect(compilePathPattern('/v1/a.b').test('/v1/axb')).toBe(false);
  });
});

describe('management fault rules', () => {
  test('a rule takes only calls with its method and path', () => {
    const faults = new ManagementFaults();
    faults.add(unavailable, { method: 'post', path: '**/promote' });
    expect(faults.take('GET', promote)).toBeUndefined();
    expect(faults.take('POST', '/v1/models/m1/deployments/d1/activate')).toBeUndefined();
    expect(faults.take('POST', promote)).toEqual({ ruleId: 'mf-1', effect: unavailable });
  });

  test('a rate of 0.1 faults exactly every tenth matching call, and 0.3 exactly 3 in 10', () => {
    const faults = new ManagementFaults();
    faults.add(unavailable, { rate: 0.1 });
    const picked = Array.from({ length: 30 }, (_, i) => (faults.take('GET', '/v1/models') ? i + 1 : 0)).filter(Boolean);
    expect(picked).toEqual([10, 20, 30]);

    const thirty = new ManagementFaults();
    thirty.add(unavailable, { rate: 0.3 });
    const hits = Array.from({ length: 100 }, () => thirty.take('GET', '/v1/models')).filter(Boolean);
    expect(hits).toHaveLength(30);
  });

  test('a burst faults each picked call and the ones right after it', () => {
    const faults = new ManagementFaults();
    faults.add(unavailable, { rate: 0.1, burst: 3 });
    const picked = Array.from({ length: 40 }, (_, i) => (faults.take('GET', '/v1/models') ? i + 1 : 0)).filter(Boolean);
    expect(picked).toEqual([10, 11, 12, 20, 21, 22, 30, 31, 32, 40]);
    expect(faults.list()).toEqual([expect.objectContaining({ burst: 3, matched: 40, faulted: 10 })]);
  });

  test('count limits the faulted calls (not the matching ones); the spent rule disappears', () => {
    const faults = new ManagementFaults();
    faults.add(unavailable, { rate: 0.5, count: 2 });
    const taken = Array.from({ length: 6 }, () => Boolean(faults.take('GET', '/v1/models')));
    expect(taken).toEqual([false, true, false, true, false, false]);
    expect(faults.list()).toEqual([]);
  });

  test('a rule for a duration expires; list reports what each armed rule has seen', () => {
    let now = 0;
    const faults = new ManagementFaults(() => now);
    const rule = faults.add(unavailable, { durationMs: 1000, rate: 0.5 });
    expect(rule).toMatchObject({ id: 'mf-1', rate: 0.5, remaining: null, until: new Date(1000).toISOString() });
    faults.take('GET', '/v1/models');
    faults.take('GET', '/v1/models');
    expect(faults.list()).toEqual([expect.objectContaining({ matched: 2, faulted: 1 })]);
    now = 1000;
    expect(faults.take('GET', '/v1/models')).toBeUndefined();
    expect(faults.list()).toEqual([]);
  });

  test('the first rule that takes a call decides it, and later rules never see that call', () => {
    const faults = new ManagementFaults();
    const hold: ManagementFaultEffect = { kind: 'hold', holdMs: null };
    faults.add(unavailable, { path: '**/promote', count: 1 });
    faults.add(hold, { path: '**/promote' });
    expect(faults.take('POST', promote)?.effect).toEqual(unavailable);
    expect(faults.take('POST', promote)?.effect).toEqual(hold);
    expect(faults.list()).toEqual([expect.objectContaining({ id: 'mf-2', matched: 1, faulted: 1 })]);
  });

  test('remove disarms one rule by id; clear disarms them all', () => {
    const faults = new ManagementFaults();
    const first = faults.add(unavailable);
    faults.add(unavailable, { method: 'GET' });
    expect(faults.remove(first.id)).toBe(true);
    expect(faults.remove(first.id)).toBe(false);
    expect(faults.list().map((r) => r.id)).toEqual(['mf-2']);
    faults.clear();
    expect(faults.take('GET', '/v1/models')).toBeUndefined();
  });
});

describe('held answers', () => {
  const call = {
    ruleId: 'mf-1',
    method: 'POST',
    path: promote,
    query: '',
    time: '2026-01-01T00:00:00.000Z',
    status: 200,
  };

  afterEach(() => jest.useRealTimers());

  test('a held answer is listed until released by id; releasing all lets every other one go', async () => {
    const held = new HeldResponses();
    const first = held.hold(call, null);
    const second = held.hold(call, null);
    expect(held.list().map((h) => h.id)).toEqual(['held-1', 'held-2']);
    expect(held.release('held-1')).toEqual([expect.objectContaining({ id: 'held-1', status: 200 })]);
    await first.released;
    expect(held.list().map((h) => h.id)).toEqual(['held-2']);
    second.markClientClosed();
    expect(held.list()).toEqual([expect.objectContaining({ id: 'held-2', clientClosed: true, releaseAt: null })]);
    expect(held.release()).toHaveLength(1);
    await second.released;
    expect(held.list()).toEqual([]);
  });

  test('an answer held for holdMs goes out on its own when the time is up', async () => {
    jest.useFakeTimers({ now: 0 });
    const held = new HeldResponses();
    const hold = held.hold(call, 500);
    expect(held.list()).toEqual([expect.objectContaining({ releaseAt: new Date(500).toISOString() })]);
    jest.advanceTimersByTime(499);
    expect(held.list()).toHaveLength(1);
    jest.advanceTimersByTime(1);
    await hold.released;
    expect(held.list()).toEqual([]);
  });
});

describe('request log', () => {
  test('a call is logged as it arrives and completed with its status, outcome and a 429 retry_after', () => {
    let now = Date.parse('2026-01-01T00:00:00.000Z');
    const log = new RequestLog(() => now);
    const entry = log.begin({ method: 'POST', path: promote, query: '' });
    expect(log.list()).toEqual([
      expect.objectContaining({
        time: '2026-01-01T00:00:00.000Z',
        status: null,
        outcome: 'in-flight',
        durationMs: null,
      }),
    ]);
    now += 40;
    log.finish(entry, 'answered', { status: 429, body: { error: 'Rate limit exceeded.', retry_after: 3 } });
    const dropped = log.begin({ method: 'POST', path: promote, query: '' });
    log.finish(dropped, 'dropped');
    expect(log.list()).toEqual([
      expect.objectContaining({ status: 429, outcome: 'answered', retryAfterSeconds: 3, durationMs: 40 }),
      expect.objectContaining({ status: null, outcome: 'dropped', time: '2026-01-01T00:00:00.040Z' }),
    ]);
  });
});
