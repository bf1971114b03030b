// End to end: the built CLI against the fake Clerk server, for the contract's "Retries and timeouts".
// Every assertion counts the requests the server saw; none measures wall-clock time.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startFakeClerk, type Fault, type FakeClerk } from './fake-clerk/server.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import type { ErrorObject } from './helpers/results.ts';
import { runCli, type CliResult } from './helpers/run-cli.ts';

const clerk = useFakeClerk();

type Method = 'GET' | 'PATCH' | 'DELETE';

/** One command per retried method, and what its success looks like on stdout. */
const COMMANDS: Record<Method, { args: (id: string) => string[]; succeeded: (stdout: string, id: string, server: FakeClerk) => void }> = {
  GET: {
    args: (id) => ['get', id],
    succeeded: (stdout, id) => assert.equal(JSON.parse(stdout).id, id),
  },
  PATCH: {
    args: (id) => ['update', id, '--verified'],
    succeeded: (stdout, id) => {
      const phone = JSON.parse(stdout);
      assert.equal(phone.id, id);
      assert.equal(phone.verification?.status, 'verified');
    },
  },
  DELETE: {
    args: (id) => ['delete', id, '--yes'],
    succeeded: (stdout, id, server) => {
      assert.deepEqual(JSON.parse(stdout), { object: 'phone_number', id, deleted: true });
      assert.equal(
        server.phoneNumbers().some((p) => p.id === id),
        false,
        'the phone number is gone',
      );
    },
  },
};

const TIMEOUT_MS = '400';

/** Transient failures, what the JSON error then says, and any flag the fault needs. */
const OUTCOMES: { name: string; fault: Fault; code: string; status: number | null; flags?: string[] }[] = [
  { name: 'HTTP 500', fault: { kind: 'status', status: 500 }, code: 'internal_clerk_error', status: 500 },
  { name: 'HTTP 502', fault: { kind: 'status', status: 502 }, code: 'bad_gateway', status: 502 },
  { name: 'HTTP 503', fault: { kind: 'status', status: 503 }, code: 'service_unavailable', status: 503 },
  { name: 'HTTP 504', fault: { kind: 'status', status: 504 }, code: 'gateway_timeout', status: 504 },
  { name: 'HTTP 429', fault: { kind: 'status', status: 429 }, code: 'too_many_requests', status: 429 },
  { name: 'a dropped connection', fault: { kind: 'drop' }, code: 'network', status: null },
  { name: 'a timeout', fault: { kind: 'delay', ms: 3000 }, code: 'timeout', status: null, flags: ['--timeout', TIMEOUT_MS] },
];

/** The JSON error object: the only line of stderr, or the last one after --debug lines. */
function jsonError(result: CliResult, { only = true } = {}): ErrorObject {
  const lines = result.stderr.trimEnd().split('\n');
  if (only) assert.equal(lines.length, 1, `stderr is one JSON object:\n${result.stderr}`);
  const parsed = JSON.parse(lines.at(-1)!);
  assert.deepEqual(Object.keys(parsed), ['error']);
  return parsed.error;
}

/** "retry" as a word of its own: not the Retry-After header a response line may quote. */
const RETRY_WORD = /\bretr(y|ies|ying)\b(?!-after)/i;

/** A --debug line showing a request going out: a method and a full URL. */
const REQUEST_LINE = /\b(GET|POST|PATCH|DELETE) https?:\/\//;

/**
 * The --debug lines that announce a retry of `method`, with the wait each names. The wording is
 * the CLI's to choose; a retry line has the word "retry", the method and the wait in ms.
 */
function retriesLogged(stderr: string, method: string): { line: string; waitMs: number }[] {
  return stderr
    .split('\n')
    .filter((line) => RETRY_WORD.test(line) && line.includes(method) && !REQUEST_LINE.test(line))
    .map((line) => ({ line, waitMs: Number(/(\d+) ?ms\b/.exec(line)?.[1] ?? NaN) }));
}

/** The --debug lines that show a request going out: the method and the full URL, and no "retry". */
const requestsLogged = (stderr: string, method: string, url: string) =>
  stderr.split('\n').filter((line) => line.includes(`${method} ${url}`) && !RETRY_WORD.test(line));

/** The --debug lines that show an answer's status (not the retry announcements that quote it). */
const statusLogged = (stderr: string, status: number) =>
  stderr.split('\n').some((line) => new RegExp(`\\b${status}\\b`).test(line) && !RETRY_WORD.test(line) && !REQUEST_LINE.test(line));

let seeded = 0;
/** A user with one phone number; numbers differ so that verifying one never conflicts with another. */
function seed(server: FakeClerk) {
  const user = server.addUser();
  const phone = server.addPhoneNumber(user.id, `+1201555${String(1000 + (seeded++ % 9000)).padStart(4, '0')}`);
  return { user, phone, path: `/v1/phone_numbers/${phone.id}` };
}

const countTo = (server: FakeClerk, method: string, path: string) =>
  server.requests.filter((r) => r.method === method && r.path === path).length;

/** A local TCP port where nothing listens (and not one fetch would refuse to dial anyway). */
async function closedPort(): Promise<number> {
  const BAD = new Set([1719, 1720, 1723, 2049, 3659, 4045, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6697, 10080]);
  for (;;) {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (!BAD.has(port)) return port;
  }
}

// The method × outcome matrix runs on a server of its own, concurrently: every test uses its own
// phone number and counts only the requests to its own path, so they cannot see each other.
describe('GET, PATCH and DELETE are retried on transient failures', { concurrency: 6 }, () => {
  let server: FakeClerk;
  before(async () => {
    server = await startFakeClerk();
  });
  after(() => server.close());
  const phone = (args: string[]) => runCli(args, { env: { CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url } });

  for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
    const command = COMMANDS[method];
    for (const outcome of OUTCOMES) {
      test(`${method} after ${outcome.name} twice: succeeds on the third request`, async () => {
        const { phone: seeded, path } = seed(server);
        server.fault({ method, path, times: 2, fault: outcome.fault });
        const result = await phone([...command.args(seeded.id), ...(outcome.flags ?? [])]);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stderr, '');
        command.succeeded(result.stdout, seeded.id, server);
        const seen = server.requests.filter((r) => r.path === path);
        assert.equal(seen.length, 3, 'the first request and two retries reached the server');
        for (const request of seen) {
          assert.equal(request.method, method);
          assert.deepEqual(request.body, seen[0]!.body, 'every retry repeats the same request');
        }
      });

      test(`${method} after ${outcome.name} with --retries 0: one request, exit 5, JSON error`, async () => {
        const { phone: seeded, path } = seed(server);
        server.fault({ method, path, times: 1, fault: outcome.fault });
        const result = await phone([...command.args(seeded.id), '--retries', '0', ...(outcome.flags ?? [])]);
        assert.equal(result.code, 5, result.stderr);
        assert.equal(result.stdout, '');
        assert.equal(countTo(server, method, path), 1);
        const error = jsonError(result);
        assert.equal(error.code, outcome.code);
        assert.equal(error.status, outcome.status);
        assert.equal(typeof error.message, 'string');
        assert.ok(Array.isArray(error.errors));
        if (outcome.status === null) {
          assert.deepEqual(error.errors, []);
          assert.equal(error.clerk_trace_id, null);
        } else {
          assert.equal((error.errors[0] as { code: string }).code, outcome.code, 'errors are passed on as returned');
          assert.match(String(error.clerk_trace_id), /^[0-9a-f]{32}$/);
        }
        if (method === 'DELETE')
          assert.ok(
            server.phoneNumbers().some((p) => p.id === seeded.id),
            'nothing was deleted',
          );
      });

      test(`${method} after ${outcome.name} three times with --retries 1: two requests, exit 5`, async () => {
        const { phone: seeded, path } = seed(server);
        server.fault({ method, path, times: 3, fault: outcome.fault });
        const result = await phone([...command.args(seeded.id), '--retries', '1', ...(outcome.flags ?? [])]);
        assert.equal(result.code, 5, result.stderr);
        assert.equal(result.stdout, '');
        assert.equal(countTo(server, method, path), 2);
        assert.equal(jsonError(result).code, outcome.code);
      });
    }

    test(`${method}: the default is 3 retries, 4 requests at most`, async () => {
      const { phone: seeded, path } = seed(server);
      server.fault({ method, path, times: 5, fault: { kind: 'status', status: 503 } });
      const result = await phone(command.args(seeded.id));
      assert.equal(result.code, 5, result.stderr);
      assert.equal(countTo(server, method, path), 4);
      const error = jsonError(result);
      assert.equal(error.status, 503);
      assert.equal(error.code, 'service_unavailable');
    });

    test(`${method}: the default 3 retries are enough for 3 failures`, async () => {
      const { phone: seeded, path } = seed(server);
      server.fault({ method, path, times: 3, fault: { kind: 'status', status: 500 } });
      const result = await phone(command.args(seeded.id));
      assert.equal(result.code, 0, result.stderr);
      command.succeeded(result.stdout, seeded.id, server);
      assert.equal(countTo(server, method, path), 4);
    });
  }

  test('errors that are not transient are not retried (400, 401, 403, 404, 409, 422, 501)', async () => {
    for (const status of [400, 401, 403, 404, 409, 422, 501]) {
      const { phone: seeded, path } = seed(server);
      server.fault({ method: 'GET', path, times: 4, fault: { kind: 'status', status } });
      const result = await phone(['get', seeded.id]);
      assert.equal(result.code, { 400: 1, 401: 4, 403: 4, 404: 3, 409: 1, 422: 1, 501: 5 }[status], `HTTP ${status}: ${result.stderr}`);
      assert.equal(countTo(server, 'GET', path), 1, `HTTP ${status} is not retried`);
      assert.equal(jsonError(result).status, status);
    }
  });

  // Timeouts run here too, concurrently: each waits for its own timeouts.
  test('every retry after a timeout really reaches the server (ofetch alone would not send it)', async () => {
    const { phone: seeded, path } = seed(server);
    server.fault({ method: 'GET', path, times: 3, fault: { kind: 'delay', ms: 2000 } });
    const result = await phone(['get', seeded.id, '--timeout', TIMEOUT_MS]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).id, seeded.id);
    assert.equal(countTo(server, 'GET', path), 4, 'three timed-out attempts and the one that succeeded');
  });

  test('every retry gets a fresh timeout: a slow but timely third answer succeeds', async () => {
    const { phone: seeded, path } = seed(server);
    server.fault({ method: 'PATCH', path, times: 2, fault: { kind: 'delay', ms: 3000 } });
    server.fault({ method: 'PATCH', path, times: 1, fault: { kind: 'delay', ms: 200 } });
    const result = await phone(['update', seeded.id, '--verified', '--timeout', '800']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).verification.status, 'verified');
    assert.equal(countTo(server, 'PATCH', path), 3);
  });

  test('a timeout that outlasts the retries: exit 5, code timeout, status null, says which limit', async () => {
    const { phone: seeded, path } = seed(server);
    server.fault({ method: 'GET', path, times: 2, fault: { kind: 'delay', ms: 2000 } });
    const result = await phone(['get', seeded.id, '--timeout', TIMEOUT_MS, '--retries', '1', '-o', 'table']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(countTo(server, 'GET', path), 2);
    assert.match(result.stderr, new RegExp(`${TIMEOUT_MS} ms`), 'names the limit');
    assert.match(result.stderr, /timeout/);
  });
});

describe('Retry-After', () => {
  test('429 with Retry-After: 1 is honoured: the retry waits 1000 ms and succeeds', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } });
    const result = await clerk.phone(['get', phone.id, '--debug']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${JSON.stringify(phone, null, 2)}\n`);
    assert.equal(countTo(clerk.server, 'GET', path), 2);
    assert.deepEqual(
      retriesLogged(result.stderr, 'GET').map((r) => r.waitMs),
      [1000],
      result.stderr,
    );
  });

  test("the fake's rate limiter: a second command within the window waits as told and gets through", async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.rateLimit({ requests: 1, perMs: 1000 });
    assert.equal((await clerk.phone(['get', phone.id])).code, 0);
    const result = await clerk.phone(['get', phone.id, '--debug']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(countTo(clerk.server, 'GET', path), 3, 'one admitted, one 429, one retry');
    assert.ok(statusLogged(result.stderr, 429), result.stderr);
    assert.deepEqual(
      retriesLogged(result.stderr, 'GET').map((r) => r.waitMs),
      [1000],
      result.stderr,
    );
  });

  test('Retry-After as an HTTP date in the past does not count: the normal backoff, never a zero wait', async () => {
    const { phone, path } = seed(clerk.server);
    const date = new Date(Date.now() - 60_000).toUTCString();
    clerk.server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 503, headers: { 'Retry-After': date } } });
    const result = await clerk.phone(['get', phone.id, '--debug']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(countTo(clerk.server, 'GET', path), 2);
    const waits = retriesLogged(result.stderr, 'GET').map((r) => r.waitMs);
    assert.equal(waits.length, 1, result.stderr);
    assert.ok(waits[0]! >= 100 && waits[0]! < 500, `the first backoff, in [100, 500) ms: ${waits[0]}`);
  });

  test('Retry-After as an HTTP date 10 minutes ahead is read as such: no retry, exit 5, says when', async () => {
    const { phone, path } = seed(clerk.server);
    const date = new Date(Date.now() + 600_000).toUTCString();
    clerk.server.fault({ method: 'GET', path, times: 2, fault: { kind: 'status', status: 429, headers: { 'Retry-After': date } } });
    const result = await clerk.phone(['get', phone.id, '-o', 'table']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(countTo(clerk.server, 'GET', path), 1);
    const seconds = [...result.stderr.matchAll(/(\d+) ?s(econds)?\b/g)].map((m) => Number(m[1]));
    assert.ok(
      seconds.some((n) => n >= 590 && n <= 601),
      `says to wait about 600 s: ${result.stderr}`,
    );
  });

  test('Retry-After: 120 is past the 60 s budget: fails at once, exit 5, one request, says how long to wait', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'GET', path, times: 2, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '120' } } });
    const result = await clerk.phone(['get', phone.id, '-o', 'table']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(countTo(clerk.server, 'GET', path), 1);
    assert.match(result.stderr, /120 s/);
    assert.match(result.stderr, /HTTP 429/);
  });

  test('Retry-After: 120 with JSON errors (the default when piped): the JSON error says how long to wait', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'GET', path, times: 2, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '120' } } });
    const result = await clerk.phone(['get', phone.id]);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(countTo(clerk.server, 'GET', path), 1);
    const error = jsonError(result);
    assert.equal(error.status, 429);
    // The object's shape is fixed by the contract, so the wait can only be told in its message.
    assert.match(error.message, /\b120 ?s(econds)?\b/, `the JSON error says how long to wait: ${result.stderr}`);
  });

  test('a 429 with no Clerk JSON body gets the code rate_limited', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 429, body: 'Too Many Requests' } });
    const result = await clerk.phone(['get', phone.id, '--retries', '0']);
    assert.equal(result.code, 5, result.stderr);
    const error = jsonError(result);
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.status, 429);
  });
});

describe('POST (create) is repeated only when it certainly did not take effect', () => {
  const create = (userId: string, number: string, extra: string[] = []) =>
    clerk.phone(['create', '--user-id', userId, '--phone-number', number, ...extra]);
  const posts = () => countTo(clerk.server, 'POST', '/v1/phone_numbers');

  const lookups = () => countTo(clerk.server, 'GET', '/v1/users');

  for (const status of [500, 502, 503, 504]) {
    test(`not repeated after HTTP ${status}: one request, then a lookup that does not find it: exit 5, not created`, async () => {
      const user = clerk.server.addUser();
      clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 4, fault: { kind: 'status', status } });
      const result = await create(user.id, '+12015550123', ['-o', 'table']);
      assert.equal(result.code, 5, result.stderr);
      assert.equal(result.stdout, '');
      assert.equal(posts(), 1);
      assert.equal(lookups(), 1);
      assert.match(result.stderr, new RegExp(`HTTP ${status}`));
      assert.match(
        result.stderr,
        new RegExp(`a lookup found no \\+12015550123 on user ${user.id} afterwards: it was not created; trying again is safe`),
      );
      assert.doesNotMatch(result.stderr, /may have been created/);
    });
  }

  test('after HTTP 500 with JSON errors (the default when piped): the JSON error says the lookup did not find it', async () => {
    const user = clerk.server.addUser();
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 4, fault: { kind: 'status', status: 500 } });
    const result = await create(user.id, '+12015550123');
    assert.equal(result.code, 5, result.stderr);
    assert.equal(posts(), 1);
    const error = jsonError(result);
    assert.equal(error.status, 500);
    // The object's shape is fixed by the contract, so the outcome can only be in its message.
    assert.match(error.message, /it was not created/, `stderr: ${result.stderr}`);
  });

  test('after HTTP 500 and a lookup that fails too: exit 5, says it may have been created and how to check', async () => {
    const user = clerk.server.addUser();
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 1, fault: { kind: 'status', status: 500 } });
    clerk.server.fault({ method: 'GET', path: '/v1/users', times: Infinity, fault: { kind: 'status', status: 503 } });
    const result = await create(user.id, '+12015550123', ['--retries', '0']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(posts(), 1);
    const error = jsonError(result);
    assert.equal(error.status, 500);
    assert.match(error.message, /may have been created anyway.*phone list --user-id/);
    assert.match(error.message, /the lookup failed/);
  });

  test('not repeated after a dropped connection: one request, exit 5, code network, status null', async () => {
    const user = clerk.server.addUser();
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 4, fault: { kind: 'drop' } });
    const result = await create(user.id, '+12015550123');
    assert.equal(result.code, 5, result.stderr);
    assert.equal(posts(), 1);
    const error = jsonError(result);
    assert.equal(error.code, 'network');
    assert.equal(error.status, null);
  });

  test('not repeated after drop-after-commit: one request, settled by a lookup, exit 0, the number printed and existing once', async () => {
    const user = clerk.server.addUser();
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 4, fault: { kind: 'drop-after-commit' } });
    const result = await create(user.id, '+12015550123', ['-o', 'table']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(posts(), 1);
    assert.equal(lookups(), 1);
    const made = clerk.server.phoneNumbers().filter((p) => p.phone_number === '+12015550123');
    assert.equal(made.length, 1);
    assert.ok(result.stdout.includes(made[0]!.id), result.stdout);
    assert.match(
      result.stderr,
      new RegExp(
        `^note: the create's outcome was unknown \\(network error: .*\\); a lookup found \\+12015550123 on user ${user.id}: it was created\\n$`,
      ),
    );
  });

  test('not repeated after error-after-commit 500: one request, settled by a lookup, exit 0', async () => {
    const user = clerk.server.addUser();
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 4, fault: { kind: 'error-after-commit', status: 500 } });
    const result = await create(user.id, '+12015550123');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(posts(), 1);
    const made = clerk.server.phoneNumbers().filter((p) => p.phone_number === '+12015550123');
    assert.equal(made.length, 1);
    assert.equal(JSON.parse(result.stdout).id, made[0]!.id, 'the lookup found it: printed as created');
  });

  test('not repeated after a timeout: one request, exit 5, code timeout, status null', async () => {
    const user = clerk.server.addUser();
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 4, fault: { kind: 'delay', ms: 2000 } });
    const result = await create(user.id, '+12015550123', ['--timeout', '300']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(posts(), 1);
    const error = jsonError(result);
    assert.equal(error.code, 'timeout');
    assert.equal(error.status, null);
  });

  test('repeated after 429: two requests, success, created once', async () => {
    const user = clerk.server.addUser();
    clerk.server.fault({
      method: 'POST',
      path: '/v1/phone_numbers',
      times: 1,
      fault: { kind: 'status', status: 429, headers: { 'Retry-After': '0' } },
    });
    const result = await create(user.id, '+1 (201) 555-0123');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(posts(), 2);
    const created = JSON.parse(result.stdout);
    assert.equal(created.phone_number, '+12015550123');
    assert.deepEqual(
      clerk.server
        .phoneNumbers()
        .filter((p) => p.phone_number === '+12015550123')
        .map((p) => p.id),
      [created.id],
    );
  });

  test('a 429 that outlasts --retries 1: two requests, exit 5, Clerk code and status 429', async () => {
    const user = clerk.server.addUser();
    clerk.server.fault({
      method: 'POST',
      path: '/v1/phone_numbers',
      times: 3,
      fault: { kind: 'status', status: 429, headers: { 'Retry-After': '0' } },
    });
    const result = await create(user.id, '+12015550123', ['--retries', '1']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(posts(), 2);
    const error = jsonError(result);
    assert.equal(error.code, 'too_many_requests');
    assert.equal(error.status, 429);
    assert.equal(clerk.server.phoneNumbers().length, 0);
  });

  test('repeated after connection refused: exit 5, network error, and --debug shows the retries', async () => {
    const port = await closedPort();
    const user = clerk.server.addUser();
    const result = await create(user.id, '+12015550123', ['--api-url', `http://127.0.0.1:${port}`, '--retries', '2', '--debug']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(clerk.server.requests.length, 0);
    assert.equal(retriesLogged(result.stderr, 'POST').length, 2, `two retries logged:\n${result.stderr}`);
    assert.equal(requestsLogged(result.stderr, 'POST', `http://127.0.0.1:${port}/v1/phone_numbers`).length, 3, 'three attempts');
    const error = jsonError(result, { only: false });
    assert.equal(error.code, 'network');
    assert.equal(error.status, null);
    assert.doesNotMatch(result.stderr, /may have been created/, 'nothing was sent, so nothing was created');
  });
});

describe('DELETE', () => {
  test('applied but unanswered, then 404 on the retry: reports success (JSON)', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'DELETE', path, times: 1, fault: { kind: 'drop-after-commit' } });
    const result = await clerk.phone(['delete', phone.id, '--yes']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.deepEqual(JSON.parse(result.stdout), { object: 'phone_number', id: phone.id, deleted: true });
    assert.equal(countTo(clerk.server, 'DELETE', path), 2);
    assert.equal(clerk.server.phoneNumbers().length, 0);
  });

  test('applied but unanswered, then 404 on the retry: reports success (table)', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'DELETE', path, times: 1, fault: { kind: 'drop-after-commit' } });
    const result = await clerk.phone(['delete', phone.id, '--yes', '-o', 'table']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `Deleted phone number ${phone.id}\n`);
    assert.equal(countTo(clerk.server, 'DELETE', path), 2);
  });

  test('applied, answered 500, then 404 on the retry: reports success', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'DELETE', path, times: 1, fault: { kind: 'error-after-commit', status: 500 } });
    const result = await clerk.phone(['delete', phone.id, '--yes']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).deleted, true);
    assert.equal(countTo(clerk.server, 'DELETE', path), 2);
  });

  test('a 404 on the first attempt is still not found: exit 3', async () => {
    const result = await clerk.phone(['delete', 'idn_doesnotexist', '--yes']);
    assert.equal(result.code, 3, result.stderr);
    assert.equal(clerk.server.requests.length, 1);
  });

  test('a 404 after a 429 (which certainly did not apply) is still not found: exit 3', async () => {
    const path = '/v1/phone_numbers/idn_doesnotexist';
    clerk.server.fault({ method: 'DELETE', path, times: 1, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '0' } } });
    const result = await clerk.phone(['delete', 'idn_doesnotexist', '--yes']);
    assert.equal(result.code, 3, result.stderr);
    assert.equal(countTo(clerk.server, 'DELETE', path), 2);
  });
});

describe('non-JSON error bodies', () => {
  const html = '<html><body>Bad gateway</body></html>';

  test('an HTML 502 page: exit 5 after the retries, one line with the status, not the page (table)', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'GET', path, times: 2, fault: { kind: 'status', status: 502, body: html } });
    const result = await clerk.phone(['get', phone.id, '--retries', '1', '-o', 'table']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(countTo(clerk.server, 'GET', path), 2);
    assert.match(result.stderr, /502/);
    assert.doesNotMatch(result.stderr, /<html|<body|Bad gateway<\//i);
    assert.match(result.stderr.split('\n')[0]!, /502/, 'the first line names the status');
  });

  test('an HTML 502 page: JSON error with status 502, no HTML', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'GET', path, times: 2, fault: { kind: 'status', status: 502, body: html } });
    const result = await clerk.phone(['get', phone.id, '--retries', '1']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(countTo(clerk.server, 'GET', path), 2);
    assert.doesNotMatch(result.stderr, /<html/i);
    const error = jsonError(result);
    assert.equal(error.status, 502);
    assert.match(error.message, /502/);
    assert.deepEqual(error.errors, []);
  });
});

describe('--debug', () => {
  test('prints each request, status, retry and wait on stderr, key redacted; stdout is exactly the JSON', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 503 } });
    const result = await clerk.phone(['get', phone.id, '--debug']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${JSON.stringify(phone, null, 2)}\n`);
    assert.equal(countTo(clerk.server, 'GET', path), 2);
    const key = clerk.server.secretKey;
    assert.ok(!result.stdout.includes(key) && !result.stderr.includes(key), 'the full key never appears');
    assert.match(result.stderr, /sk_test_…abcd/);
    assert.equal(requestsLogged(result.stderr, 'GET', `${clerk.server.url}${path}`).length, 2, `each request:\n${result.stderr}`);
    assert.ok(statusLogged(result.stderr, 503), 'the 503');
    assert.ok(statusLogged(result.stderr, 200), 'the 200');
    const retries = retriesLogged(result.stderr, 'GET');
    assert.equal(retries.length, 1, `one retry logged:\n${result.stderr}`);
    assert.ok(retries[0]!.waitMs >= 0 && retries[0]!.waitMs < 500, `with its wait (first backoff is below 500 ms): ${retries[0]!.line}`);
  });

  test('on a failed create with a body: still no key anywhere, the body and the timeout are shown', async () => {
    const user = clerk.server.addUser();
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 1, fault: { kind: 'delay', ms: 2000 } });
    const result = await clerk.phone(['create', '--user-id', user.id, '--phone-number', '+12015550123', '--debug', '--timeout', '300']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, '');
    const key = clerk.server.secretKey;
    assert.ok(!result.stderr.includes(key), 'the full key never appears');
    assert.match(result.stderr, /sk_test_…abcd/);
    assert.equal(requestsLogged(result.stderr, 'POST', `${clerk.server.url}/v1/phone_numbers`).length, 1, result.stderr);
    assert.match(result.stderr, /\+12015550123/);
    assert.match(result.stderr, /timeout/);
    assert.equal(jsonError(result, { only: false }).code, 'timeout');
  });

  test('a drop, a timeout and a 429 in one command are each logged, then success', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'DELETE', path, times: 1, fault: { kind: 'drop' } });
    clerk.server.fault({ method: 'DELETE', path, times: 1, fault: { kind: 'delay', ms: 2000 } });
    clerk.server.fault({ method: 'DELETE', path, times: 1, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '0' } } });
    const result = await clerk.phone(['delete', phone.id, '--yes', '--debug', '--timeout', '300']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { object: 'phone_number', id: phone.id, deleted: true });
    assert.equal(countTo(clerk.server, 'DELETE', path), 4);
    const retries = retriesLogged(result.stderr, 'DELETE');
    assert.equal(retries.length, 3, result.stderr);
    assert.match(retries[0]!.line, /network/);
    assert.match(retries[1]!.line, /timeout/);
    assert.match(retries[2]!.line, /429/);
    assert.ok(
      retries[2]!.waitMs >= 100 && retries[2]!.waitMs < 2000,
      `Retry-After: 0 does not count: the third backoff, in [100, 2000) ms: ${retries[2]!.line}`,
    );
    assert.ok(!result.stderr.includes(clerk.server.secretKey));
  });

  test('without --debug nothing is printed on stderr during a successful retry', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'GET', path, times: 1, fault: { kind: 'drop' } });
    const result = await clerk.phone(['get', phone.id]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.equal(countTo(clerk.server, 'GET', path), 2);
  });
});
