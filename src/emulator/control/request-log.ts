import type { ManagementFaultKind } from './management-faults';

/**
 * How a call ended. `in-flight`: no answer yet (being applied, or a slow answer); `held`: applied, its answer
 * held back; `answered`; `dropped`: the connection was destroyed with no answer; `client-closed`: the client hung
 * up before the answer went out.
 */
export type RequestOutcome = 'in-flight' | 'held' | 'answered' | 'dropped' | 'client-closed';

/** One management API call, as tests and the demo count them (promotes, reverts, retries and their spacing). */
export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  /** ISO 8601 time the call arrived. */
  time: string;
  /**
   * The answer's HTTP status: sent, or held back; for a call dropped after it was applied, the status its answer
   * would have had. null while not known yet, and for a call dropped before it was applied.
   */
  status: number | null;
  outcome: RequestOutcome;
  /** The injected fault that took the call, if one did. */
  fault?: ManagementFaultKind;
  /** A 429's `retry_after` (injected, or the real rate limit): a client must not call again sooner. @unit s */
  retryAfterSeconds?: number;
  /** From arrival to the answer (or the drop); null until then. @unit ms */
  durationMs: number | null;
}

export interface RequestLogFilter {
  method?: string;
  /** Substring of the path, e.g. `/promote`. */
  path?: string;
  /** Only calls that arrived at or after this ISO time. */
  since?: string;
}

const maxEntries = 10_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a call as it arrives; `finish` (or changing the entry) says how it went. */
  begin(call: Pick<RequestLogEntry, 'method' | 'path' | 'query'>): RequestLogEntry {
    const entry: RequestLogEntry = {
      ...call,
      time: new Date(this.now()).toISOString(),
      status: null,
      outcome: 'in-flight',
      durationMs: null,
    };
    this.entries.push(entry);
    if (this.entries.length > maxEntries) this.entries.splice(0, this.entries.length - maxEntries);
    return entry;
  }

  /** The call is over: answered with `reply` (or dropped, or abandoned by its client). */
  finish(
    entry: RequestLogEntry,
    outcome: Exclude<RequestOutcome, 'in-flight' | 'held'>,
    reply?: { status: number; body?: unknown },
  ): void {
    entry.outcome = outcome;
    if (reply) {
      entry.status = reply.status;
      const retryAfter = reply.status === 429 ? retryAfterOf(reply.body) : undefined;
      if (retryAfter !== undefined) entry.retryAfterSeconds = retryAfter;
    }
    entry.durationMs = this.now() - Date.parse(entry.time);
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const since = filter.since ? Date.parse(filter.since) : undefined;
    return this.entries
      .filter(
        (e) =>
          (!filter.method || e.method === filter.method.toUpperCase()) &&
          (!filter.path || e.path.includes(filter.path)) &&
          (since === undefined || Date.parse(e.time) >= since),
      )
      .map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}

function retryAfterOf(body: unknown): number | undefined {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>).retry_after : undefined;
  return typeof value === 'number' ? value : undefined;
}
