// Batch runs look numbers up 100 a request (issue #14): counted at the fake server, with the result
// lines as they were; and the backup rows of `phone list --all -o jsonl` restored by `create --file`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FakeClerk, FakeUser, RecordedRequest } from './fake-clerk/server.ts';
import { createRequests, jsonl, number, writeInput } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { byLine, errorJson, summary } from './helpers/results.ts';

const clerk = useFakeClerk();
const FAST = ['--rate', '1000/1s'];

// ---------------------------------------------------------------- helpers

function lookupRequests(): RecordedRequest[] {
  return clerk.server.requests.filter((r) => r.method === 'GET' && r.path === '/v1/users');
}

const numbersOf = (request: RecordedRequest) => new URL(request.url, 'http://x').searchParams.getAll('phone_number');

/** Every lookup carried 1 to 100 numbers (Clerk refuses more) and asked for pages of 500 (its default is 10). */
function assertLookupsWellFormed(): void {
  for (const request of lookupRequests()) {
    const count = numbersOf(request).length;
    assert.ok(count >= 1 && count <= 100, `${count} phone_number values in ${request.url.slice(0, 80)}…`);
    assert.equal(request.query.limit, '500', request.url.slice(0, 80));
  }
}

interface Row {
  user_id: string;
  phone_number: string;
  verified?: boolean;
}

/** `count` rows over users of four numbers each; with `seeded`, the server already has every number. */
function seedFile(count: number, seeded: boolean): { rows: Row[]; file: string } {
  const users = Array.from({ length: Math.ceil(count / 4) }, () => clerk.server.addUser());
  const rows = Array.from({ length: count }, (_, i) => ({
    user_id: users[Math.floor(i / 4)]!.id,
    phone_number: number(i),
    ...(i % 3 === 0 ? { verified: true } : {}),
  }));
  if (seeded) for (const row of rows) clerk.server.addPhoneNumber(row.user_id, row.phone_number, { verified: row.verified });
  return { rows, file: writeInput('seed.jsonl', jsonl(rows)) };
}

/** The result line a `skipped` row has always had, byte for byte: the existing object as `result`. */
function skippedLine(line: number, row: Row, server: FakeClerk): string {
  const existing = server.user(row.user_id)!.phone_numbers.find((p) => p.phone_number === row.phone_number);
  assert.ok(existing, `${row.phone_number} on ${row.user_id}`);
  return JSON.stringify({ line, status: 'skipped', input: row, result: existing, error: null });
}

// ---------------------------------------------------------------- --skip-existing

for (const total of [250, 1000]) {
  test(`re-running a seeded file of ${total} rows with --skip-existing: ⌈N/100⌉ + 1 requests at most, no POST, every row skipped as before`, async () => {
    const { rows, file } = seedFile(total, true);
    const before = clerk.server.phoneNumbers();
    const result = await clerk.phone(['create', '--file', file, '--skip-existing']);
    assert.equal(result.code, 0, result.stderr);
    assert.ok(clerk.server.requests.length <= Math.ceil(total / 100) + 1, `${clerk.server.requests.length} requests for ${total} rows`);
    assert.equal(createRequests(clerk.server).length, 0, 'no POST');
    assertLookupsWellFormed();
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines.length, total);
    assert.deepEqual(new Set(lines), new Set(rows.map((row, i) => skippedLine(i + 1, row, clerk.server))));
    byLine(result, total);
    assert.deepEqual(clerk.server.phoneNumbers(), before, 'nothing created or changed');
    assert.deepEqual(summary(result), { created: 0, skipped: total, failed: 0 });
  });

  test(`a first run of ${total} new rows with --skip-existing: N + ⌈N/100⌉ + 1 requests at most, one POST a row`, async () => {
    const { rows, file } = seedFile(total, false);
    const result = await clerk.phone(['create', '--file', file, '--skip-existing', ...FAST], { timeoutMs: 60_000 });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(clerk.server.requests.length <= total + Math.ceil(total / 100) + 1, `${clerk.server.requests.length} requests`);
    assert.equal(createRequests(clerk.server).length, total);
    assertLookupsWellFormed();
    for (const [i, out] of byLine(result, total)) {
      assert.equal(out.status, 'created', JSON.stringify(out));
      assert.deepEqual(out.input, rows[i - 1]);
    }
    assert.equal(clerk.server.phoneNumbers().length, total);
  });
}

test('a lookup answering with 100 heavy users (over 1 MiB, as users with full metadata make it) is read whole: every row skipped', async () => {
  // 12 kB a user (a name standing in for metadata): 100 holders make a 1.2 MiB answer, past a single object's bound.
  const rows = Array.from({ length: 100 }, (_, i) => {
    const user = clerk.server.addUser({ firstName: 'x'.repeat(12_000) });
    clerk.server.addPhoneNumber(user.id, number(i));
    return { user_id: user.id, phone_number: number(i) };
  });
  const result = await clerk.phone(['create', '--file', writeInput('seed.jsonl', jsonl(rows)), '--skip-existing']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(summary(result), { created: 0, skipped: 100, failed: 0 });
  assert.equal(createRequests(clerk.server).length, 0, 'no POST');
  assert.equal(lookupRequests().length, 1);
});

test('a number held by two users: each row gets its own user’s object or a create; never the other user’s', async () => {
  const [a, b, c] = [clerk.server.addUser(), clerk.server.addUser(), clerk.server.addUser()];
  const onA = clerk.server.addPhoneNumber(a.id, number(1));
  clerk.server.addPhoneNumber(b.id, number(1));
  const file = writeInput(
    'seed.jsonl',
    jsonl([
      { user_id: a.id, phone_number: number(1) },
      { user_id: c.id, phone_number: number(1) },
    ]),
  );
  const result = await clerk.phone(['create', '--file', file, '--skip-existing']);
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(result, 2);
  assert.equal(lines.get(1)!.status, 'skipped');
  assert.deepEqual(lines.get(1)!.result, onA);
  assert.equal(lines.get(2)!.status, 'created', 'unverified elsewhere, Clerk lets a third user add it');
  assert.equal(createRequests(clerk.server).length, 1);
  assert.equal(lookupRequests().length, 1);
});

test('more holders than a page (600 users share an unverified number): the next page is asked for, the row is skipped', async () => {
  const users = Array.from({ length: 600 }, () => clerk.server.addUser());
  for (const user of users) clerk.server.addPhoneNumber(user.id, number(1));
  const rows = [users[0]!, users[599]!].map((user) => ({ user_id: user.id, phone_number: number(1) }));
  const result = await clerk.phone(['create', '--file', writeInput('seed.jsonl', jsonl(rows)), '--skip-existing']);
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(result, 2);
  rows.forEach((row, i) => assert.equal(JSON.stringify(lines.get(i + 1)), skippedLine(i + 1, row, clerk.server)));
  assert.deepEqual(
    lookupRequests().map((r) => r.query.offset),
    [undefined, '500'],
  );
  assert.equal(createRequests(clerk.server).length, 0);
});

test('a lookup ahead that fails: its rows are sent as without it, settled as ever; one line each, the same lines, nothing twice', async () => {
  const { rows } = seedFile(150, true);
  const extra = { user_id: rows[0]!.user_id, phone_number: number(900) };
  const file = writeInput('seed.jsonl', jsonl([...rows, extra]));
  // The first lookup (the first 100 rows' numbers) fails for good; the rest answer.
  clerk.server.fault({ method: 'GET', path: '/v1/users', times: 1, fault: { kind: 'status', status: 503 } });
  const result = await clerk.phone(['create', '--file', file, '--skip-existing', '--retries', '0', ...FAST]);
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(result, rows.length + 1);
  for (const [i, row] of rows.entries()) assert.equal(JSON.stringify(lines.get(i + 1)), skippedLine(i + 1, row, clerk.server));
  assert.equal(lines.get(rows.length + 1)!.status, 'created');
  // The failed lookup's rows were POSTed, refused as taken and looked up again; no number was sent twice.
  const posted = createRequests(clerk.server).map((r) => (r.body as Row).phone_number);
  assert.equal(new Set(posted).size, posted.length, 'each number POSTed once at most');
  assert.equal(posted.length, 100 + 1, 'the 100 rows of the failed lookup, and the new number');
  assert.equal(clerk.server.phoneNumbers().length, rows.length + 1);
  assertLookupsWellFormed();
});

test('lookups failing for good: every row still gets one line, failed as today, and nothing is created twice', async () => {
  const { rows, file } = seedFile(120, true);
  clerk.server.fault({ method: 'GET', path: '/v1/users', times: Infinity, fault: { kind: 'status', status: 500 } });
  const result = await clerk.phone(['create', '--file', file, '--skip-existing', '--retries', '0', ...FAST]);
  assert.equal(result.code, 1, result.stderr);
  for (const out of byLine(result, rows.length).values()) {
    assert.equal(out.status, 'failed');
    assert.equal(out.error!.code, 'form_identifier_exists', 'the create’s own answer, as when its lookup failed before');
  }
  assert.equal(createRequests(clerk.server).length, rows.length);
  assert.equal(clerk.server.phoneNumbers().length, rows.length);
});

test('a lookup refused for the key stops the run once: one 401 line a lookup sent, every other row not_attempted, exit 4', async () => {
  const { rows, file } = seedFile(150, true);
  const result = await clerk.phone(['create', '--file', file, '--skip-existing'], {
    env: { CLERK_SECRET_KEY: 'sk_test_wrongkey000000000000000000000000000000wxyz' },
  });
  assert.equal(result.code, 4, result.stderr);
  const lines = [...byLine(result, rows.length).values()];
  const refused = lines.filter((line) => line.error?.status === 401);
  assert.equal(refused.length, lookupRequests().length, 'the rows sharing a refused lookup report it once');
  assert.ok(refused.length >= 1 && clerk.server.requests.length <= 2, `${clerk.server.requests.length} requests`);
  for (const line of lines) if (!refused.includes(line)) assert.equal(line.error!.code, 'not_attempted', JSON.stringify(line));
  assert.equal(createRequests(clerk.server).length, 0);
});

test('unknown outcomes are settled by lookups of several numbers at once, never by a second POST', async () => {
  const { rows, file } = seedFile(40, false);
  clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 10, fault: { kind: 'delay', ms: 0 } });
  clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 12, fault: { kind: 'error-after-commit', status: 503 } });
  const result = await clerk.phone(['create', '--file', file, '--concurrency', '16', ...FAST]);
  assert.equal(result.code, 0, result.stderr);
  for (const out of byLine(result, rows.length).values()) assert.equal(out.status, 'created', JSON.stringify(out));
  const unknown = createRequests(clerk.server)
    .slice(10, 22)
    .map((r) => (r.body as Row).phone_number);
  assert.deepEqual([...new Set(lookupRequests().flatMap(numbersOf))].sort(), unknown.sort(), 'exactly the unknown outcomes looked up');
  assert.ok(lookupRequests().length <= unknown.length, `${lookupRequests().length} lookups for ${unknown.length} unknown outcomes`);
  assert.equal(createRequests(clerk.server).length, rows.length, 'no POST repeated');
  assertLookupsWellFormed();
});

// ---------------------------------------------------------------- delete --file with numbers

test('delete --file with +E164 rows: looked up 100 a request; unknown numbers missing, shared ones failed', async () => {
  const { rows } = seedFile(250, true);
  const [x, y] = [clerk.server.addUser(), clerk.server.addUser()];
  clerk.server.addPhoneNumber(x.id, number(5000));
  clerk.server.addPhoneNumber(y.id, number(5000));
  const byId = clerk.server.addPhoneNumber(x.id, number(5001));
  const spaced = (n: string) => `${n.slice(0, 2)} (${n.slice(2, 5)}) ${n.slice(5, 8)}-${n.slice(8)}`;
  const lines = [
    ...rows.map((row, i) => (i % 2 ? row.phone_number : spaced(row.phone_number))),
    JSON.stringify({ id: number(4000) }),
    number(5000),
    byId.id,
  ];
  const result = await clerk.phone(['delete', '--file', writeInput('numbers.txt', `${lines.join('\n')}\n`), '--yes', ...FAST]);
  assert.equal(result.code, 1, result.stderr);
  const out = byLine(result, lines.length);
  for (let i = 1; i <= rows.length; i++) assert.equal(out.get(i)!.status, 'deleted', JSON.stringify(out.get(i)));
  assert.equal(out.get(rows.length + 1)!.status, 'missing', 'a number nobody holds');
  const shared = out.get(rows.length + 2)!;
  assert.equal(shared.status, 'failed');
  assert.equal(shared.error!.code, 'ambiguous_phone_number');
  assert.match(shared.error!.message, new RegExp(`held by 2 users \\((${x.id}, ${y.id}|${y.id}, ${x.id})\\)`));
  assert.equal(out.get(rows.length + 3)!.status, 'deleted');
  assert.equal(clerk.server.phoneNumbers().length, 2, 'only the shared number is left, on both users');
  assert.ok(lookupRequests().length <= Math.ceil(252 / 100) + 1, `${lookupRequests().length} lookups`);
  assert.equal(clerk.server.requests.filter((r) => r.method === 'DELETE').length, rows.length + 1);
  assertLookupsWellFormed();
});

// ---------------------------------------------------------------- backup and restore

/** The rows `phone list --all -o jsonl` writes: each number with its holder's `user_id` first and `primary` last. */
/** What a restore must bring back, per user: each number with its verification and flags. */
function restorable(users: FakeUser[]) {
  return users
    .flatMap((user) =>
      user.phone_numbers.map((p) => ({
        user: user.id,
        number: p.phone_number,
        verified: p.verification?.status === 'verified',
        primary: user.primary_phone_number_id === p.id,
        secondFactor: p.reserved_for_second_factor,
      })),
    )
    .sort((p, q) => p.number.localeCompare(q.number));
}

test('round trip: list --all -o jsonl backs up, delete every number, restore with --skip-existing, the same numbers and flags; again: nothing created', async () => {
  const [a, b, c] = [clerk.server.addUser(), clerk.server.addUser(), clerk.server.addUser()];
  clerk.server.addUser(); // no numbers
  clerk.server.addPhoneNumber(a.id, number(1), { verified: true });
  clerk.server.addPhoneNumber(a.id, number(2));
  clerk.server.addPhoneNumber(b.id, number(3), { verified: true, reservedForSecondFactor: true });
  clerk.server.addPhoneNumber(b.id, number(4), { verified: true, primary: true });
  clerk.server.addPhoneNumber(c.id, number(5));
  const original = restorable(clerk.server.users());
  const listed = await clerk.phone(['list', '--all', '-o', 'jsonl']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout.trim().split('\n').length, 5);
  const backup = writeInput('backup.jsonl', listed.stdout);

  const wiped = await clerk.phone(['delete', '--file', backup, '--yes', ...FAST]);
  assert.equal(wiped.code, 0, wiped.stderr);
  assert.deepEqual(clerk.server.phoneNumbers(), []);

  clerk.server.requests.length = 0;
  const restored = await clerk.phone(['create', '--file', backup, '--skip-existing', ...FAST]);
  assert.equal(restored.code, 0, restored.stderr);
  assert.deepEqual(summary(restored), { created: 5, skipped: 0, failed: 0 });
  assert.deepEqual(restorable(clerk.server.users()), original);
  const verifiedBody = createRequests(clerk.server).find((r) => (r.body as Row).phone_number === number(3))!.body;
  assert.deepEqual(verifiedBody, {
    user_id: b.id,
    phone_number: number(3),
    verified: true,
    primary: false,
    reserved_for_second_factor: true,
  });

  clerk.server.requests.length = 0;
  const again = await clerk.phone(['create', '--file', backup, '--skip-existing']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(summary(again), { created: 0, skipped: 5, failed: 0 });
  assert.equal(createRequests(clerk.server).length, 0);
  assert.equal(clerk.server.requests.length, 1, 'one lookup for the five numbers');
  assert.deepEqual(restorable(clerk.server.users()), original);
});

test('a backup row with a field of the wrong type fails alone; an ordinary row is still strict about unknown fields', async () => {
  const user = clerk.server.addUser();
  const row = { user_id: user.id, id: 'idn_old', object: 'phone_number', phone_number: number(1), verification: null, primary: true };
  const file = writeInput(
    'backup.jsonl',
    jsonl([
      row,
      { ...row, phone_number: number(2), verification: 'verified' },
      { ...row, phone_number: number(3), primary: 'maybe' },
      { user_id: user.id, phone_number: number(4), id: 'idn_old' },
    ]),
  );
  const result = await clerk.phone(['create', '--file', file]);
  assert.equal(result.code, 1, result.stderr);
  const lines = byLine(result, 4);
  assert.equal(lines.get(1)!.status, 'created');
  assert.equal(lines.get(1)!.result!.verification, null);
  for (const [line, field] of [
    [2, /verification must be an object or null/],
    [3, /primary must be true or false/],
    [4, /unknown field id/],
  ] as const) {
    assert.equal(lines.get(line)!.status, 'failed');
    assert.match(lines.get(line)!.error!.message, field);
  }
  assert.deepEqual(
    createRequests(clerk.server).map((r) => r.body),
    [{ user_id: user.id, phone_number: number(1), verified: false, primary: true }],
  );
});

test('a backup written as a JSON array (list --all piped without -o jsonl) is refused as JSON, pointing at -o jsonl; nothing sent', async () => {
  clerk.server.addPhoneNumber(clerk.server.addUser().id, number(1));
  const listed = await clerk.phone(['list', '--all']);
  assert.equal(listed.code, 0, listed.stderr);
  for (const content of [listed.stdout, `${JSON.stringify(JSON.parse(listed.stdout))}\n`]) {
    clerk.server.requests.length = 0;
    const result = await clerk.phone(['create', '--file', writeInput('backup.json', content), '--skip-existing']);
    assert.equal(result.code, 2, result.stderr);
    const error = errorJson(result);
    assert.equal(error.code, 'unreadable_input');
    assert.match(error.message, /line 1 is not a JSON object: \[.* \(a JSON array: phone list --all -o jsonl writes JSON Lines\)/);
    assert.deepEqual(clerk.server.requests, []);
  }
});
