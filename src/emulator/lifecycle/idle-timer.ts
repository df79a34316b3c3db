/**
 * Fires once a deployment has had no request in flight for `delayMs()`: the scale-to-zero clock.
 * `delayMs()` returning undefined (e.g. min_replica ≥ 1) means never.
 */
export class IdleTimer {
  private timer: NodeJS.Timeout | undefined;
  private inflight = 0;

  constructor(
    private readonly delayMs: () => number | undefined,
    private readonly onIdle: (idleMs: number) => void,
  ) {}

  requestStarted(): void {
    this.inflight++;
    this.stop();
  }

  requestFinished(): void {
    this.inflight--;
    this.restart();
  }

  /** (Re)starts the clock from now. */
  restart(): void {
    this.stop();
    const ms = this.delayMs();
    if (ms === undefined || this.inflight > 0) return;
    this.timer = setTimeout(() => this.onIdle(ms), ms);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
