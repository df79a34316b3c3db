/**
 * Decides UNHEALTHY from recent predictions: at least `minSamples` of the last `size` requests
 * seen, and half or more of them answered 5xx. Baseten derives UNHEALTHY from its own health checks;
 * a failing predict rate is the nearest observable signal a local emulator has.
 */
export class HealthWindow {
  private results: boolean[] = [];

  constructor(
    private readonly size = 10,
    private readonly minSamples = 4,
  ) {}

  record(failed: boolean): void {
    this.results.push(failed);
    if (this.results.length > this.size) this.results.shift();
  }

  get unhealthy(): boolean {
    if (this.results.length < this.minSamples) return false;
    const failures = this.results.filter(Boolean).length;
    return failures * 2 >= this.results.length;
  }

  reset(): void {
    this.results = [];
  }
}
