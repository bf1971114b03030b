import { usageError } from '../errors.js';
import { isLiveKey } from '../redact.js';

/** A target rate as the user wrote it: at most `requests` in any `perMs` milliseconds. */
export interface Rate {
  requests: number;
  perMs: number;
}

export const RATE_FORM = '<requests>/<period> such as 100/10s, 5/1s, 300/1m or 2/500ms (units ms, s, m, h)';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * Bounds on what --rate accepts. A period under 1 ms is below what a timer can resolve; one over
 * an hour is a typo more likely than a plan (a run at 1/1h would take a day for 24 rows). Clerk
 * allows at most 100 requests per second to one instance, so 10,000 per second is already a
 * hundred times anything useful: higher means a missing unit or a stray zero, and would only
 * turn pacing off.
 */
const MIN_PERIOD_MS = 1;
const MAX_PERIOD_MS = 3_600_000;
export const MAX_RATE_PER_SECOND = 10_000;

export function perSecond(rate: Rate): number {
  return (rate.requests * 1000) / rate.perMs;
}

/** `100/10s` → { requests: 100, perMs: 10000 }; anything else is a usage error showing the accepted form. */
export function parseRate(text: string, origin = '--rate'): Rate {
  const refuse = (why: string) => usageError(`${origin} must be ${RATE_FORM}, got ${JSON.stringify(text.slice(0, 40))}: ${why}`);
  // At most 9 digits each: anything longer is out of bounds anyway, and Number() stays exact.
  const match = /^\s*(\d{1,9})\s*\/\s*(\d{1,9})?\s*(ms|s|m|h)\s*$/i.exec(text);
  if (!match) return refuseShape(text, refuse);
  const requests = Number(match[1]);
  const perMs = Number(match[2] ?? 1) * (UNIT_MS[match[3]!.toLowerCase()] ?? NaN);
  if (requests < 1) throw refuse('that allows no request at all');
  if (!(perMs >= MIN_PERIOD_MS && perMs <= MAX_PERIOD_MS)) throw refuse('the period must be between 1ms and 1h');
  const rate = { requests, perMs };
  if (perSecond(rate) > MAX_RATE_PER_SECOND) throw refuse(`that is more than ${MAX_RATE_PER_SECOND} requests per second`);
  return rate;
}

/** Says what is wrong with text that does not even have the right shape, for the common slips. */
function refuseShape(text: string, refuse: (why: string) => Error): never {
  if (/[.,]/.test(text)) throw refuse('requests and period are whole numbers (write 2.5/1s as 5/2s)');
  if (/-/.test(text)) throw refuse('no negative numbers');
  if (/^\s*\d+\s*\/\s*\d+\s*$/.test(text)) throw refuse('the period needs a unit');
  throw refuse('not a rate');
}

/**
 * Clerk's documented Backend API limits, per instance: 1000 requests per 10 s for production
 * (sk_live_ keys), 100 per 10 s for development (sk_test_ keys).
 * Source: https://clerk.com/docs/guides/how-clerk-works/system-limits (also
 * https://clerk.com/docs/reference/rate-limits; the production figure since
 * https://clerk.com/changelog/2025-07-03-bapi-rate-limits).
 *
 * We aim at 90% of it. Evenly spaced at 90%, a 10 s window holds 10 requests fewer than the
 * limit, so arrival times would have to shift by about 1.1 s (at 9/s and at 90/s alike) before
 * Clerk counts one too many; real network jitter is far below that. The same tenth leaves room
 * for the odd request from the app or dashboard sharing the instance, for 10% less speed.
 * A key of neither kind gets the development limit: the smaller one is the safe guess.
 */
const SAFETY_MARGIN = 0.9;
const PRODUCTION_LIMIT: Rate = { requests: 1000, perMs: 10_000 };
const DEVELOPMENT_LIMIT: Rate = { requests: 100, perMs: 10_000 };

export function defaultRateForKey(secretKey: string): Rate {
  const limit = isLiveKey(secretKey) ? PRODUCTION_LIMIT : DEVELOPMENT_LIMIT;
  return { requests: Math.floor(limit.requests * SAFETY_MARGIN), perMs: limit.perMs };
}

/**
 * Spaced at exactly period/n, a window of the period holds n requests only while none arrives
 * late, and arrivals do vary: a timer fires late, the event loop is busy with an answer, the
 * first request opens the connection. The server counts arrivals, so the pacer aims at n per
 * period plus this much: then no window of the period, whatever its phase, holds more than n as
 * long as arrival times vary by less than 10 ms. It costs 1% at 100 per second and nothing to
 * speak of at 100 per 10 s; exactly at a fixed-window limit each window otherwise risks a 429,
 * and each 429 pauses the whole run for the second Clerk's Retry-After asks for.
 */
export const JITTER_ALLOWANCE_MS = 10;

/** The rate to hand the pacer so that the server never counts more than `rate`. */
export function withJitterAllowance(rate: Rate): Rate {
  return { requests: rate.requests, perMs: rate.perMs + JITTER_ALLOWANCE_MS };
}
