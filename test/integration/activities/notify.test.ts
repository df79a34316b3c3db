import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createNotifyActivities, notificationRetryType, type NotificationEvent } from '../../../src/activities/notify';
import { freePort } from '../../../src/temporal/dev-server';
import { sendJson, startHttpTestServer, type HttpTestServer } from '../../support/http-test-server';
import { testLogger } from '../../support/test-logger';

const event: NotificationEvent = {
  kind: 'reverted',
  model: 'sentiment',
  environment: 'production',
  deploymentId: 'bad1',
  productionDeploymentId: 'good2',
  previousProductionDeploymentId: 'bad1',
  reason: 'production UNHEALTHY for 2 checks',
};

const env = () =>
  new MockActivityEnvironment(
    { workflowExecution: { workflowId: 'watch-sentiment-production', runId: 'run-1' }, workflowNamespace: 'default' },
    { logger: testLogger },
  );

/** The notify activity against a real HTTP receiver: what is delivered, refused, and retried. */
describe('the notify activity', () => {
  let receiver: HttpTestServer;
  beforeAll(async () => {
    receiver = await startHttpTestServer();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('skips without a webhook', async () => {
    const { notify } = createNotifyActivities({});
    expect(await env().run(notify, event)).toEqual({
      delivered: false,
      reason: 'no webhook configured (BASETEN_CD_WEBHOOK_URL)',
    });
  });

  it('posts the event with its text, the workflow and its UI link', async () => {
    receiver.handle((_req, res) => sendJson(res, 200, {}));
    const { notify } = createNotifyActivities({ webhookUrl: `${receiver.url}/hook`, uiBaseUrl: 'http://ui:8080' });
    expect(await env().run(notify, event)).toEqual({ delivered: true });
    expect(receiver.requests.at(-1)?.json()).toMatchObject({
      ...event,
      workflowId: 'watch-sentiment-production',
      runId: 'run-1',
      uiUrl: 'http://ui:8080/namespaces/default/workflows/watch-sentiment-production/run-1/history',
      text: '↩️ sentiment: production reverted from bad1 to good2 — production UNHEALTHY for 2 checks — http://ui:8080/namespaces/default/workflows/watch-sentiment-production/run-1/history',
    });
  });

  it('answers a refusal (4xx) without retrying', async () => {
    receiver.handle((_req, res) => sendJson(res, 404, { error: 'no such hook' }));
    const { notify } = createNotifyActivities({ webhookUrl: `${receiver.url}/hook` });
    expect(await env().run(notify, event)).toEqual({
      delivered: false,
      reason: 'webhook refused the notification: HTTP 404',
    });
  });

  it('throws a retryable failure on 5xx, and on 429 waits as long as Retry-After says', async () => {
    const { notify } = createNotifyActivities({ webhookUrl: `${receiver.url}/hook` });
    receiver.handle((_req, res) => sendJson(res, 503, {}));
    await expect(env().run(notify, event)).rejects.toMatchObject({
      type: notificationRetryType,
      nonRetryable: false,
      message: 'webhook answered HTTP 503',
    });
    receiver.handle((_req, res) => sendJson(res, 429, {}, { 'retry-after': '7' }));
    const limited = await env()
      .run(notify, event)
      .catch((err: unknown) => err);
    expect(limited).toBeInstanceOf(ApplicationFailure);
    expect((limited as ApplicationFailure).nextRetryDelay).toBe(7000);
  });

  it('throws a retryable failure when the receiver is unreachable or silent, never naming the secret URL', async () => {
    const down = `http://127.0.0.1:${await freePort()}/services/T0/B0/secret-token`;
    const unreachable = await env()
      .run(createNotifyActivities({ webhookUrl: down }).notify, event)
      .catch((err: unknown) => err as ApplicationFailure);
    expect(unreachable).toMatchObject({ type: notificationRetryType, nonRetryable: false });
    expect((unreachable as Error).message).toMatch(/^webhook unreachable: ECONNREFUSED/);
    expect((unreachable as Error).message).not.toContain('secret-token');

    receiver.handle(() => undefined); // never answers
    const silent = createNotifyActivities({ webhookUrl: `${receiver.url}/secret-token`, timeoutMs: 200 }).notify;
    await expect(env().run(silent, event)).rejects.toMatchObject({
      type: notificationRetryType,
      message: 'webhook did not answer within 200 ms',
    });
  });
});
