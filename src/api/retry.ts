/** When to try a request again, and how long to wait first. Pure, so it is tested without a clock. */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What one attempt came to, as far as the retry policy cares. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfter: string | null }
  /** `sent`: false when the time ran out before a connection was made. */
  | { kind: 'timeout'; sent?: boolean }
  /** `permanent`: repeating cannot help (the server's TLS certificate is not trusted). */
  | { kind: 'network'; sent: boolean; permanent?: boolean };

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 8_000;
/** All the waits of one command (of one row, in a batch run) together stay under this. */
export const MAX_TOTAL_WAIT_MS = 60_000;

/** Methods whose repetition cannot do anything twice. */
const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'PATCH', 'DELETE']);

/**
 * GET, PATCH and DELETE are repeated after any transient failure. A POST is repeated only when it
 * certainly did not take effect: a 429, or a connection that was never made. Clerk has no
 * idempotency key, so a repeated POST after a 5xx, a timeout or a dropped connection could
 * create a second object.
 */
export function isRetryable(method: HttpMethod, outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'response') {
    if (!RETRY_STATUSES.has(outcome.status)) return false;
    return IDEMPOTENT.has(method) || outcome.status === 429;
  }
  if (outcome.kind === 'network' && outcome.permanent) return false;
  if (outcome.sent === false) return true;
  return IDEMPOTENT.has(method);
}

/** Whether the attempt may have changed data on the server although no success was seen. */
export function mayHaveApplied(outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'response') return outcome.status >= 500;
  return outcome.sent !== false;
}

/** Full jitter: a random wait in [0, min(cap, base * 2^attempt)), so many clients never retry in lockstep. */
export function backoffMs(retryIndex: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retryIndex));
}

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/** The wait before the next attempt: the server's Retry-After when it gave one, else backoff. */
export function retryDelayMs(outcome: AttemptOutcome, retryIndex: number, nowMs: number, random?: () => number): number {
  const serverSaid = outcome.kind === 'response' ? parseRetryAfter(outcome.retryAfter, nowMs) : null;
  return serverSaid ?? backoffMs(retryIndex, random);
}
