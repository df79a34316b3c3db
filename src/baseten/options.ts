import type { Dispatcher } from 'undici';
import { readEnv } from '../config/env';
import { BasetenConfigError } from './errors';

/** Where retry notices go. Temporal's activity logger and `console` both fit. */
export interface BasetenLogger {
  warn(message: string, meta?: Record<string, unknown>): void;
}

/** Configuration of a `BasetenClient`. Each option: explicit value > environment variable > default. */
export interface BasetenClientOptions {
  /**
   * The Baseten API key, sent as `Authorization: Api-Key <key>`. Required. Never logged or put in an error.
   * @env BASETEN_API_KEY
   */
  apiKey?: string;
  /**
   * Base URL of the management API.
   * @env BASETEN_API_URL
   * @default https://api.baseten.co
   */
  managementUrl?: string;
  /**
   * Inference base URL template; `{model_id}` is replaced by the model id. The target prefix
   * (`/production`, `/deployment/{id}`, ...) and `/predict` or `/wake` are appended.
   * @env BASETEN_INFERENCE_URL
   * @default https://model-{model_id}.api.baseten.co
   */
  inferenceUrl?: string;
  /**
   * Timeout of one management or wake attempt, from sending the request to reading the whole response: the
   * longest any attempt waits (a call's own `timeoutMs` can only shorten it).
   * @default 60000
   * @unit milliseconds
   */
  timeoutMs?: number;
  /**
   * Default timeout of one predict call (a model's cold start or slow predict can take minutes).
   * @default 300000
   * @unit milliseconds
   */
  predictTimeoutMs?: number;
  /**
   * Retries of a failed management or wake call (connection errors, 408, 409, 429, 5xx); predict is never retried.
   * Inside Temporal activities pass 0, so that Temporal's retry policy alone owns retries.
   * @default 2
   * @unit retries
   */
  maxRetries?: number;
  /**
   * Client-side limit on management calls: at most this many a second to each endpoint (getEnvironment,
   * getDeploymentMetrics, ...), spaced evenly, so that many callers sharing the client stay under Baseten's
   * documented 100 requests/s per endpoint without a 429. A call waits for its slot within its own timeout.
   * Inference (predict, wake) is not limited.
   * @default undefined (no limit)
   * @unit requests per second per endpoint
   */
  rateLimitPerSecond?: number;
  /** The undici dispatcher (connection pool, proxy agent...). @default undici's global dispatcher */
  dispatcher?: Dispatcher;
  /** Receives one line per retry, with the attempt count. @default console */
  logger?: BasetenLogger;
  /** Waits between retries; injectable so that tests need not wait. @default a setTimeout-based sleep */
  sleep?: (ms: number) => Promise<void>;
}

/** Options after defaults and environment are applied, validated once. */
export interface ResolvedOptions {
  apiKey: string;
  managementUrl: string;
  inferenceUrl: string;
  timeoutMs: number;
  predictTimeoutMs: number;
  maxRetries: number;
  rateLimitPerSecond: number | undefined;
  dispatcher: Dispatcher | undefined;
  logger: BasetenLogger;
  sleep: (ms: number) => Promise<void>;
}

export const defaultManagementUrl = 'https://api.baseten.co';
export const defaultInferenceUrl = 'https://model-{model_id}.api.baseten.co';

export function resolveOptions(options: BasetenClientOptions): ResolvedOptions {
  const apiKey = options.apiKey?.trim() || readEnv('BASETEN_API_KEY');
  if (!apiKey) throw new BasetenConfigError('Baseten API key is missing: pass apiKey or set BASETEN_API_KEY');
  const managementUrl = checkUrl(
    options.managementUrl ?? readEnv('BASETEN_API_URL') ?? defaultManagementUrl,
    'managementUrl (BASETEN_API_URL)',
  );
  const inferenceUrl = options.inferenceUrl ?? readEnv('BASETEN_INFERENCE_URL') ?? defaultInferenceUrl;
  if (!inferenceUrl.includes('{model_id}'))
    throw new BasetenConfigError(
      `inferenceUrl (BASETEN_INFERENCE_URL) must contain {model_id}, e.g. ${defaultInferenceUrl}; got ${inferenceUrl}`,
    );
  checkUrl(inferenceUrl.replaceAll('{model_id}', 'm'), 'inferenceUrl (BASETEN_INFERENCE_URL)');
  return {
    apiKey,
    managementUrl,
    inferenceUrl: inferenceUrl.replace(/\/+$/, ''),
    timeoutMs: positive(options.timeoutMs ?? 60_000, 'timeoutMs'),
    predictTimeoutMs: positive(options.predictTimeoutMs ?? 300_000, 'predictTimeoutMs'),
    maxRetries: retries(options.maxRetries ?? 2),
    rateLimitPerSecond:
      options.rateLimitPerSecond === undefined
        ? undefined
        : positive(options.rateLimitPerSecond, 'rateLimitPerSecond', 'requests per second'),
    dispatcher: options.dispatcher,
    logger: options.logger ?? console,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}

function checkUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BasetenConfigError(`${what} is not a valid URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new BasetenConfigError(`${what} must be an http(s) URL: ${value}`);
  return value.replace(/\/+$/, '');
}

function positive(value: number, what: string, unit = 'ms'): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new BasetenConfigError(`${what} must be a positive number of ${unit}`);
  return value;
}

function retries(value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new BasetenConfigError(`maxRetries must be a whole number >= 0, got ${value}`);
  return value;
}
