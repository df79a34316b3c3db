import { Context, log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { request, type Dispatcher } from 'undici';
import { version } from '../../package.json';
import { workflowUiUrl } from '../temporal/ui-link';

/** What happened. Releases send the first three; a watcher (or a rollback) the last two. */
export type NotificationKind = 'promoted' | 'rejected' | 'failed' | 'reverted' | 'revert-failed';

/**
 * A notification as a workflow describes it: plain facts, never a secret (it is an activity input, so it is
 * in the workflow history). The activity adds the workflow id, its UI link and a Slack-compatible `text`.
 */
export interface NotificationEvent {
  kind: NotificationKind;
  /** Model name. */
  model: string;
  environment: string;
  modelId?: string;
  /** The deployment the event is about: a release's candidate, or the deployment a revert moved away from. */
  deploymentId?: string;
  /** What serves the environment after the event (for a rejection or a failed revert: what is believed to). */
  productionDeploymentId?: string;
  /** What served it before the event. */
  previousProductionDeploymentId?: string;
  /** Why, in one line (a rejection's or failure's reason, what triggered a revert). */
  reason?: string;
  /** For a failed release: whether production was put back to the previous deployment. */
  reverted?: boolean;
}

/** The JSON body POSTed to the webhook. */
export interface NotificationPayload extends NotificationEvent {
  /** One line for Slack (incoming webhooks show `text`) and for anything that only prints a message. */
  text: string;
  workflowId: string;
  runId: string;
  namespace: string;
  /** The workflow's page in the Temporal Web UI. */
  uiUrl?: string;
  /** baseten-cd's version, so receivers can tell payload shapes apart. */
  source: string;
}

export interface NotifyOutcome {
  delivered: boolean;
  /** Why not, when not delivered: never the webhook URL (it is a secret). */
  reason?: string;
}

export interface NotifyOptions {
  /** BASETEN_CD_WEBHOOK_URL. Unset: every notification is skipped with `delivered: false`. */
  webhookUrl?: string;
  /** The undici dispatcher (tests and proxies). @default undici's global dispatcher */
  dispatcher?: Dispatcher;
  /** One attempt's deadline, connect to last byte. @unit ms @default 5000 */
  timeoutMs?: number;
  /** The Temporal Web UI (TemporalSettings.uiUrl), for the link to the workflow. @default no link */
  uiBaseUrl?: string;
}

/** A delivery that may work on a later attempt (unreachable, timed out, 408/429/5xx): Temporal retries it. */
export const notificationRetryType = 'NotificationNotDeliveredError';

const notificationCounter = 'baseten_cd_notification_attempts';

/**
 * The notify activity: one POST per attempt. A retryable failure is thrown (the workflow's profile retries it
 * until its deadline); a refusal (another 4xx) and a missing webhook are answered with `delivered: false`.
 */
export function createNotifyActivities(options: NotifyOptions = {}) {
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    notify: async (event: NotificationEvent): Promise<NotifyOutcome> => {
      if (!options.webhookUrl) return { delivered: false, reason: 'no webhook configured (BASETEN_CD_WEBHOOK_URL)' };
      const { info, metricMeter } = Context.current();
      // Scheduled by a workflow, so these are set; the activity API types them as optional.
      const { workflowId, runId } = info.workflowExecution ?? { workflowId: info.activityId, runId: '' };
      const namespace = info.workflowNamespace ?? info.namespace;
      const uiUrl = options.uiBaseUrl ? workflowUiUrl(options.uiBaseUrl, namespace, workflowId, runId) : undefined;
      const payload: NotificationPayload = {
        ...event,
        text: notificationText(event, uiUrl),
        workflowId,
        runId,
        namespace,
        uiUrl,
        source: `baseten-cd/${version}`,
      };
      const count = (result: string) =>
        metricMeter
          .createCounter(notificationCounter, 'attempts', 'Webhook notification attempts by kind and result')
          .add(1, { kind: event.kind, result });
      try {
        const outcome = await post(options.webhookUrl, payload, timeoutMs, options.dispatcher);
        count(outcome.delivered ? 'delivered' : 'refused');
        if (!outcome.delivered) log.warn(`notification ${event.kind} not delivered: ${outcome.reason ?? ''}`);
        return outcome;
      } catch (err) {
        count('error');
        throw err;
      }
    },
  };
}

async function post(url: string, payload: NotificationPayload, timeoutMs: number, dispatcher?: Dispatcher) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let status: number;
  let retryAfter: string | string[] | undefined;
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': payload.source },
      body: JSON.stringify(payload),
      signal: controller.signal,
      dispatcher,
    });
    status = response.statusCode;
    retryAfter = response.headers['retry-after'];
    await response.body.dump();
  } catch (err) {
    throw ApplicationFailure.retryable(
      controller.signal.aborted
        ? `webhook did not answer within ${timeoutMs} ms`
        : `webhook unreachable: ${scrub(err, url)}`,
      notificationRetryType,
    );
  } finally {
    clearTimeout(timer);
  }
  if (status >= 200 && status < 300) return { delivered: true };
  if (status === 408 || status === 429 || status >= 500) {
    const seconds = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    throw ApplicationFailure.create({
      message: `webhook answered HTTP ${status}`,
      type: notificationRetryType,
      nextRetryDelay: Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined,
    });
  }
  return { delivered: false, reason: `webhook refused the notification: HTTP ${status}` };
}

/** An error's code or message with the webhook URL (and its secret path) taken out. */
function scrub(err: unknown, url: string): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const { pathname, search } = new URL(url);
  const text = typeof code === 'string' ? `${code} (${message})` : message;
  return text.split(url).join('<webhook>').split(`${pathname}${search}`).join('/…');
}

const headline: Record<NotificationKind, (e: NotificationEvent) => string> = {
  promoted: (e) =>
    `✅ ${e.model}: promoted deployment ${e.productionDeploymentId ?? e.deploymentId ?? '?'} to ${e.environment}` +
    (e.previousProductionDeploymentId ? ` (was ${e.previousProductionDeploymentId})` : ''),
  rejected: (e) =>
    `❌ ${e.model}: candidate ${e.deploymentId ?? '?'} rejected; ${e.environment} unchanged` +
    (e.previousProductionDeploymentId ? ` (${e.previousProductionDeploymentId})` : ''),
  failed: (e) =>
    `🔥 ${e.model}: release to ${e.environment} failed` +
    (e.reverted ? `; ${e.environment} reverted to ${e.productionDeploymentId ?? '?'}` : ''),
  reverted: (e) =>
    `↩️ ${e.model}: ${e.environment} reverted from ${e.deploymentId ?? '?'} to ${e.productionDeploymentId ?? '?'}`,
  'revert-failed': (e) =>
    `🚨 ${e.model}: reverting ${e.environment} from ${e.deploymentId ?? '?'} failed; it needs a human`,
};

/** The one-line `text`: what happened, why, and where to look. */
export function notificationText(event: NotificationEvent, uiUrl?: string): string {
  return [headline[event.kind](event), event.reason, uiUrl].filter(Boolean).join(' — ');
}
