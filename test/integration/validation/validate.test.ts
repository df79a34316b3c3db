import type { ServerResponse } from 'node:http';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createValidateActivities, type ValidateInput } from '../../../src/activities/validate';
import type { InferenceTarget } from '../../../src/baseten';
import type { ValidationReport } from '../../../src/validation/report';
import type { ValidationProgress } from '../../../src/validation/runner-deps';
import { runValidation } from '../../../src/validation/run';
import { validationSpecSchema } from '../../../src/validation/schema';
import { clientFor, deployment } from '../baseten/fixtures';
import { sendJson, startHttpTestServer, type HttpTestServer } from '../../support/http-test-server';
import { testLogger } from '../../support/test-logger';
import { waitFor } from '../../support/wait-for';

const modelId = 'abc1d2ef';
const candidate: InferenceTarget = { kind: 'deployment', deploymentId: 'cand1' };
const production: InferenceTarget = { kind: 'production' };
const candidatePath = `/model-${modelId}/deployment/cand1/predict`;
const productionPath = `/model-${modelId}/production/predict`;

const spec = validationSpecSchema.parse({
  warmup: { requests: 2, timeout: '30s' },
  cases: [
    {
      name: 'positive review',
      input: { text: 'I love this phone' },
      expect: {
        schema: { type: 'object', required: ['label', 'score'] },
        values: [{ path: 'label', equals: 'positive' }],
      },
    },
    {
      name: 'negative review',
      input: { text: 'I hate it' },
      expect: { values: [{ path: 'label', equals: 'negative' }] },
    },
  ],
  latency: { samples: 8, concurrency: 4, p95: '20s' },
  compareWithProduction: { maxLatencyRatio: 1.5 },
});

/** A loopback "Baseten": a scaled-to-zero candidate that answers slowly once woken, and a fast production. */
function scriptBaseten(
  server: HttpTestServer,
  options: { candidateDelayMs: number; hangSamplesAfter?: number; status?: string },
) {
  let status = options.status ?? 'SCALED_TO_ZERO';
  let coldStartAnswers = 2;
  let candidatePredicts = 0;
  const answer = (res: ServerResponse, text: string, delayMs: number): void => {
    const label = text.includes('love') ? 'positive' : 'negative';
    setTimeout(() => sendJson(res, 200, { label, score: 0.9 }), delayMs);
  };
  server.handle((req, res) => {
    if (req.method === 'GET' && req.path === `/v1/models/${modelId}/deployments/cand1`) {
      return sendJson(res, 200, { ...deployment, id: 'cand1', status });
    }
    if (req.path === `/model-${modelId}/deployment/cand1/wake`) {
      status = 'WAKING_UP';
      return sendJson(res, 202, {});
    }
    const text = (req.json() as { text: string }).text;
    // Production is sampled alongside the candidate's latency samples; in the cancellation test it hangs too.
    if (req.path === productionPath) return options.hangSamplesAfter === undefined ? answer(res, text, 10) : undefined;
    if (req.path !== candidatePath) return sendJson(res, 404, { error: `unexpected ${req.method} ${req.url}` });
    if (status !== 'ACTIVE' && coldStartAnswers > 0) {
      coldStartAnswers -= 1;
      if (coldStartAnswers === 0) status = 'ACTIVE';
      return sendJson(res, 503, { error: 'Model is waking up' });
    }
    candidatePredicts += 1;
    // Never answering leaves a request in flight, for the cancellation test.
    if (options.hangSamplesAfter !== undefined && candidatePredicts > options.hangSamplesAfter) return;
    answer(res, text, options.candidateDelayMs);
  });
}

let server: HttpTestServer;
beforeEach(async () => {
  server = await startHttpTestServer();
});
afterEach(() => server.close());

const fastBackoff = { now: Date.now, sleep: async () => undefined };

describe('validation against a real HTTP server through BasetenClient', () => {
  it('wakes the candidate, then measures latency from real requests and compares it with production', async () => {
    scriptBaseten(server, { candidateDelayMs: 150 });
    const client = clientFor(server);
    const report = await runValidation({ modelId, candidate, production, spec }, { inference: client, ...fastBackoff });

    expect(server.requests.map((r) => r.path).slice(0, 2)).toEqual([
      `/v1/models/${modelId}/deployments/cand1`,
      `/model-${modelId}/deployment/cand1/wake`,
    ]);
    // Two 503s during the cold start, then 2 warm-up answers, 2 cases and 8 samples.
    expect(server.requests.filter((r) => r.path === candidatePath)).toHaveLength(2 + 2 + 2 + 8);
    expect(server.requests.filter((r) => r.path === productionPath)).toHaveLength(8);
    expect(report.warmup).toMatchObject({ initialStatus: 'SCALED_TO_ZERO', woke: true, attempts: 4 });
    expect(report.cases.every((c) => c.passed && c.status === 200)).toBe(true);
    // The server held every candidate answer for 150 ms, so no real measurement can be below that.
    expect(report.latency).toMatchObject({ samples: 8, errors: 0, passed: true });
    expect(report.latency?.p50Ms).toBeGreaterThanOrEqual(150);
    expect(report.comparison?.production?.p50Ms).toBeGreaterThanOrEqual(10);
    expect(report.comparison?.ratio).toBeGreaterThan(1.5);
    expect(report.passed).toBe(false);
    expect(report.reasons).toEqual([
      expect.stringMatching(/^comparison: candidate p50 is [\d.]+× production .* over 1\.5×$/),
    ]);
  });

  it('runs as the validateCandidate activity, heartbeating its progress', async () => {
    scriptBaseten(server, { candidateDelayMs: 5 });
    const env = new MockActivityEnvironment(undefined, { logger: testLogger });
    const beats: ValidationProgress[] = [];
    env.on('heartbeat', (details: ValidationProgress) => beats.push(details));
    const { validateCandidate } = createValidateActivities({ inference: clientFor(server) });

    const report = await env.run<[ValidateInput], ValidationReport, typeof validateCandidate>(validateCandidate, {
      modelId,
      candidate,
      spec,
    });

    expect(report.passed).toBe(true);
    expect(report.comparison?.skipped).toBe('no production deployment to compare with');
    expect(beats.at(-1)).toEqual({ phase: 'latency', done: 8, total: 8 });
    expect(new Set(beats.map((b) => b.phase))).toEqual(new Set(['warmup', 'cases', 'latency']));
    expect(beats).toContainEqual({ phase: 'cases', done: 2, total: 2 });
  });

  it('keeps heartbeating while a cold start holds the first request', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    server.handle(async (req, res) => {
      if (req.method === 'GET') return sendJson(res, 200, { ...deployment, id: 'cand1', status: 'ACTIVE' });
      if (server.requests.length === 2) await held;
      sendJson(res, 200, { label: 'positive', score: 0.9 });
    });
    const env = new MockActivityEnvironment({ heartbeatTimeoutMs: 600 }, { logger: testLogger });
    const beats: ValidationProgress[] = [];
    env.on('heartbeat', (details: ValidationProgress) => beats.push(details));
    const { validateCandidate } = createValidateActivities({ inference: clientFor(server) });
    const oneCase = validationSpecSchema.parse({ warmup: { requests: 1 }, cases: [spec.cases[0]] });
    const running = env.run<[ValidateInput], ValidationReport, typeof validateCandidate>(validateCandidate, {
      modelId,
      candidate,
      spec: oneCase,
    });

    // With a 600 ms heartbeat timeout the activity beats every 200 ms, though no progress is made.
    await waitFor('three heartbeats during the held request', () => beats.length >= 3);
    expect(beats.slice(0, 3)).toEqual(Array(3).fill({ phase: 'warmup', done: 0, total: 1 }));
    release();
    expect((await running).passed).toBe(true);
  });

  it('stops when the activity is cancelled, aborting the requests in flight', async () => {
    // The warm-up and the cases are answered; the latency samples then hang forever, production's too.
    scriptBaseten(server, { candidateDelayMs: 5, hangSamplesAfter: 4 });
    const env = new MockActivityEnvironment(undefined, { logger: testLogger });
    const { validateCandidate } = createValidateActivities({ inference: clientFor(server) });
    const running = env.run(validateCandidate, { modelId, candidate, production, spec });
    const outcome = running.then(
      () => 'completed',
      (err: unknown) => err,
    );

    const count = (path: string) => server.requests.filter((r) => r.path === path).length;
    const hung = () => count(candidatePath) >= 2 + 4 + 4 && count(productionPath) >= 4;
    await waitFor("four latency samples in flight, and four of production's beside them", hung);
    env.cancel();

    // The samples in flight hang forever: ending at all proves they were aborted.
    expect(await outcome).toBeInstanceOf(CancelledFailure);
    const sent = server.requests.length;
    // Nothing more is sent after the cancellation, to the candidate or to production (sampled alongside).
    await new Promise((resolve) => setImmediate(resolve));
    expect(server.requests.length).toBe(sent);
  });

  it('fails for good, without a retry, when the candidate cannot serve at all', async () => {
    scriptBaseten(server, { candidateDelayMs: 5, status: 'DEPLOY_FAILED' });
    const env = new MockActivityEnvironment(undefined, { logger: testLogger });
    const { validateCandidate } = createValidateActivities({ inference: clientFor(server) });
    const err = await env.run(validateCandidate, { modelId, candidate, spec }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({
      type: 'CandidateUnavailableError',
      nonRetryable: true,
      message: 'deployment cand1 is DEPLOY_FAILED; it cannot serve requests',
    });
    expect(server.requests.some((r) => r.path === candidatePath)).toBe(false);
  });
});
