import { perSecond, type Rate } from './rate.js';
import { MAX_TOTAL_WAIT_MS } from './retry.js';

/** What a waiting `acquire()` rejects with once the pacer is stopped: the request must not be sent. */
export class PacerStopped extends Error {
  constructor() {
    super('not sent: the run was stopped');
    this.name = 'PacerStopped';
  }
}

/** What `acquire(budgetMs)` rejects with when its turn does not come within the budget: the request was not sent. */
export class PacerTimeout extends Error {
  constructor(readonly budgetMs: number) {
    super(`no turn within ${Math.round(budgetMs)} ms`);
    this.name = 'PacerTimeout';
  }
}

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface PacerOptions {
  /** Never exceeded; 429s lower the pace below it for a while. */
  target: Rate;
  now?: () => number;
  /** Resolves after ms, or early when the signal aborts (stop()). */
  sleep?: Sleep;
  /** Told the new pace (requests per second) when a 429 lowers it and when it is back at the target. */
  onPaceChange?: (ratePerSecond: number) => void;
}

/**
 * AIMD, as TCP does with its window. A 429 cuts the pace by 30%: far enough that a few cuts find
 * a limit well below the target (CI shards sharing one instance), not so far that one stray 429
 * halves a run. Each success then gives back 1/500 of the pace the 429 came at, so the way from 70%
 * back to where the limit was takes 150 successes, whatever the level: under a limit that holds,
 * about one request in 150 (0.7%) meets a 429 and the pace saws between 70% and 100% of the limit,
 * below it on average. The floor keeps a run moving when 20 uncoordinated clients share the budget.
 */
const DECREASE_FACTOR = 0.7;
const INCREASE_FRACTION = 1 / 500;
const FLOOR_FRACTION = 1 / 20;
/** The progress line's pace covers about this much of the recent past... */
const MEASURE_WINDOW_MS = 5_000;
/** ...and at most this many sends, so its memory is bounded at any rate. */
const MEASURE_MAX_SENDS = 256;

const sleepFor: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Lets requests leave at no more than a target rate, one at a time and evenly spaced, for all the
 * workers of a run together. Waiters are served first come, first served by a single loop, so a
 * change of pace (a 429) applies to the very next request, not after those already queued.
 */
/** How late a timer may fire on a busy machine without the pacer counting the gap as idle time. */
const TIMER_GRANULARITY_MS = 4;

interface Waiter {
  resolve: (sent: number) => void;
  reject: (error: Error) => void;
  /** When its turn must have come (Infinity: no bound), and the budget that set it. */
  deadline: number;
  budgetMs: number;
}

export class Pacer {
  readonly targetPerSecond: number;
  readonly #floorPerSecond: number;
  #pace: number;
  /** What each success adds to the pace: a 500th of the pace at the last cut (of the target before any). */
  #step: number;
  readonly #now: () => number;
  readonly #sleep: Sleep;
  readonly #onPaceChange: ((ratePerSecond: number) => void) | undefined;
  readonly #waiters: Waiter[] = [];
  readonly #stop = new AbortController();
  #serving = false;
  #lastSlotAt = -Infinity;
  #pausedUntil = -Infinity;
  /** Sends so far; each acquire() resolves with its own number in this count. */
  #sent = 0;
  /** #sent when the pace was last cut: requests up to this one left at the pace before the cut. */
  #sentBeforeCut = 0;
  readonly #sends: number[] = [];

  constructor(options: PacerOptions) {
    this.targetPerSecond = perSecond(options.target);
    this.#floorPerSecond = this.targetPerSecond * FLOOR_FRACTION;
    this.#pace = this.targetPerSecond;
    this.#step = this.targetPerSecond * INCREASE_FRACTION;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? sleepFor;
    this.#onPaceChange = options.onPaceChange;
  }

  /** Requests per second the pacer lets through now: the target, or less after 429s. */
  get pace(): number {
    return this.#pace;
  }

  /** How long from now every request is held back for a 429's Retry-After (0: not paused). */
  pausedForMs(): number {
    return Math.max(0, this.#pausedUntil - this.#now());
  }

  get stopped(): boolean {
    return this.#stop.signal.aborted;
  }

  /**
   * Resolves when this request may leave, with its number in the order of sends (hand it back to
   * onRateLimited); rejects with PacerStopped once stop() was called, at once for those already waiting,
   * and with PacerTimeout when its turn has not come within `budgetMs` (it then gives its place up).
   */
  acquire(budgetMs = Infinity): Promise<number> {
    if (this.stopped) return Promise.reject(new PacerStopped());
    const deadline = this.#now() + budgetMs;
    const granted = new Promise<number>((resolve, reject) => this.#waiters.push({ resolve, reject, deadline, budgetMs }));
    void this.#serve();
    return granted;
  }

  /** Ctrl-C: nothing leaves any more; every waiter is rejected now, not when its slot comes. */
  stop(): void {
    if (this.stopped) return;
    this.#stop.abort();
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new PacerStopped());
  }

  /**
   * Request number `sent` (what acquire() gave it) met a 429. The pace is cut once per round trip:
   * 429s of requests that left before the last cut were sent too fast already and are not counted
   * again. `retryAfterMs` holds every request back that long, as the server asked.
   */
  onRateLimited(sent: number, retryAfterMs = 0): void {
    // Bounded as the client bounds its own waits: a hostile Retry-After must not park the run for days.
    const pauseMs = Math.min(retryAfterMs, MAX_TOTAL_WAIT_MS);
    if (pauseMs > 0) this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + pauseMs);
    if (sent <= this.#sentBeforeCut) return;
    this.#sentBeforeCut = this.#sent;
    this.#step = this.#pace * INCREASE_FRACTION;
    this.#setPace(Math.max(this.#floorPerSecond, this.#pace * DECREASE_FACTOR));
  }

  /** A request was answered without a 429: the pace climbs back toward the target, never past it. */
  onSuccess(): void {
    if (this.#pace < this.targetPerSecond) {
      this.#setPace(Math.min(this.targetPerSecond, this.#pace + this.#step));
    }
  }

  /** Requests per second that actually left over the last few seconds, for the progress line; 0 before two have. */
  measuredRate(): number {
    const now = this.#now();
    const recent = this.#sends.filter((at) => now - at <= MEASURE_WINDOW_MS);
    if (recent.length < 2) return 0;
    const span = now - recent[0]!;
    return span > 0 ? ((recent.length - 1) * 1000) / span : 0;
  }

  #setPace(pace: number): void {
    const previous = this.#pace;
    this.#pace = pace;
    // Every decrease is worth a --debug line; the many small increases only when they add up to the target.
    if (pace < previous || (pace === this.targetPerSecond && previous < pace)) this.#onPaceChange?.(pace);
  }

  /** The one loop that hands out slots; a second call while it runs returns at once. */
  async #serve(): Promise<void> {
    if (this.#serving) return;
    this.#serving = true;
    try {
      while (this.#waiters.length > 0 && !this.stopped) {
        const interval = 1000 / this.#pace;
        const now = this.#now();
        const due = Math.max(this.#lastSlotAt + interval, this.#pausedUntil);
        // Pace or pause may change while asleep: look again after waking.
        if (due > now) {
          this.#giveUpPast(due, interval);
          if (this.#waiters.length === 0) break;
          await this.#sleep(due - now, this.#stop.signal);
          continue;
        }
        // A timer that fires a little late does not cost a slot (the next one stays on the grid), but
        // an idle pipe earns no credit: after a gap the next request goes now, the one after a full
        // interval later. "A little" is an interval, or a timer's granularity when intervals are
        // shorter than it: at 10,000/s a 1 ms timer would otherwise let out one request a tick.
        this.#lastSlotAt = now - due > Math.max(interval, TIMER_GRANULARITY_MS) ? now : due;
        this.#recordSend(now);
        this.#waiters.shift()!.resolve(++this.#sent);
      }
    } finally {
      this.#serving = false;
    }
  }

  /** Waiters whose turn (the next slot, one interval more for each ahead of them) comes after their deadline. */
  #giveUpPast(nextSlot: number, interval: number): void {
    let position = 0;
    for (const waiter of [...this.#waiters]) {
      if (waiter.deadline < nextSlot + position * interval) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.reject(new PacerTimeout(waiter.budgetMs));
      } else position++;
    }
  }

  #recordSend(at: number): void {
    this.#sends.push(at);
    if (this.#sends.length > MEASURE_MAX_SENDS) this.#sends.shift();
  }
}
