// Paces sends to a target rate: message i is due at start + i/rate seconds, so short stalls are
// caught up without ever exceeding the average.

export class RateLimiter {
  private readonly start: number;
  private sent = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.start = now();
  }

  /** How many of `wanted` messages may go now; waits until at least one may. */
  async take(wanted: number): Promise<number> {
    for (;;) {
      const elapsed = this.now() - this.start;
      const allowed = Math.floor((elapsed / 1000) * this.perSecond) + 1 - this.sent;
      if (allowed > 0) {
        const n = Math.min(wanted, allowed);
        this.sent += n;
        return n;
      }
      const dueAt = this.start + (this.sent / this.perSecond) * 1000;
      await this.sleep(Math.max(1, dueAt - this.now()));
    }
  }
}
