/**
 * Per endpoint, the moment before which Baseten asked this client not to call it again (a 429's `retry_after`).
 * Baseten counts each endpoint separately per API key, so one endpoint's 429 holds that endpoint only, but it holds
 * it for every caller in the process: a thousand watchers sharing a key all wait, not just the call that was refused.
 */
export class EndpointHoldOff {
  private readonly until = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Baseten refused a call to `endpoint` and asked for `ms`: no call goes there before then. */
  hold(endpoint: string, ms: number): void {
    const until = this.now() + ms;
    if (until > (this.until.get(endpoint) ?? Number.NEGATIVE_INFINITY)) this.until.set(endpoint, until);
  }

  /** How long a call to `endpoint` must still wait; 0: it may go. */
  remainingMs(endpoint: string): number {
    const until = this.until.get(endpoint);
    if (until === undefined) return 0;
    const left = until - this.now();
    if (left > 0) return left;
    this.until.delete(endpoint);
    return 0;
  }
}
