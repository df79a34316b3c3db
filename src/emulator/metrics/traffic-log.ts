/** One inference request as the client saw it. */
export interface RequestSample {
  /** When it arrived. @unit epoch ms */
  at: number;
  status: number;
  /** From arrival to the last byte of the answer, injected latency and cold starts included. @unit ms */
  latencyMs: number;
}

/** The requests of one step of a window, oldest first. */
export interface WindowSamples {
  statuses: number[];
  latenciesMs: number[];
}

/** Baseten's metrics API serves at most 7 days back; nothing older is ever asked for. */
export const maxWindowMs = 7 * 24 * 3600_000;
/** Per deployment: the memory bound (exceeded by a tenth at most, so trimming is not paid on every request). */
const maxSamples = 50_000;
const maxReplicaChanges = 10_000;

/** Columns rather than objects: three packed number arrays cost ~24 bytes a request. */
interface Requests {
  at: number[];
  status: number[];
  latencyMs: number[];
}

interface ReplicaChange {
  at: number;
  count: number;
}

/**
 * Every inference request per deployment that served it, and the history of its active replica count:
 * what GET .../deployments/{id}/metrics reports. In memory only (a restarted emulator starts afresh), bounded per
 * deployment by count and by age.
 */
export class TrafficLog {
  private readonly requests = new Map<string, Requests>();
  private readonly replicas = new Map<string, ReplicaChange[]>();

  constructor(private readonly now: () => number = Date.now) {}

  record(deploymentId: string, sample: RequestSample): void {
    let log = this.requests.get(deploymentId);
    if (!log) {
      log = { at: [], status: [], latencyMs: [] };
      this.requests.set(deploymentId, log);
    }
    // Kept sorted by arrival; a slow request finishes after later ones, so it is inserted a little way back.
    let i = log.at.length;
    while (i > 0 && (log.at[i - 1] as number) > sample.at) i--;
    log.at.splice(i, 0, sample.at);
    log.status.splice(i, 0, sample.status);
    log.latencyMs.splice(i, 0, sample.latencyMs);
    this.trim(log);
  }

  /** The deployment's active replica count from now on (repeats of the same count are ignored). */
  setReplicas(deploymentId: string, count: number): void {
    const history = this.replicas.get(deploymentId) ?? [];
    if (history[history.length - 1]?.count === count) return;
    history.push({ at: this.now(), count });
    if (history.length > maxReplicaChanges) history.splice(0, history.length - maxReplicaChanges);
    this.replicas.set(deploymentId, history);
  }

  /** Since when the emulator has known the deployment (its creation, or the emulator's start); before, no data. */
  knownSince(deploymentId: string): number | undefined {
    return this.replicas.get(deploymentId)?.[0]?.at;
  }

  /** The active replica count at `at`, or undefined before the deployment was known. */
  replicasAt(deploymentId: string, at: number): number | undefined {
    const history = this.replicas.get(deploymentId) ?? [];
    let count: number | undefined;
    for (const change of history) {
      if (change.at > at) break;
      count = change.count;
    }
    return count;
  }

  /** Requests that arrived in [from, to), or [from, to] when `inclusiveEnd`. */
  samples(deploymentId: string, from: number, to: number, inclusiveEnd = false): WindowSamples {
    const log = this.requests.get(deploymentId);
    if (!log) return { statuses: [], latenciesMs: [] };
    const first = firstAtOrAfter(log.at, from);
    const end = inclusiveEnd ? firstAtOrAfter(log.at, to + 1) : firstAtOrAfter(log.at, to);
    return { statuses: log.status.slice(first, end), latenciesMs: log.latencyMs.slice(first, end) };
  }

  forget(deploymentId: string): void {
    this.requests.delete(deploymentId);
    this.replicas.delete(deploymentId);
  }

  private trim(log: Requests): void {
    let drop = firstAtOrAfter(log.at, this.now() - maxWindowMs);
    if (log.at.length - drop > maxSamples * 1.1) drop = log.at.length - maxSamples;
    if (drop <= 0) return;
    log.at.splice(0, drop);
    log.status.splice(0, drop);
    log.latencyMs.splice(0, drop);
  }
}

/** Index of the first element ≥ value in an ascending array (its length when there is none). */
function firstAtOrAfter(sorted: number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
