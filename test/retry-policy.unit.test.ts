// The retry policy as pure functions (src/api/retry.ts), and the client's 60 s wait budget with a
// stubbed clock against the fake server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClerkClient } from '../src/api/client.ts';
import { ApiError } from '../src/api/api-error.ts';
import {
  backoffMs,
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  isRetryable,
  MAX_TOTAL_WAIT_MS,
  mayHaveApplied,
  parseRetryAfter,
  retryDelayMs,
  type AttemptOutcome,
} from '../src/api/retry.ts';
import { startFakeClerk, type FakeClerk } from './fake-clerk/server.ts';

const response = (status: number, retryAfter: string | null = null): AttemptOutcome => ({ kind: 'response', status, retryAfter });
const TIMEOUT: AttemptOutcome = { kind: 'timeout' };
const TIMEOUT_BEFORE_CONNECTING: AttemptOutcome = { kind: 'timeout', sent: false };
const DROPPED: AttemptOutcome = { kind: 'network', sent: true };
const REFUSED: AttemptOutcome = { kind: 'network', sent: false };

const TRANSIENT_STATUSES = [429, 500, 502, 503, 504];
const FINAL_STATUSES = [200, 201, 204, 301, 304, 400, 401, 402, 403, 404, 405, 409, 410, 422, 501, 505];

describe('isRetryable', () => {
  for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
    for (const status of TRANSIENT_STATUSES) {
      test(`${method} after HTTP ${status}: yes`, () => assert.equal(isRetryable(method, response(status)), true));
    }
    for (const status of FINAL_STATUSES) {
      test(`${method} after HTTP ${status}: no`, () => assert.equal(isRetryable(method, response(status)), false));
    }
    test(`${method} after a timeout: yes`, () => assert.equal(isRetryable(method, TIMEOUT), true));
    test(`${method} after a dropped connection: yes`, () => assert.equal(isRetryable(method, DROPPED), true));
    test(`${method} after connection refused: yes`, () => assert.equal(isRetryable(method, REFUSED), true));
  }

  test('POST after HTTP 429: yes (Clerk did not take it)', () => assert.equal(isRetryable('POST', response(429)), true));
  test('POST after HTTP 429 with Retry-After: yes', () => assert.equal(isRetryable('POST', response(429, '1')), true));
  for (const status of [500, 502, 503, 504]) {
    test(`POST after HTTP ${status}: no (it may have been created)`, () => assert.equal(isRetryable('POST', response(status)), false));
  }
  for (const status of FINAL_STATUSES) {
    test(`POST after HTTP ${status}: no`, () => assert.equal(isRetryable('POST', response(status)), false));
  }
  test('POST after a timeout: no', () => assert.equal(isRetryable('POST', TIMEOUT), false));
  test('POST after a dropped connection: no', () => assert.equal(isRetryable('POST', DROPPED), false));
  test('POST after connection refused / DNS failure (nothing sent): yes', () => assert.equal(isRetryable('POST', REFUSED), true));
});

describe('mayHaveApplied', () => {
  for (const status of [500, 502, 503, 504]) {
    test(`HTTP ${status}: yes`, () => assert.equal(mayHaveApplied(response(status)), true));
  }
  for (const status of [400, 401, 403, 404, 409, 422, 429]) {
    test(`HTTP ${status}: no`, () => assert.equal(mayHaveApplied(response(status)), false));
  }
  test('a timeout: yes', () => assert.equal(mayHaveApplied(TIMEOUT), true));
  test('a dropped connection: yes', () => assert.equal(mayHaveApplied(DROPPED), true));
  test('connection refused: no', () => assert.equal(mayHaveApplied(REFUSED), false));
});

describe('backoffMs: exponential from 500 ms, full jitter', () => {
  test('a timeout before any connection was made is a request never sent: a POST may be repeated', () => {
    assert.equal(isRetryable('POST', TIMEOUT_BEFORE_CONNECTING), true);
    assert.equal(mayHaveApplied(TIMEOUT_BEFORE_CONNECTING), false);
    assert.equal(isRetryable('POST', TIMEOUT), false);
    assert.equal(mayHaveApplied(TIMEOUT), true);
  });

  test('constants: 500 ms base, a cap, a 60 s budget', () => {
    assert.equal(BACKOFF_BASE_MS, 500);
    assert.ok(BACKOFF_CAP_MS >= 500 && BACKOFF_CAP_MS <= MAX_TOTAL_WAIT_MS);
    assert.equal(MAX_TOTAL_WAIT_MS, 60_000);
  });

  for (let n = 0; n <= 8; n++) {
    const ceiling = Math.min(8000, 500 * 2 ** n);
    test(`retry ${n}: random()=0.999 gives just below ${ceiling} ms, random()=0 gives 0`, () => {
      const high = backoffMs(n, () => 0.999);
      assert.ok(high < ceiling, `${high} < ${ceiling}`);
      assert.ok(high >= Math.floor(0.999 * ceiling) - 1, `${high} is near the top of [0, ${ceiling})`);
      assert.equal(backoffMs(n, () => 0), 0);
    });
  }

  test('the window doubles until the cap', () => {
    const top = (n: number) => backoffMs(n, () => 0.999999);
    assert.ok(top(1) > top(0) * 1.9);
    assert.ok(top(2) > top(1) * 1.9);
    assert.ok(top(3) > top(2) * 1.9);
    assert.equal(top(10), top(20), 'capped');
  });

  test('jitter: the wait is random() times the window, whole milliseconds', () => {
    assert.equal(backoffMs(2, () => 0.5), 1000);
    assert.equal(backoffMs(0, () => 0.5), 250);
    for (let i = 0; i < 200; i++) {
      const wait = backoffMs(3);
      assert.ok(Number.isInteger(wait) && wait >= 0 && wait < 4000, String(wait));
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-05-12T10:00:00Z');

  test('delay-seconds', () => {
    assert.equal(parseRetryAfter('1', now), 1000);
    assert.equal(parseRetryAfter('0', now), 0);
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(' 7 ', now), 7000);
  });

  test('an HTTP date', () => {
    assert.equal(parseRetryAfter('Tue, 12 May 2026 10:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter(new Date(now + 90_000).toUTCString(), now), 90_000);
  });

  test('a date in the past is 0', () => {
    assert.equal(parseRetryAfter('Tue, 12 May 2026 09:59:00 GMT', now), 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', now), 0);
  });

  test('absent or garbage is null', () => {
    assert.equal(parseRetryAfter(null, now), null);
    assert.equal(parseRetryAfter('', now), null);
    assert.equal(parseRetryAfter('soon', now), null);
    assert.equal(parseRetryAfter('in a minute', now), null);
  });
});

describe('retryDelayMs', () => {
  const now = Date.parse('2026-05-12T10:00:00Z');

  test("prefers the server's Retry-After over backoff", () => {
    assert.equal(retryDelayMs(response(429, '3'), 0, now, () => 0.999), 3000);
    assert.equal(retryDelayMs(response(503, '2'), 5, now, () => 0), 2000);
    assert.equal(retryDelayMs(response(429, 'Tue, 12 May 2026 10:00:04 GMT'), 0, now, () => 0.999), 4000);
    assert.equal(retryDelayMs(response(429, '0'), 3, now, () => 0.999), 0, 'Retry-After: 0 means now, not backoff');
  });

  test('falls back to backoff without a usable Retry-After', () => {
    assert.equal(retryDelayMs(response(503), 1, now, () => 0.5), 500);
    assert.equal(retryDelayMs(response(503, 'garbage'), 1, now, () => 0.5), 500);
    assert.equal(retryDelayMs(TIMEOUT, 2, now, () => 0.5), 1000);
    assert.equal(retryDelayMs(DROPPED, 0, now, () => 0), 0);
    assert.equal(retryDelayMs(REFUSED, 3, now, () => 0.999), backoffMs(3, () => 0.999));
  });
});

// The client with its clock stubbed: the budget and the retry count, counted at the fake server.
describe('ClerkClient: retries and the 60 s wait budget', () => {
  let server: FakeClerk;
  before(async () => {
    server = await startFakeClerk();
  });
  after(() => server.close());

  function client(retries: number, waits: number[]) {
    return new ClerkClient({
      baseUrl: `${server.url}/v1`,
      secretKey: server.secretKey,
      retries,
      timeoutMs: 5000,
      userAgent: 'phone/test',
      sleep: async (ms) => void waits.push(ms),
      now: Date.now,
    });
  }

  function seeded() {
    server.reset();
    const user = server.addUser();
    const phone = server.addPhoneNumber(user.id, '+12015550100');
    return { phone, path: `/v1/phone_numbers/${phone.id}` };
  }

  test('waits of Retry-After: 30 add up to 60 s, then the next one fails at once', async () => {
    const { phone, path } = seeded();
    server.fault({ method: 'GET', path, times: 5, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '30' } } });
    const waits: number[] = [];
    const error = await client(10, waits).request({ method: 'GET', path: `/phone_numbers/${phone.id}` }).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ApiError);
    assert.equal(error.exitCode, 5);
    assert.equal(error.status, 429);
    assert.deepEqual(waits, [30_000, 30_000]);
    assert.equal(server.requests.length, 3);
    assert.match(`${error.message} ${error.hint ?? ''}`, /30 s/, 'says how long to wait');
  });

  test('the 60 s budget is one per command: a second request of the same client inherits the first one\'s waits', async () => {
    const { phone, path } = seeded();
    server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '35' } } });
    server.fault({ method: 'DELETE', path, times: 1, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '35' } } });
    const waits: number[] = [];
    const shared = client(3, waits);
    await shared.request({ method: 'GET', path: `/phone_numbers/${phone.id}` });
    await assert.rejects(shared.request({ method: 'DELETE', path: `/phone_numbers/${phone.id}` }), (e: unknown) => e instanceof ApiError && e.status === 429);
    assert.deepEqual(waits, [35_000], 'the second 35 s wait would pass 60 s in all');
    assert.equal(server.phoneNumbers().length, 1, 'the DELETE was not retried');
  });

  test('a single Retry-After: 61 fails at once', async () => {
    const { phone, path } = seeded();
    server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 503, headers: { 'Retry-After': '61' } } });
    const waits: number[] = [];
    await assert.rejects(client(3, waits).request({ method: 'GET', path: `/phone_numbers/${phone.id}` }), (e: unknown) => e instanceof ApiError && e.exitCode === 5);
    assert.deepEqual(waits, []);
    assert.equal(server.requests.length, 1);
  });

  test('retries N means N+1 requests at most, with backoff waits in between', async () => {
    const { phone, path } = seeded();
    server.fault({ method: 'PATCH', path, times: 10, fault: { kind: 'status', status: 500 } });
    const waits: number[] = [];
    await assert.rejects(
      client(4, waits).request({ method: 'PATCH', path: `/phone_numbers/${phone.id}`, body: { verified: true } }),
      (e: unknown) => e instanceof ApiError && e.exitCode === 5 && e.status === 500,
    );
    assert.equal(server.requests.length, 5);
    assert.equal(waits.length, 4);
    waits.forEach((wait, n) => assert.ok(wait >= 0 && wait < Math.min(8000, 500 * 2 ** n), `wait ${n}: ${wait}`));
  });

  test('retries 0: one request, no wait', async () => {
    const { phone, path } = seeded();
    server.fault({ method: 'DELETE', path, times: 1, fault: { kind: 'drop' } });
    const waits: number[] = [];
    await assert.rejects(client(0, waits).request({ method: 'DELETE', path: `/phone_numbers/${phone.id}` }), (e: unknown) => e instanceof ApiError && e.code === 'network' && e.status === null);
    assert.equal(server.requests.length, 1);
    assert.deepEqual(waits, []);
  });

  test('a POST after a 503 is not repeated and is marked as maybe applied; after a 429 it is repeated', async () => {
    seeded();
    const user = server.addUser();
    server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 1, fault: { kind: 'status', status: 503 } });
    const waits: number[] = [];
    const body = { user_id: user.id, phone_number: '+12015550177' };
    await assert.rejects(client(3, waits).request({ method: 'POST', path: '/phone_numbers', body }), (e: unknown) => e instanceof ApiError && e.maybeApplied);
    assert.equal(server.requests.length, 1);

    server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 1, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '2' } } });
    const created = await client(3, waits).request<{ phone_number: string }>({ method: 'POST', path: '/phone_numbers', body });
    assert.equal(created.phone_number, '+12015550177');
    assert.equal(server.requests.length, 3);
    assert.deepEqual(waits, [2000]);
  });
});
