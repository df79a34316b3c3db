import type { EmulatorControl } from '../src/emulator/control-client';

/** The endpoint a management path belongs to: ids replaced, as Baseten (and the emulator) count rate limits. */
export function endpointOf(method: string, pathname: string): string {
  const template = pathname
    .replace(/^\/v1\/models\/[^/]+/, '/v1/models/{model_id}')
    .replace(/\/deployments\/[^/]+/, '/deployments/{deployment_id}')
    .replace(/\/environments\/[^/]+/, '/environments/{env_name}');
  return `${method} ${template}`;
}

/** The most calls that arrived within any one second (sliding), of ascending arrival times in ms. */
export function peakPerSecond(arrivals: readonly number[]): number {
  let peak = 0;
  let first = 0;
  for (let last = 0; last < arrivals.length; last++) {
    while ((arrivals[last] as number) - (arrivals[first] as number) >= 1000) first++;
    peak = Math.max(peak, last - first + 1);
  }
  return peak;
}

/**
 * Reads the emulator's request log as it grows (it keeps the last 10 000 calls, so it is read every few seconds)
 * and keeps each call's endpoint, arrival and status.
 */
export class RequestTap {
  private readonly calls: Array<{ endpoint: string; at: number; status: number | null }> = [];
  private readonly seen = new Set<string>();
  private since: string;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly control: EmulatorControl,
    from: number,
  ) {
    this.since = new Date(from).toISOString();
  }

  start(everyMs = 2_000): void {
    this.timer = setInterval(() => {
      this.reading = this.reading.then(() => this.read()).catch(() => undefined);
    }, everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.reading;
    await this.read();
  }

  /** Per endpoint: the calls between `from` and `to` and their peak per second; and the 429s among them. */
  summary(from: number, to: number): { endpoints: Map<string, { calls: number; peak: number }>; rateLimited: number } {
    const inWindow = this.calls.filter((c) => c.at >= from && c.at < to);
    const byEndpoint = new Map<string, number[]>();
    for (const call of inWindow) byEndpoint.set(call.endpoint, [...(byEndpoint.get(call.endpoint) ?? []), call.at]);
    const endpoints = new Map(
      [...byEndpoint].map(([endpoint, times]) => [
        endpoint,
        { calls: times.length, peak: peakPerSecond(times.sort((a, b) => a - b)) },
      ]),
    );
    return { endpoints, rateLimited: inWindow.filter((c) => c.status === 429).length };
  }

  private async read(): Promise<void> {
    const entries = await this.control.requests({ since: this.since });
    for (const entry of entries) {
      // Calls of the same millisecond as the last read come back again: the key skips them.
      const key = `${entry.time} ${entry.method} ${entry.path}?${entry.query}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      this.calls.push({
        endpoint: endpointOf(entry.method, entry.path),
        at: Date.parse(entry.time),
        status: entry.status,
      });
    }
    const last = entries.at(-1);
    if (last) this.since = last.time;
  }
}
