import { abortableSleep } from './abortable-sleep.js';

/**
 * Shared by every request of a batch run: a 429 closes the gate until its Retry-After has
 * passed, so all workers pause together instead of each hammering the limit on its own.
 */
export class RateGate {
  #openAt = 0;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void> = abortableSleep,
  ) {}

  closeFor(ms: number): void {
    this.#openAt = Math.max(this.#openAt, this.now() + ms);
  }

  /** How long the gate stays closed from now (0 when open): what a progress line shows as a pause. */
  closedForMs(): number {
    return Math.max(0, this.#openAt - this.now());
  }

  /** Resolves when the gate is open, or at once when `signal` aborts (the caller checks which). */
  async wait(signal?: AbortSignal): Promise<void> {
    for (let remaining = this.closedForMs(); remaining > 0 && !signal?.aborted; remaining = this.closedForMs()) {
      await this.sleep(remaining, signal);
    }
  }
}
