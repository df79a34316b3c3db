/**
 * Picks exactly `rate` of the calls it is asked about, with no randomness, so a test that sets 0.1 sees exactly one
 * call in ten picked (the 10th, 20th, ...): each call adds the rate to a debt, and each whole unit of debt picks one.
 */
export class Share {
  private owed = 0;

  constructor(public rate: number) {}

  take(): boolean {
    if (this.rate <= 0) return false;
    this.owed += this.rate;
    // Sums of rates such as 0.1 fall a hair short of the whole number they should reach.
    if (this.owed < 1 - 1e-9) return false;
    this.owed -= 1;
    return true;
  }
}
