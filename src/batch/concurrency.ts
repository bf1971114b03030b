/**
 * How many requests a batch run keeps in flight. The pacer sets how fast requests leave; the pool
 * only has to be big enough that a worker is free whenever a slot comes: by Little's law, rate ×
 * latency requests are in flight, plus a fifth for answers slower than the average.
 */
const HEADROOM = 1.2;
/**
 * At least two, so one slow answer never leaves a slot unused (the pacer, not the pool, keeps the
 * spacing, so a second worker never makes a run faster than its rate). At most 64, as
 * --concurrency: beyond that a 429 or a Ctrl-C meets too many requests at once, and 64 already
 * covers Clerk's highest limit (100/s) at 500 ms per answer.
 */
export const MIN_IN_FLIGHT = 2;
export const MAX_IN_FLIGHT = 64;

/** Requests in flight needed to send `ratePerSecond` when each takes `latencyMs`, within bounds. */
export function concurrencyFor(ratePerSecond: number, latencyMs: number): number {
  const needed = Math.ceil(((ratePerSecond * latencyMs) / 1000) * HEADROOM);
  // NaN (a rate or latency that is not a number) fails every comparison: the smallest pool then.
  if (!(needed >= MIN_IN_FLIGHT)) return MIN_IN_FLIGHT;
  return Math.min(MAX_IN_FLIGHT, needed);
}

/** Before the first answer: the middle of the 50–150 ms a request to Clerk takes on a real network. */
const ASSUMED_LATENCY_MS = 100;
/**
 * Weight of each new answer in the running latency: the last five or so count most, so the pool
 * follows a slower network within a second at 100/s, while one slow answer moves it a fifth.
 */
const SMOOTHING = 0.2;

/** The in-flight limit of a run: fixed by --concurrency, or following the latency observed so far. */
export class InFlightLimit {
  #latencyMs: number | undefined;

  constructor(
    private readonly ratePerSecond: number,
    /** --concurrency as given: the user's number wins over any estimate. */
    private readonly fixed?: number,
  ) {}

  /** The time one attempt took from leaving to its answer (timeouts and network errors are no measure of it). */
  observe(latencyMs: number): void {
    if (!Number.isFinite(latencyMs) || latencyMs < 0) return;
    this.#latencyMs = this.#latencyMs === undefined ? latencyMs : this.#latencyMs + SMOOTHING * (latencyMs - this.#latencyMs);
  }

  /** The running (exponentially weighted) latency, or the assumption before any answer. */
  get latencyMs(): number {
    return this.#latencyMs ?? ASSUMED_LATENCY_MS;
  }

  get current(): number {
    return this.fixed ?? concurrencyFor(this.ratePerSecond, this.latencyMs);
  }
}
