import type { RowStatus } from './run-batch.js';

/**
 * The counts behind the summary line. A row that was never sent (the run stopped first, or it
 * was waiting out a pause) is `failed` in its result line but counted apart, by why it was not
 * sent: `created 20, failed 1, not sent 279 (interrupted)`.
 */
export class Tally {
  readonly #statuses = new Map<RowStatus, number>();
  readonly #notSent = new Map<string, number>();

  add(status: RowStatus, notSentBecause?: string): void {
    if (status === 'failed' && notSentBecause) this.#notSent.set(notSentBecause, (this.#notSent.get(notSentBecause) ?? 0) + 1);
    else this.#statuses.set(status, (this.#statuses.get(status) ?? 0) + 1);
  }

  get failed(): number {
    return this.#statuses.get('failed') ?? 0;
  }

  get notSent(): number {
    return [...this.#notSent.values()].reduce((sum, count) => sum + count, 0);
  }

  /** `always`: the statuses named even at 0, in order; `failed` comes last of them, then what was not sent. */
  line(always: readonly RowStatus[], seconds: string): string {
    const others = [...this.#statuses.keys()].filter((status) => !always.includes(status) && status !== 'failed');
    const parts = [...always, ...others, 'failed' as const].map((status) => `${status} ${this.#statuses.get(status) ?? 0}`);
    for (const [reason, count] of this.#notSent) parts.push(`not sent ${count} (${reason})`);
    return `${parts.join(', ')} in ${seconds}s\n`;
  }
}
