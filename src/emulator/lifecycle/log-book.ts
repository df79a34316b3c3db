export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';

/** A log line in the spec's LogV1 shape. */
export interface LogLine {
  /** Epoch nanoseconds, as a string (LogV1). */
  timestamp: string;
  message: string;
  replica: string | null;
  request_id: string | null;
  level: LogLevel | null;
}

export interface LogQuery {
  startEpochMillis?: number | null;
  endEpochMillis?: number | null;
  direction?: 'asc' | 'desc' | null;
  limit?: number | null;
  minLevel?: LogLevel | null;
  searchPattern?: string | null;
  includes?: string[];
  excludes?: string[];
}

const levelRank: Record<LogLevel, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };
const maxLinesPerDeployment = 5000;
const defaultWindowMs = 30 * 60_000;

/** Lifecycle lines and model process output per deployment, kept in memory (lost on restart). */
export class LogBook {
  private readonly lines = new Map<string, LogLine[]>();
  private lastNs = 0n;

  add(deploymentId: string, message: string, level: LogLevel | null = 'INFO', replica: string | null = null): void {
    // Strictly increasing timestamps keep lines logged in the same millisecond in order.
    let ns = BigInt(Date.now()) * 1_000_000n;
    if (ns <= this.lastNs) ns = this.lastNs + 1n;
    this.lastNs = ns;
    const list = this.lines.get(deploymentId) ?? [];
    list.push({ timestamp: ns.toString(), message, replica, request_id: null, level });
    if (list.length > maxLinesPerDeployment) list.splice(0, list.length - maxLinesPerDeployment);
    this.lines.set(deploymentId, list);
  }

  /** Throws SyntaxError for an invalid search pattern. */
  query(deploymentId: string, q: LogQuery): LogLine[] {
    const end = BigInt(q.endEpochMillis ?? Date.now()) * 1_000_000n + 999_999n;
    const start = BigInt(q.startEpochMillis ?? Number(end / 1_000_000n) - defaultWindowMs) * 1_000_000n;
    const pattern = q.searchPattern ? new RegExp(q.searchPattern) : undefined;
    const min = q.minLevel ? levelRank[q.minLevel] : undefined;
    const matching = (this.lines.get(deploymentId) ?? []).filter((line) => {
      const ts = BigInt(line.timestamp);
      if (ts < start || ts > end) return false;
      if (min !== undefined && (line.level === null || levelRank[line.level] < min)) return false;
      if (pattern && !pattern.test(line.message)) return false;
      if (q.includes?.some((s) => !line.message.includes(s))) return false;
      return !q.excludes?.some((s) => line.message.includes(s));
    });
    const ordered = q.direction === 'desc' ? matching.reverse() : matching;
    return ordered.slice(0, q.limit ?? 500);
  }

  forget(deploymentId: string): void {
    this.lines.delete(deploymentId);
  }
}
