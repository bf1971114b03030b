/** When to try a request again, and how long to wait first. Pure, so it is tested without a clock. */

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** What one attempt came to, as far as the retry policy cares. */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfter: string | null }
  /** An answer with this status whose body could not be read in full: past the size limit. */
  | { kind: 'unreadable'; status: number }
  /** `sent`: false when the time ran out before a connection was made. */
  | { kind: 'timeout'; sent?: boolean }
  /** `permanent`: repeating cannot help (the server's TLS certificate is not trusted). */
  | { kind: 'network'; sent: boolean; permanent?: boolean };

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 8_000;
/**
 * No wait is shorter. A server answering `Retry-After: 0` (or a date in the past) on every
 * request would otherwise be asked again at once, thousands of times a second; with this floor
 * a request is sent at most MAX_TOTAL_WAIT_MS / MIN_WAIT_MS + 1 times whatever the server says.
 * 100 ms is short next to the first backoff window (500 ms), so a quick retry stays quick.
 */
export const MIN_WAIT_MS = 100;
/** All the waits of one command (of one row, in a batch run) together stay under this. */
export const MAX_TOTAL_WAIT_MS = 60_000;

/** Methods whose repetition cannot do anything twice. */
const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'PATCH', 'DELETE']);

/**
 * GET, PATCH and DELETE are repeated after any transient failure. A POST is repeated only when it
 * certainly did not take effect: a 429, or a connection that was never made. Clerk has no
 * idempotency key, so a repeated POST after a 5xx, a timeout, a dropped connection or an answer
 * too large to read could create a second object.
 */
export function isRetryable(method: HttpMethod, outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'response') {
    if (!RETRY_STATUSES.has(outcome.status)) return false;
    return IDEMPOTENT.has(method) || outcome.status === 429;
  }
  if (outcome.kind === 'unreadable') return IDEMPOTENT.has(method);
  if (outcome.kind === 'network' && outcome.permanent) return false;
  if (outcome.sent === false) return true;
  return IDEMPOTENT.has(method);
}

/** Whether the attempt may have changed data on the server although no success was seen. */
export function mayHaveApplied(outcome: AttemptOutcome): boolean {
  if (outcome.kind === 'response') return outcome.status >= 500;
  // A 2xx the server acted on, or a 5xx that may have: only a 4xx refused the request.
  if (outcome.kind === 'unreadable') return outcome.status < 400 || outcome.status >= 500;
  return outcome.sent !== false;
}

/**
 * Full jitter above the floor: a random wait in [MIN_WAIT_MS, min(cap, base * 2^attempt)), so many
 * clients never retry in lockstep and none retries at once.
 */
export function backoffMs(retryIndex: number, random: () => number = Math.random): number {
  const window = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** retryIndex);
  return MIN_WAIT_MS + Math.floor(random() * (window - MIN_WAIT_MS));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = `(${MONTHS.join('|')})`;
const TIME = '(\\d\\d):(\\d\\d):(\\d\\d)';
/** RFC 9110 §5.6.7: IMF-fixdate, and the two obsolete forms a recipient must still read. */
const HTTP_DATES: { pattern: RegExp; fields: (m: RegExpExecArray) => [string, string, string, string, string, string] }[] = [
  // Sun, 06 Nov 1994 08:49:37 GMT
  {
    pattern: new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\\d\\d) ${MONTH} (\\d{4}) ${TIME} GMT$`),
    fields: (m) => [m[3]!, m[2]!, m[1]!, m[4]!, m[5]!, m[6]!],
  },
  // Sunday, 06-Nov-94 08:49:37 GMT (years 70-99 are 19xx, the others 20xx)
  {
    pattern: new RegExp(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\\d\\d)-${MONTH}-(\\d\\d) ${TIME} GMT$`),
    fields: (m) => [String(Number(m[3]) < 70 ? 2000 + Number(m[3]) : 1900 + Number(m[3])), m[2]!, m[1]!, m[4]!, m[5]!, m[6]!],
  },
  // Sun Nov  6 08:49:37 1994
  {
    pattern: new RegExp(`^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ${MONTH} ( \\d|\\d\\d) ${TIME} (\\d{4})$`),
    fields: (m) => [m[6]!, m[1]!, m[2]!, m[3]!, m[4]!, m[5]!],
  },
];

/** An HTTP date in ms since the epoch; null for anything else (Date.parse would take "-1" or "1.5" for dates). */
function parseHttpDate(value: string): number | null {
  for (const { pattern, fields } of HTTP_DATES) {
    const match = pattern.exec(value);
    if (!match) continue;
    const [year, month, day, hours, minutes, seconds] = fields(match);
    const ms = Date.UTC(Number(year), MONTHS.indexOf(month), Number(day), Number(hours), Number(minutes), Number(seconds));
    const check = new Date(ms);
    // 31 Feb and 25:00:00 roll over in Date.UTC: not a date a server meant.
    if (check.getUTCDate() !== Number(day) || check.getUTCHours() !== Number(hours) || Number(seconds) > 59) return null;
    return ms;
  }
  return null;
}

/**
 * `Retry-After` in milliseconds from now, when it asks for a wait: a positive integer of seconds,
 * or a valid HTTP date in the future. Null for anything else (absent, `0`, a past date, `-1`,
 * `1.5`, garbage), and then the normal backoff applies.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) {
    const seconds = Number(trimmed);
    return seconds > 0 ? seconds * 1000 : null;
  }
  const date = parseHttpDate(trimmed);
  return date !== null && date > nowMs ? date - nowMs : null;
}

/** The wait before the next attempt: the server's Retry-After when it gave a usable one, else backoff; never under the floor. */
export function retryDelayMs(outcome: AttemptOutcome, retryIndex: number, nowMs: number, random?: () => number): number {
  const serverSaid = outcome.kind === 'response' ? parseRetryAfter(outcome.retryAfter, nowMs) : null;
  return Math.max(MIN_WAIT_MS, serverSaid ?? backoffMs(retryIndex, random));
}
