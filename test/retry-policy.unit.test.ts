// The retry policy as pure functions (src/api/retry.ts), and the client's 60 s wait budget with a
// stubbed clock against the fake server.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ClerkClient } from '../src/api/client.ts';
import { ApiError } from '../src/api/api-error.ts';
import { Pacer } from '../src/api/pacer.ts';
import {
  backoffMs,
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  isRetryable,
  MAX_TOTAL_WAIT_MS,
  MIN_WAIT_MS,
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

  // An answer too large to read: retried like a 5xx where repeating is safe, never for POST or PUT.
  for (const status of [200, 201, 429, 502]) {
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      test(`${method} after an unreadable ${status} answer: yes`, () =>
        assert.equal(isRetryable(method, { kind: 'unreadable', status }), true));
    }
    for (const method of ['POST', 'PUT'] as const) {
      test(`${method} after an unreadable ${status} answer: no`, () =>
        assert.equal(isRetryable(method, { kind: 'unreadable', status }), false));
    }
  }
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
  test('an unreadable 2xx: yes (the server acted, only its answer is lost)', () =>
    assert.equal(mayHaveApplied({ kind: 'unreadable', status: 200 }), true));
  test('an unreadable 502: yes', () => assert.equal(mayHaveApplied({ kind: 'unreadable', status: 502 }), true));
  for (const status of [400, 404, 422, 429]) {
    test(`an unreadable ${status}: no (refused, whatever the body)`, () =>
      assert.equal(mayHaveApplied({ kind: 'unreadable', status }), false));
  }
});

describe('backoffMs: exponential from 500 ms, full jitter above a 100 ms floor', () => {
  test('a timeout before any connection was made is a request never sent: a POST may be repeated', () => {
    assert.equal(isRetryable('POST', TIMEOUT_BEFORE_CONNECTING), true);
    assert.equal(mayHaveApplied(TIMEOUT_BEFORE_CONNECTING), false);
    assert.equal(isRetryable('POST', TIMEOUT), false);
    assert.equal(mayHaveApplied(TIMEOUT), true);
  });

  test('constants: 500 ms base, a cap, a 60 s budget, a 100 ms floor', () => {
    assert.equal(BACKOFF_BASE_MS, 500);
    assert.equal(MIN_WAIT_MS, 100);
    assert.ok(BACKOFF_CAP_MS >= 500 && BACKOFF_CAP_MS <= MAX_TOTAL_WAIT_MS);
    assert.equal(MAX_TOTAL_WAIT_MS, 60_000);
  });

  for (let n = 0; n <= 8; n++) {
    const ceiling = Math.min(8000, 500 * 2 ** n);
    test(`retry ${n}: random()=0.999 gives just below ${ceiling} ms, random()=0 gives the 100 ms floor`, () => {
      const high = backoffMs(n, () => 0.999);
      assert.ok(high < ceiling, `${high} < ${ceiling}`);
      assert.ok(high >= Math.floor(0.999 * ceiling) - 1, `${high} is near the top of [100, ${ceiling})`);
      assert.equal(
        backoffMs(n, () => 0),
        100,
      );
    });
  }

  test('the window doubles until the cap', () => {
    const top = (n: number) => backoffMs(n, () => 0.999999);
    assert.ok(top(1) > top(0) * 1.9);
    assert.ok(top(2) > top(1) * 1.9);
    assert.ok(top(3) > top(2) * 1.9);
    assert.equal(top(10), top(20), 'capped');
  });

  test('jitter: the wait is the floor plus random() times the rest of the window, whole milliseconds', () => {
    assert.equal(
      backoffMs(2, () => 0.5),
      1050,
    );
    assert.equal(
      backoffMs(0, () => 0.5),
      300,
    );
    for (let i = 0; i < 200; i++) {
      const wait = backoffMs(3);
      assert.ok(Number.isInteger(wait) && wait >= 100 && wait < 4000, String(wait));
    }
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-05-12T10:00:00Z');

  test('delay-seconds: a positive integer', () => {
    assert.equal(parseRetryAfter('1', now), 1000);
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter(' 7 ', now), 7000);
    assert.equal(parseRetryAfter('007', now), 7000);
  });

  test('an HTTP date in the future: IMF-fixdate and the two obsolete forms', () => {
    assert.equal(parseRetryAfter('Tue, 12 May 2026 10:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter(new Date(now + 90_000).toUTCString(), now), 90_000);
    assert.equal(parseRetryAfter('Tuesday, 12-May-26 10:00:05 GMT', now), 5000);
    assert.equal(parseRetryAfter('Tue May 12 10:00:05 2026', now), 5000);
    assert.equal(parseRetryAfter('Tue May  2 10:00:05 2027', Date.parse('2027-05-02T10:00:00Z')), 5000);
  });

  test('asks for no wait, so it does not count (the normal backoff applies): 0, now, a date in the past', () => {
    assert.equal(parseRetryAfter('0', now), null);
    assert.equal(parseRetryAfter('00', now), null);
    assert.equal(parseRetryAfter('Tue, 12 May 2026 10:00:00 GMT', now), null);
    assert.equal(parseRetryAfter('Tue, 12 May 2026 09:59:00 GMT', now), null);
    assert.equal(parseRetryAfter('Thu, 01 Jan 1970 00:00:00 GMT', now), null);
  });

  test('not a non-negative integer nor an HTTP date: null (Date.parse would read "-1" and "1.5" as dates)', () => {
    for (const value of [
      null,
      '',
      ' ',
      '-1',
      '1.5',
      '1e3',
      '+5',
      '0x10',
      '5 s',
      'soon',
      'in a minute',
      'Infinity',
      'NaN',
      '2026-05-12T10:00:05Z',
      '12 May 2026 10:00:05 GMT',
      'Tue, 12 May 2026 10:00:05 UTC',
      'Tue, 31 Feb 2026 10:00:05 GMT',
      'Tue, 12 May 2026 25:00:05 GMT',
      'Tue, 12 May 2026 10:00:05 GMT; x',
    ]) {
      assert.equal(parseRetryAfter(value, now), null, JSON.stringify(value));
    }
  });
});

describe('retryDelayMs', () => {
  const now = Date.parse('2026-05-12T10:00:00Z');

  test("prefers the server's Retry-After over backoff", () => {
    assert.equal(
      retryDelayMs(response(429, '3'), 0, now, () => 0.999),
      3000,
    );
    assert.equal(
      retryDelayMs(response(503, '2'), 5, now, () => 0),
      2000,
    );
    assert.equal(
      retryDelayMs(response(429, 'Tue, 12 May 2026 10:00:04 GMT'), 0, now, () => 0.999),
      4000,
    );
  });

  test('falls back to backoff without a usable Retry-After', () => {
    assert.equal(
      retryDelayMs(response(503), 1, now, () => 0.5),
      550,
    );
    assert.equal(
      retryDelayMs(response(503, 'garbage'), 1, now, () => 0.5),
      550,
    );
    assert.equal(
      retryDelayMs(TIMEOUT, 2, now, () => 0.5),
      1050,
    );
    assert.equal(
      retryDelayMs(REFUSED, 3, now, () => 0.999),
      backoffMs(3, () => 0.999),
    );
    for (const value of ['0', '-1', '1.5', 'Tue, 12 May 2026 09:59:00 GMT', 'soon']) {
      assert.equal(
        retryDelayMs(response(429, value), 3, now, () => 0.5),
        backoffMs(3, () => 0.5),
        `Retry-After: ${value}`,
      );
    }
  });

  test('is never under the floor: not after random()=0, nor for a date a few ms ahead', () => {
    assert.equal(
      retryDelayMs(DROPPED, 0, now, () => 0),
      MIN_WAIT_MS,
    );
    assert.equal(
      retryDelayMs(response(429, '0'), 0, now, () => 0),
      MIN_WAIT_MS,
    );
    assert.equal(
      retryDelayMs(response(503, 'Tue, 12 May 2026 10:00:01 GMT'), 0, now + 999, () => 0),
      MIN_WAIT_MS,
    );
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
    const error = await client(10, waits)
      .request({ method: 'GET', path: `/phone_numbers/${phone.id}` })
      .then(
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

  test("the 60 s budget is one per command: a second request of the same client inherits the first one's waits", async () => {
    const { phone, path } = seeded();
    server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '35' } } });
    server.fault({ method: 'DELETE', path, times: 1, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '35' } } });
    const waits: number[] = [];
    const shared = client(3, waits);
    await shared.request({ method: 'GET', path: `/phone_numbers/${phone.id}` });
    await assert.rejects(
      shared.request({ method: 'DELETE', path: `/phone_numbers/${phone.id}` }),
      (e: unknown) => e instanceof ApiError && e.status === 429,
    );
    assert.deepEqual(waits, [35_000], 'the second 35 s wait would pass 60 s in all');
    assert.equal(server.phoneNumbers().length, 1, 'the DELETE was not retried');
  });

  test('a single Retry-After: 61 fails at once', async () => {
    const { phone, path } = seeded();
    server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 503, headers: { 'Retry-After': '61' } } });
    const waits: number[] = [];
    await assert.rejects(
      client(3, waits).request({ method: 'GET', path: `/phone_numbers/${phone.id}` }),
      (e: unknown) => e instanceof ApiError && e.exitCode === 5,
    );
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
    await assert.rejects(
      client(0, waits).request({ method: 'DELETE', path: `/phone_numbers/${phone.id}` }),
      (e: unknown) => e instanceof ApiError && e.code === 'network' && e.status === null,
    );
    assert.equal(server.requests.length, 1);
    assert.deepEqual(waits, []);
  });

  test('a POST after a 503 is not repeated and is marked as maybe applied; after a 429 it is repeated', async () => {
    seeded();
    const user = server.addUser();
    server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 1, fault: { kind: 'status', status: 503 } });
    const waits: number[] = [];
    const body = { user_id: user.id, phone_number: '+12015550177' };
    await assert.rejects(
      client(3, waits).request({ method: 'POST', path: '/phone_numbers', body }),
      (e: unknown) => e instanceof ApiError && e.maybeApplied,
    );
    assert.equal(server.requests.length, 1);

    server.fault({
      method: 'POST',
      path: '/v1/phone_numbers',
      times: 1,
      fault: { kind: 'status', status: 429, headers: { 'Retry-After': '2' } },
    });
    const created = await client(3, waits).request<{ phone_number: string }>({ method: 'POST', path: '/phone_numbers', body });
    assert.equal(created.phone_number, '+12015550177');
    assert.equal(server.requests.length, 3);
    assert.deepEqual(waits, [2000]);
  });
});

// A batch run's client: a pacer shared by the rows, 429s that do not use up --retries. On a virtual
// clock, against a fake that answers nothing but 429: every row ends within the wait budget.
describe('ClerkClient with a pacer, facing nothing but 429s', () => {
  let server: FakeClerk;
  before(async () => {
    server = await startFakeClerk();
  });
  after(() => server.close());

  async function onlyRateLimited(retryAfter: string | undefined, retries = 3) {
    server.reset();
    const headers: Record<string, string> = retryAfter === undefined ? {} : { 'Retry-After': retryAfter };
    server.fault({ path: /./, times: Infinity, fault: { kind: 'status', status: 429, headers } });
    let clock = 0;
    const now = () => clock;
    const sleep = async (ms: number) => void (clock += ms);
    const client = new ClerkClient({
      baseUrl: `${server.url}/v1`,
      secretKey: server.secretKey,
      retries,
      timeoutMs: 5000,
      userAgent: 'phone/test',
      pacer: new Pacer({ target: { requests: 1000, perMs: 1000 }, now, sleep }),
      sleep,
      now,
    });
    const error = await client
      .request({ method: 'POST', path: '/phone_numbers', body: { user_id: 'user_x', phone_number: '+12015550100' } })
      .then(
        () => assert.fail('expected an error'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof ApiError);
    return { error, requests: server.requests.length, waitedMs: clock };
  }

  for (const retryAfter of ['0', '-1', '1.5', 'garbage', new Date(0).toUTCString(), undefined]) {
    test(`Retry-After: ${retryAfter ?? '(none)'}: backoff, a bounded number of requests, within the 60 s budget, failed as a 429`, async () => {
      const { error, requests, waitedMs } = await onlyRateLimited(retryAfter);
      assert.equal(error.status, 429);
      assert.equal(error.exitCode, 5);
      assert.equal(error.maybeApplied, false, 'a 429 took no effect');
      assert.ok(waitedMs <= MAX_TOTAL_WAIT_MS, `waited ${waitedMs} ms`);
      // The backoff window doubles up to 8 s: about 20 requests; never more than the floor allows.
      assert.ok(requests <= MAX_TOTAL_WAIT_MS / MIN_WAIT_MS + 1, `${requests} requests`);
      assert.ok(requests >= 8 && requests <= 60, `${requests} requests: the window grows although the 429s are not counted as retries`);
      assert.match(error.hint ?? '', /not retried: the next wait/);
    });
  }

  test('Retry-After: 1 is honoured: one request a second, 61 in all, then the row fails', async () => {
    const { error, requests, waitedMs } = await onlyRateLimited('1');
    assert.equal(error.status, 429);
    assert.equal(requests, 61);
    assert.equal(waitedMs, 60_000);
  });

  test('--retries 0 does not end a paced wait on a 429 early (pacing), the budget does', async () => {
    const { requests, waitedMs } = await onlyRateLimited('30', 0);
    assert.equal(requests, 3);
    assert.equal(waitedMs, 60_000);
  });
});
