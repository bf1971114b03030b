/**
 * Shared by every request of a batch run: a 429 closes the gate until its Retry-After has
 * passed, so all workers pause together instead of each hammering the limit on its own.
 */
export class RateGate {
  #openAt = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  closeFor(ms: number): void {
    this.#openAt = Math.max(this.#openAt, this.now() + ms);
  }

  async wait(): Promise<void> {
    for (let remaining = this.#openAt - this.now(); remaining > 0; remaining = this.#openAt - this.now()) {
      await this.sleep(remaining);
    }
  }
}
