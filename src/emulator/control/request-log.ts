/** One management API call, as tests and the demo count them (promotes, reverts, retries). */
export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  /** ISO 8601 time the call arrived. */
  time: string;
  durationMs: number;
}

export interface RequestLogFilter {
  method?: string;
  /** Substring of the path, e.g. `/promote`. */
  path?: string;
  /** Only calls at or after this ISO time. */
  since?: string;
}

const maxEntries = 10_000;

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > maxEntries) this.entries.splice(0, this.entries.length - maxEntries);
  }

  list(filter: RequestLogFilter = {}): RequestLogEntry[] {
    const since = filter.since ? Date.parse(filter.since) : undefined;
    return this.entries.filter(
      (e) =>
        (!filter.method || e.method === filter.method.toUpperCase()) &&
        (!filter.path || e.path.includes(filter.path)) &&
        (since === undefined || Date.parse(e.time) >= since),
    );
  }

  clear(): void {
    this.entries = [];
  }
}
