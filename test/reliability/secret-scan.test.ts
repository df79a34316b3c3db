import { defaultPayloadConverter } from '@temporalio/common';
import type { Worker } from '@temporalio/worker';
import { EncryptionCodec } from '../../src/temporal/encryption/codec';
import { createLeakyActivities } from '../fixtures/leaky-activities';
import type { LeakPlace, leakyWorkflow } from '../fixtures/leaky-workflows';
import { testKey, testKeyRingCodecs } from '../support/encryption';
import { expectNoSecretInHistory, scanHistory } from '../support/history-scan';
import { assertNoSecretIn, secretIn, secretMarker, testApiKey } from '../support/secrets';
import { connectTemporal, createTestWorker, uniqueId, type TemporalTestContext } from '../support/temporal';

// The scanner that guards every suite (the global teardown, the per-test checks) is itself tested here: a canary
// hidden in each place a secret could take in a history must be found. The canary is not the API key marker,
// so these histories do not fail the run's own scan.
const canary = 'CANARY-SEEN-BY-THE-SCAN';
const reversed = [...canary].reverse().join('');

describe('the secret scan', () => {
  let ctx: TemporalTestContext;
  let worker: Worker;
  let taskQueue: string;
  let running: Promise<void>;

  beforeAll(async () => {
    ctx = await connectTemporal();
    ({ worker, taskQueue } = await createTestWorker(ctx, {
      workflowsPath: require.resolve('../fixtures/leaky-workflows'),
      activities: createLeakyActivities(),
    }));
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await ctx?.close();
  });

  async function historyOf(place: LeakPlace) {
    const handle = await ctx.client.workflow.start<typeof leakyWorkflow>('leakyWorkflow', {
      args: [place, reversed],
      taskQueue,
      workflowId: uniqueId(`leak-${place}`),
    });
    await handle.result().catch(() => undefined);
    return handle;
  }

  it.each<LeakPlace>([
    'result',
    'base64-result',
    'failure-message',
    'failure-details',
    'memo',
    'search-attribute',
    'activity-failure',
  ])('finds a secret in a history: %s', async (place) => {
    const handle = await historyOf(place);
    const scan = await scanHistory(await handle.fetchHistory(), { needle: canary });
    expect(scan.found).toBeDefined();
    expect(scan.payloads).toBeGreaterThan(0);
    await expect(expectNoSecretInHistory(handle, { needle: canary })).rejects.toThrow(/contains the API key marker/);
  });

  it('passes a clean history, having read its payloads', async () => {
    const handle = await historyOf('nowhere');
    const scan = await expectNoSecretInHistory(handle, { needle: canary, mustSee: reversed });
    expect(scan.found).toBeUndefined();
    expect(scan.sawExpected).toBe(true);
  });

  it('opens sealed payloads with the test keys (as the teardown of the run does), and counts those it cannot open', async () => {
    const codec = new EncryptionCodec({
      keyId: 'test-key-2026-b',
      keys: new Map([['test-key-2026-b', testKey('test-key-2026-b')]]),
    });
    const sealed = await codec.encode([defaultPayloadConverter.toPayload({ leaked: canary })]);
    const history = { events: [{ workflowExecutionCompletedEventAttributes: { result: { payloads: sealed } } }] };
    const opened = await scanHistory(history, { needle: canary, codecs: testKeyRingCodecs() });
    expect(opened).toMatchObject({ payloads: 1, sealed: 1, unreadable: 0, found: canary });
    const blind = await scanHistory(history, { needle: canary });
    expect(blind).toMatchObject({ payloads: 1, sealed: 0, unreadable: 1 });
    expect(blind.found).toBeUndefined();
  });

  it('fails when it has nothing to scan', async () => {
    await expect(scanHistory({ events: [] })).rejects.toThrow(/nothing to scan/);
    expect(() => assertNoSecretIn('an empty output', '')).toThrow(/nothing to scan/);
  });

  it('knows every test key by its marker, in plain text and in base64', () => {
    const key = testApiKey('probe');
    expect(key.startsWith(secretMarker)).toBe(true);
    expect(secretIn(`Authorization: Api-Key ${key}`)).toBe(secretMarker);
    for (const prefix of ['', 'a', 'ab']) {
      const encoded = Buffer.from(`${prefix}${key}`).toString('base64');
      expect(secretIn(`{"token":"${encoded}"}`)).toBeDefined();
      expect(secretIn(Buffer.from(`${prefix}${key}`).toString('base64url'))).toBeDefined();
    }
    expect(secretIn('Api-Key [redacted]')).toBeUndefined();
    expect(() => assertNoSecretIn('a log line', `retrying with ${key}`)).toThrow(/a log line contains/);
  });
});
