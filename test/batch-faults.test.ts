import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FaultRule, RecordedRequest } from './fake-clerk/server.ts';
import { createRequests, number, serverPhone } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { byLine, resultLines, summary } from './helpers/results.ts';
import { tempDir } from './helpers/run-cli.ts';
import { spawnCli as spawnAgainst } from './helpers/spawn-cli.ts';

const clerk = useFakeClerk();

// ---------------------------------------------------------------- helpers

interface SeedRow {
  user_id: string;
  phone_number: string;
  verified?: boolean;
}

/** `count` rows over a few users, written as JSONL; row i is on line i + 1. */
function seed(count: number, userCount = 8): { rows: SeedRow[]; file: string } {
  const users = Array.from({ length: userCount }, () => clerk.server.addUser());
  const rows = Array.from({ length: count }, (_, i) => ({
    user_id: users[i % userCount]!.id,
    phone_number: number(i),
    ...(i % 4 === 0 ? { verified: true } : {}),
  }));
  const file = join(tempDir('phone-faults-'), 'seed.jsonl');
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  return { rows, file };
}

function postedNumber(request: RecordedRequest): string {
  return (request.body as { phone_number: string }).phone_number;
}

function lookupRequests(): RecordedRequest[] {
  return clerk.server.requests.filter((r) => r.method === 'GET' && r.path === '/v1/users');
}

/** Every number looked up, once per lookup request that carried it (a lookup may carry several). */
function lookups(): string[] {
  return lookupRequests().flatMap((r) => new URL(r.url, 'http://x').searchParams.getAll('phone_number'));
}

/** Lets the next `count` requests matching (method, path) through untouched, so the rules after it land mid-run. */
function passThrough(method: string, path: FaultRule['path'], count: number): void {
  clerk.server.fault({ method, path, times: count, fault: { kind: 'delay', ms: 0 } });
}

/** No number is on the server twice, and every row's number is there exactly once, on its user. */
function assertSeededExactlyOnce(rows: SeedRow[]): void {
  const phones = clerk.server.phoneNumbers();
  assert.equal(phones.length, rows.length, 'one phone number per row');
  assert.equal(new Set(phones.map((p) => p.phone_number)).size, rows.length, 'no number exists twice');
  for (const row of rows) {
    const user = clerk.server.user(row.user_id)!;
    assert.equal(user.phone_numbers.filter((p) => p.phone_number === row.phone_number).length, 1, `${row.phone_number} on ${row.user_id}`);
  }
}

const PHONE_ID_PATH = /^\/v1\/phone_numbers\/idn_[A-Za-z0-9]+$/;

// ---------------------------------------------------------------- seeding through faults

test('a few hundred rows through 429s, 503s and dropped connections: every row created exactly once and torn down, exit 0', async () => {
  const total = 300;
  const { rows, file } = seed(total);
  const post = { method: 'POST', path: '/v1/phone_numbers' };
  passThrough('POST', post.path, 30);
  clerk.server.fault({ ...post, times: 3, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } });
  passThrough('POST', post.path, 40);
  clerk.server.fault({ ...post, times: 4, fault: { kind: 'error-after-commit', status: 503 } });
  passThrough('POST', post.path, 40);
  clerk.server.fault({ ...post, times: 4, fault: { kind: 'drop-after-commit' } });
  passThrough('POST', post.path, 40);
  clerk.server.fault({ ...post, times: 2, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } });
  // The lookups that resolve the unknown outcomes meet 503s and a dropped connection too; GETs are retried.
  clerk.server.fault({ method: 'GET', path: '/v1/users', times: 2, fault: { kind: 'status', status: 503 } });
  clerk.server.fault({ method: 'GET', path: '/v1/users', times: 1, fault: { kind: 'drop' } });

  const made = await clerk.phone(['create', '--file', file, '--concurrency', '8', '--rate', '1000/1s'], { timeoutMs: 30_000 });
  assert.equal(made.code, 0, made.stderr);
  const madeLines = byLine(made, total);
  rows.forEach((row, i) => {
    const out = madeLines.get(i + 1)!;
    assert.equal(out.status, 'created', JSON.stringify(out));
    assert.equal(out.error, null);
    assert.deepEqual(out.input, row);
    assert.deepEqual(out.result, serverPhone(clerk.server, out.result?.id), `line ${i + 1}: the result is the object the server has`);
  });
  assertSeededExactlyOnce(rows);
  // Only the five 429s were sent again: a create after a 5xx or a dropped connection never is.
  assert.equal(createRequests(clerk.server).length, total + 5, 'POSTs: one per row plus one per 429');
  const perNumber = new Map<string, number>();
  for (const request of createRequests(clerk.server)) perNumber.set(postedNumber(request), (perNumber.get(postedNumber(request)) ?? 0) + 1);
  assert.equal(perNumber.size, total, 'every row was sent');
  // The eight unknown outcomes were each looked up; the lookups' own 503s and drop were retried.
  const unknown = createRequests(clerk.server)
    .slice(30 + 3 + 40, 30 + 3 + 40 + 4)
    .concat(createRequests(clerk.server).slice(30 + 3 + 40 + 4 + 40, 30 + 3 + 40 + 4 + 40 + 4))
    .map(postedNumber);
  assert.deepEqual([...new Set(lookups())].sort(), [...unknown].sort(), 'exactly the unknown outcomes were looked up');
  // Unknown outcomes at about the same time share a lookup: at most one each, plus the three faulted ones sent again.
  assert.ok(lookupRequests().length <= 8 + 3, `${lookupRequests().length} lookups`);
  assert.deepEqual(summary(made), { created: total, failed: 0 });

  // Teardown through faults of its own.
  const made1 = clerk.server.requests.length;
  const madeFile = join(tempDir('phone-faults-'), 'made.jsonl');
  writeFileSync(madeFile, made.stdout);
  passThrough('DELETE', PHONE_ID_PATH, 30);
  clerk.server.fault({ method: 'DELETE', path: PHONE_ID_PATH, times: 3, fault: { kind: 'status', status: 503 } });
  passThrough('DELETE', PHONE_ID_PATH, 30);
  clerk.server.fault({
    method: 'DELETE',
    path: PHONE_ID_PATH,
    times: 2,
    fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
  });
  passThrough('DELETE', PHONE_ID_PATH, 30);
  clerk.server.fault({ method: 'DELETE', path: PHONE_ID_PATH, times: 2, fault: { kind: 'drop' } });
  passThrough('DELETE', PHONE_ID_PATH, 30);
  clerk.server.fault({ method: 'DELETE', path: PHONE_ID_PATH, times: 2, fault: { kind: 'drop-after-commit' } });
  const torn = await clerk.phone(['delete', '--file', madeFile, '--yes', '--concurrency', '8', '--rate', '1000/1s'], { timeoutMs: 30_000 });
  assert.equal(torn.code, 0, torn.stderr);
  const tornLines = byLine(torn, total);
  const madeOrder = resultLines(made);
  for (const [k, out] of tornLines) {
    assert.equal(out.status, 'deleted', JSON.stringify(out));
    assert.equal(out.result!.id, madeOrder[k - 1]!.result!.id);
  }
  assert.deepEqual(clerk.server.phoneNumbers(), [], 'everything seeded is gone');
  const deletes = clerk.server.requests.slice(made1).filter((r) => r.method === 'DELETE');
  assert.equal(new Set(deletes.map((r) => r.path)).size, total);
  assert.deepEqual(summary(torn), { deleted: total, missing: 0, skipped: 0, failed: 0 });
});

/** 20 rows; the POSTs number `after`+1 … `after`+`times` get `fault`. Returns the run and the faulted numbers. */
async function runWithPostFault(fault: FaultRule['fault'], times: number, after = 5, extraArgs: string[] = []) {
  const { rows, file } = seed(20, 4);
  passThrough('POST', '/v1/phone_numbers', after);
  clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times, fault });
  const result = await clerk.phone(['create', '--file', file, ...extraArgs]);
  const faulted = createRequests(clerk.server)
    .slice(after, after + times)
    .map(postedNumber);
  assert.equal(faulted.length, times);
  return { rows, result, faulted, lines: byLine(result, rows.length) };
}

for (const [label, fault] of [
  ['a dropped connection after the create was committed', { kind: 'drop-after-commit' }],
  ['a 500 after the create was committed', { kind: 'error-after-commit', status: 500 }],
  ['a 502 after the create was committed', { kind: 'error-after-commit', status: 502 }],
] as [string, FaultRule['fault']][]) {
  test(`${label}: the row is created, resolved by a lookup, never sent twice`, async () => {
    const { rows, result, faulted, lines } = await runWithPostFault(fault, 3);
    assert.equal(result.code, 0, result.stderr);
    for (const [n, out] of lines) {
      assert.equal(out.status, 'created', `line ${n}: ${JSON.stringify(out)}`);
      assert.deepEqual(out.result, serverPhone(clerk.server, out.result?.id));
    }
    for (const n of faulted) {
      const out = [...lines.values()].find((line) => line.input.phone_number === n)!;
      assert.equal(out.result!.phone_number, n);
      assert.ok(lookups().includes(n), `${n} was looked up`);
      assert.equal(createRequests(clerk.server).filter((r) => postedNumber(r) === n).length, 1, `${n} was POSTed once`);
    }
    assert.equal(createRequests(clerk.server).length, rows.length, 'no POST was repeated');
    assertSeededExactlyOnce(rows);
    assert.deepEqual(summary(result), { created: 20, failed: 0 });
  });
}

test('a create that failed with 500 and applied nothing is failed after the lookup finds nothing; not sent again; exit 1', async () => {
  const { rows, result, faulted, lines } = await runWithPostFault({ kind: 'status', status: 500 }, 1);
  assert.equal(result.code, 1, result.stderr);
  const [n] = faulted;
  const failed = [...lines.values()].filter((line) => line.status === 'failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.input.phone_number, n);
  assert.equal(failed[0]!.result, null);
  assert.equal(failed[0]!.error!.status, 500);
  assert.ok(lookups().includes(n!), 'the number was looked up before failing the row');
  assert.equal(createRequests(clerk.server).filter((r) => postedNumber(r) === n).length, 1, 'not POSTed again');
  assert.ok(!clerk.server.phoneNumbers().some((p) => p.phone_number === n));
  assert.equal(clerk.server.phoneNumbers().length, rows.length - 1);
  for (const line of lines.values()) if (line !== failed[0]) assert.equal(line.status, 'created');
  assert.deepEqual(summary(result), { created: 19, failed: 1 });
});

test('a create dropped before it was applied is failed after the lookup finds nothing', async () => {
  const { result, faulted, lines } = await runWithPostFault({ kind: 'drop' }, 1);
  assert.equal(result.code, 1, result.stderr);
  const failed = [...lines.values()].filter((line) => line.status === 'failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0]!.input.phone_number, faulted[0]);
  assert.equal(failed[0]!.error!.status, null);
  assert.ok(lookups().includes(faulted[0]!));
  assert.equal(createRequests(clerk.server).filter((r) => postedNumber(r) === faulted[0]).length, 1);
  assert.equal(clerk.server.phoneNumbers().length, 19);
});

test('a create that timed out is resolved by a lookup, not sent again', async () => {
  const { result, faulted, lines } = await runWithPostFault({ kind: 'delay', ms: 3000 }, 1, 5, ['--timeout', '400']);
  assert.equal(result.code, 1, result.stderr);
  const failed = [...lines.values()].filter((line) => line.status === 'failed');
  assert.equal(failed.length, 1, result.stdout);
  assert.equal(failed[0]!.input.phone_number, faulted[0]);
  assert.equal(failed[0]!.error!.code, 'timeout');
  assert.ok(lookups().includes(faulted[0]!));
  assert.equal(createRequests(clerk.server).filter((r) => postedNumber(r) === faulted[0]).length, 1);
  assert.equal(clerk.server.phoneNumbers().length, 19);
});

// ---------------------------------------------------------------- authentication failure

test('a 401 mid-run stops it: rows not yet sent are failed with not_attempted, exit 4', async () => {
  const { rows, file } = seed(40, 4);
  passThrough('POST', '/v1/phone_numbers', 6);
  clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: Infinity, fault: { kind: 'status', status: 401 } });
  const result = await clerk.phone(['create', '--file', file]);
  assert.equal(result.code, 4, result.stderr);
  const lines = byLine(result, rows.length);
  const sent = new Set(createRequests(clerk.server).map(postedNumber));
  const created = new Set(clerk.server.phoneNumbers().map((p) => p.phone_number));
  assert.equal(created.size, 6);
  let notAttempted = 0;
  let refused = 0;
  for (const [n, out] of lines) {
    const phoneNumber = out.input.phone_number as string;
    if (created.has(phoneNumber)) {
      assert.equal(out.status, 'created', `line ${n}`);
      continue;
    }
    assert.equal(out.status, 'failed', `line ${n}: ${JSON.stringify(out)}`);
    assert.equal(out.result, null);
    if (sent.has(phoneNumber)) {
      refused++;
      assert.equal(out.error!.status, 401, `line ${n}: ${JSON.stringify(out.error)}`);
    } else {
      notAttempted++;
      assert.equal(out.error!.code, 'not_attempted', `line ${n}: ${JSON.stringify(out.error)}`);
      assert.equal(out.error!.status, null);
    }
  }
  assert.ok(refused >= 1, 'at least the first refused row');
  assert.ok(refused <= 4, `no more than the rows in flight got 401, saw ${refused}`);
  assert.ok(notAttempted >= rows.length - 6 - 4, `the rest were not attempted (${notAttempted})`);
  assert.equal(createRequests(clerk.server).length, 6 + refused, 'nothing was sent after the 401 but the rows already in flight');
  const counts = summary(result);
  assert.equal(counts.created, 6);
  assert.equal(counts.failed, refused);
  assert.equal(counts['not sent (not_attempted)'], notAttempted);
});

test('a wrong secret key from the start: one 401, every other row not_attempted, nothing created, exit 4', async () => {
  const { rows, file } = seed(25, 2);
  const result = await clerk.phone(['create', '--file', file, '--concurrency', '1'], {
    env: { CLERK_SECRET_KEY: 'sk_test_wrongkey000000000000000000000000000000wxyz' },
  });
  assert.equal(result.code, 4, result.stderr);
  const lines = byLine(result, rows.length);
  assert.equal(lines.get(1)!.status, 'failed');
  assert.equal(lines.get(1)!.error!.status, 401);
  for (let n = 2; n <= rows.length; n++) {
    assert.equal(lines.get(n)!.status, 'failed');
    assert.equal(lines.get(n)!.error!.code, 'not_attempted', `line ${n}`);
  }
  assert.equal(createRequests(clerk.server).length, 1);
  assert.deepEqual(clerk.server.phoneNumbers(), []);
  assert.ok(!result.stdout.includes('wrongkey') && !result.stderr.includes('wrongkey'), 'the key is never printed');
  assert.deepEqual(summary(result), { created: 0, failed: 1, 'not sent (not_attempted)': 24 });
});

test('a 403 stops the run the same way, exit 4', async () => {
  const { rows, file } = seed(10, 2);
  const result = await clerk.phone(['create', '--file', file, '--concurrency', '1'], {
    env: { CLERK_SECRET_KEY: 'sk_test_forbidden000000000000000000000000000000abcd' },
  });
  assert.equal(result.code, 4, result.stderr);
  const lines = byLine(result, rows.length);
  assert.equal(lines.get(1)!.error!.status, 403);
  for (let n = 2; n <= rows.length; n++) assert.equal(lines.get(n)!.error!.code, 'not_attempted', `line ${n}`);
  assert.equal(createRequests(clerk.server).length, 1);
});

// ---------------------------------------------------------------- rate limits

test('a 429 with Retry-After pauses every worker until it has passed', async () => {
  const { rows, file } = seed(24, 4);
  passThrough('POST', '/v1/phone_numbers', 8);
  clerk.server.fault({
    method: 'POST',
    path: '/v1/phone_numbers',
    times: 1,
    fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
  });
  const result = await clerk.phone(['create', '--file', file, '--concurrency', '4']);
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(result, rows.length);
  for (const out of lines.values()) assert.equal(out.status, 'created');
  assertSeededExactlyOnce(rows);
  const limited = createRequests(clerk.server)[8]!;
  // Requests already on their way when the 429 was answered may still arrive just after it; then nothing until Retry-After passed.
  const during = clerk.server.requests.filter((r) => r.at > limited.at + 150 && r.at < limited.at + 900);
  assert.deepEqual(
    during.map((r) => `${r.method} ${r.path} +${r.at - limited.at}ms`),
    [],
    'no request while the Retry-After of 1 s runs',
  );
});

test("a rate-limited server (20 requests a second): 100 rows, none failed, at the limit's pace, exit 0", async () => {
  const { rows, file } = seed(100, 5);
  clerk.server.rateLimit({ requests: 20, perMs: 1000 });
  const started = performance.now();
  // Paced above the limit, so that it is the server's 429s that slow the run down.
  const result = await clerk.phone(['create', '--file', file, '--concurrency', '8', '--rate', '100/1s'], { timeoutMs: 40_000 });
  const elapsed = performance.now() - started;
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(result, rows.length);
  for (const [n, out] of lines) {
    assert.equal(out.status, 'created', `line ${n}: ${JSON.stringify(out.error)}`);
    assert.deepEqual(out.result, serverPhone(clerk.server, out.result?.id));
  }
  assertSeededExactlyOnce(rows);
  assert.ok(createRequests(clerk.server).length > rows.length, 'the server did refuse some requests with 429');
  // 100 admitted requests at 20 a second: the last window opens after 4 s.
  assert.ok(elapsed >= 3_800, `took ${Math.round(elapsed)} ms; the limit allows no less than about 4 s`);
  assert.deepEqual(summary(result), { created: 100, failed: 0 });
});

// ---------------------------------------------------------------- interruption

/** The CLI against the fake server, handed back so the test can signal it. */
function spawnCli(args: string[], timeoutMs?: number) {
  return spawnAgainst(args, { CLERK_SECRET_KEY: clerk.server.secretKey, CLERK_API_URL: clerk.server.url }, timeoutMs);
}

async function interruptMidRun(signal: NodeJS.Signals): Promise<void> {
  const { rows, file } = seed(40, 4);
  clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: Infinity, fault: { kind: 'delay', ms: 400 } });
  const run = spawnCli(['create', '--file', file, '--concurrency', '2']);
  await Promise.race([run.firstLine, run.done]);
  run.child.kill(signal);
  const result = await run.done;
  assert.equal(result.signal, null, 'the CLI ends by itself, not killed by the signal');
  assert.equal(result.code, 130, result.stderr);
  const lines = byLine(result, rows.length);
  const sent = new Set(createRequests(clerk.server).map(postedNumber));
  const onServer = new Set(clerk.server.phoneNumbers().map((p) => p.phone_number));
  let created = 0;
  let interrupted = 0;
  for (const [n, out] of lines) {
    const phoneNumber = out.input.phone_number as string;
    if (out.status === 'created') {
      created++;
      assert.ok(onServer.has(phoneNumber), `line ${n} is on the server`);
      assert.deepEqual(out.result, serverPhone(clerk.server, out.result?.id));
    } else {
      interrupted++;
      assert.equal(out.status, 'failed', `line ${n}: ${JSON.stringify(out)}`);
      assert.equal(out.result, null);
      assert.equal(out.error!.code, 'interrupted', `line ${n}: ${JSON.stringify(out.error)}`);
      assert.equal(out.error!.status, null);
      assert.ok(!sent.has(phoneNumber), `line ${n} was never sent`);
    }
  }
  assert.ok(created >= 1, 'the rows before the signal were created');
  assert.ok(interrupted >= 1, 'the run stopped before the end');
  assert.equal(created + interrupted, rows.length);
  // Rows in flight finished and were reported: everything sent is on the server and reported as created.
  assert.deepEqual([...sent].sort(), [...onServer].sort());
  assert.equal(onServer.size, created);
  const counts = summary(result);
  assert.equal(counts.created, created);
  assert.equal(counts.failed, 0);
  assert.equal(counts['not sent (interrupted)'], interrupted);
}

test('SIGINT in the middle of a run: rows in flight finish, the rest are reported as interrupted, exit 130', async () => {
  await interruptMidRun('SIGINT');
});

test('SIGTERM in the middle of a run does the same', async () => {
  await interruptMidRun('SIGTERM');
});

test('a second SIGINT quits at once, without waiting for the rows in flight', async () => {
  const { file } = seed(10, 2);
  clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: Infinity, fault: { kind: 'delay', ms: 60_000 } });
  const run = spawnCli(['create', '--file', file, '--concurrency', '2'], 10_000);
  for (let i = 0; i < 200 && createRequests(clerk.server).length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.equal(createRequests(clerk.server).length, 2, 'both workers are waiting for the server');
  run.child.kill('SIGINT');
  await new Promise((resolve) => setTimeout(resolve, 300));
  run.child.kill('SIGINT');
  const result = await run.done; // would wait for the 60 s replies (and time out) if the second SIGINT did not quit
  assert.equal(result.code, 130, result.stderr);
});
