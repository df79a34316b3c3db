import { request } from 'undici';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  basetenMessage,
  type ResponseHeaders,
} from './errors';
import type { ResolvedOptions } from './options';
import { parseBodyText } from './parse';
import { EndpointHoldOff } from './hold-off';
import { EndpointRateLimiter } from './rate-limit';
import { backoffMs, retryAfterOf, shouldRetry } from './retry';
import { version } from '../../package.json';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One HTTP call as the client describes it. */
export interface HttpCall {
  /** The client method making the call (`getDeployment`...), for messages. */
  call: string;
  method: HttpMethod;
  url: URL;
  /** Sent as JSON when defined. */
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The endpoint a client-side rate limit counts the call against (management calls); unset: not limited. */
  endpoint?: string;
}

/** A response whose body was read in full. */
export interface HttpResult {
  status: number;
  headers: ResponseHeaders;
  text: string;
  /** From sending the request to having read the whole body. */
  latencyMs: number;
}

const userAgent = `baseten-cd/${version}`;
const undiciTimeoutCodes = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** How an error message begins when Baseten answered 401: the key is wrong, revoked or missing. */
export const refusedKeyMessage = 'Baseten refused the API key';

/** `METHOD /path?query`: what error messages name (never headers, so never the API key). */
export function describeCall(call: Pick<HttpCall, 'method' | 'url'>): string {
  return `${call.method} ${call.url.pathname}${call.url.search}`;
}

/** Sends HTTP requests to Baseten: one attempt at a time, or with the client's retry budget. */
export class Transport {
  private readonly limiter: EndpointRateLimiter | undefined;
  private readonly holdOff = new EndpointHoldOff();

  constructor(private readonly options: ResolvedOptions) {
    this.limiter =
      options.rateLimitPerSecond === undefined ? undefined : new EndpointRateLimiter(options.rateLimitPerSecond);
  }

  /** Retries connection errors, 408, 409, 429 and 5xx within `maxRetries`; throws an `APIError` for any non-2xx. */
  async send(call: HttpCall): Promise<HttpResult> {
    const { maxRetries, logger, sleep } = this.options;
    for (let retries = 0; ; retries++) {
      try {
        // A retry has waited already (below); a first attempt waits for a 429 another caller got.
        if (retries === 0) await this.waitOutHoldOff(call);
        const result = await this.once(call);
        if (result.status >= 200 && result.status < 300) return result;
        throw this.apiError(call, result);
      } catch (err) {
        const retryAfterMs = retryAfterOf(err);
        const backoff = backoffMs(retries + 1, retryAfterMs);
        if (retryAfterMs !== undefined && call.endpoint !== undefined) this.holdOff.hold(call.endpoint, backoff);
        if (!shouldRetry(err, retries, maxRetries)) throw err;
        const delayMs = Math.max(backoff, this.heldMs(call));
        logger.warn(
          `Baseten ${call.call} failed (${(err as Error).message}); retry ${retries + 1} of ${maxRetries} in ${delayMs} ms`,
          { call: call.call, attempt: retries + 1, maxRetries, delayMs },
        );
        await sleep(delayMs);
      }
    }
  }

  /**
   * Waits while Baseten's last 429 for this endpoint asks us to (whoever in this process got it), before the
   * attempt's own timeout starts: a long `retry_after` is a wait, not a timed-out call.
   */
  private async waitOutHoldOff(call: HttpCall): Promise<void> {
    const left = this.heldMs(call);
    if (left === 0) return;
    if (call.signal?.aborted) throw new APIUserAbortError(`${describeCall(call)} was aborted before it started`);
    await this.options.sleep(left);
  }

  private heldMs(call: HttpCall): number {
    return call.endpoint === undefined ? 0 : Math.ceil(this.holdOff.remainingMs(call.endpoint));
  }

  /** One attempt with its own timeout, armed here and always cleared. Any HTTP status is returned, not thrown. */
  async once(call: HttpCall): Promise<HttpResult> {
    if (call.signal?.aborted) throw new APIUserAbortError(`${describeCall(call)} was aborted before it started`);
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, call.timeoutMs);
    const onUserAbort = (): void => controller.abort();
    call.signal?.addEventListener('abort', onUserAbort, { once: true });
    let started = performance.now();
    try {
      // The wait for a rate-limit slot counts against the attempt's timeout, like the answer does.
      if (this.limiter && call.endpoint !== undefined) {
        await this.limiter.acquire(call.endpoint, controller.signal);
        started = performance.now();
      }
      const response = await request(call.url, {
        method: call.method,
        headers: this.headers(call.body !== undefined),
        body: call.body === undefined ? undefined : JSON.stringify(call.body),
        signal: controller.signal,
        // Our per-attempt timer is the one deadline; undici's own defaults would race it.
        headersTimeout: 0,
        bodyTimeout: 0,
        ...(this.options.dispatcher ? { dispatcher: this.options.dispatcher } : {}),
      });
      const text = await response.body.text();
      return {
        status: response.statusCode,
        headers: flatten(response.headers),
        text,
        latencyMs: performance.now() - started,
      };
    } catch (err) {
      const where = `${call.method} ${call.url.origin}${call.url.pathname}`;
      if (call.signal?.aborted) throw new APIUserAbortError(`${where} was aborted by the caller`, { cause: err });
      if (timedOut || undiciTimeoutCodes.has(errorCode(err)))
        throw new APIConnectionTimeoutError(`${where} timed out after ${call.timeoutMs} ms`, { cause: err });
      throw new APIConnectionError(`Could not reach Baseten: ${where}: ${causeText(err)}`, { cause: err });
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onUserAbort);
    }
  }

  /**
   * The typed error for an HTTP error status, with Baseten's own message and the call that failed. A 401 says
   * first what it means, since every call fails the same way until the key is fixed.
   */
  apiError(call: HttpCall, result: HttpResult): APIError {
    const body = parseBodyText(result.text);
    const said = basetenMessage(body) ?? 'no error message in the response';
    const meaning = result.status === 401 ? `${refusedKeyMessage}: ` : '';
    const message = `${meaning}${result.status} ${this.redact(said)} (${describeCall(call)})`;
    return APIError.generate(result.status, body, message, result.headers);
  }

  private headers(hasBody: boolean): Record<string, string> {
    return {
      authorization: `Api-Key ${this.options.apiKey}`,
      'user-agent': userAgent,
      accept: 'application/json',
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
    };
  }

  /** A server might echo the Authorization header back; its value must still never reach a message. */
  private redact(text: string): string {
    return text.replaceAll(this.options.apiKey, '[redacted]');
  }
}

function flatten(headers: Record<string, string | string[] | undefined>): ResponseHeaders {
  const flat: ResponseHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function errorCode(err: unknown): string {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : '';
}

/** The innermost useful reason (undici wraps ECONNREFUSED and friends in a generic "fetch failed"-style error). */
function causeText(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e instanceof Error && parts.length < 3; e = e.cause) {
    const code = errorCode(e);
    parts.push(code && !e.message.includes(code) ? `${e.message} (${code})` : e.message);
  }
  return parts.length ? parts.join(': ') : String(err);
}
