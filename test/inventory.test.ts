// `phone list --all`: a cursor walk over every user, one row per phone number, streamed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FakeUser } from './fake-clerk/server.ts';
import { assertUsageFailure, json, jsonl, number } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { errorJson } from './helpers/results.ts';
import { tempDir } from './helpers/run-cli.ts';
import { needsTty, runInTty } from './helpers/tty.ts';

const clerk = useFakeClerk();

/**
 * `count` users, oldest first, each with a number; every 3rd is verified, every 6th also holds a
 * verified +44 number reserved for second factor, every 10th has no number at all.
 */
function seed(count: number): void {
  for (let i = 0; i < count; i++) {
    const user = clerk.server.addUser();
    if (i % 10 === 9) continue;
    clerk.server.addPhoneNumber(user.id, number(i), { verified: i % 3 === 0 });
    if (i % 6 === 0)
      clerk.server.addPhoneNumber(user.id, `+4477009${String(i).padStart(5, '0')}`, { verified: true, reservedForSecondFactor: true });
  }
}

/** The rows `list --all` should print for these users, in walk order. */
function rowsOf(users: FakeUser[]): Record<string, unknown>[] {
  return users.flatMap((user) =>
    user.phone_numbers.map((phone) => ({ user_id: user.id, ...phone, primary: phone.id === user.primary_phone_number_id })),
  );
}

const pages = () => clerk.server.requests.filter((r) => r.path === '/v1/users');
const counts = () => clerk.server.requests.filter((r) => r.path === '/v1/users/count');

test('walks every user with limit=500, order_by=+created_at and the last id as cursor, stopping at the first short page', async () => {
  seed(1203);
  const result = await clerk.phone(['list', '--all']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  const users = clerk.server.users();
  assert.equal(result.stdout, json(rowsOf(users)), 'a JSON array of every row, user_id first and primary last');
  const sent = pages();
  assert.deepEqual(
    sent.map((r) => r.query),
    [
      { limit: '500', order_by: '+created_at' },
      { limit: '500', order_by: '+created_at', starting_after: users[499]!.id },
      { limit: '500', order_by: '+created_at', starting_after: users[999]!.id },
    ],
  );
  assert.ok(
    sent.every((r) => r.url.includes('order_by=%2Bcreated_at')),
    'the + of +created_at is percent-encoded',
  );
  assert.equal(counts().length, 0, 'no count off a terminal');
});

test('a walk of exactly 1000 users ends at the empty third page; no users prints []', async () => {
  seed(1000);
  const result = await clerk.phone(['list', '--all', '-o', 'jsonl']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, jsonl(rowsOf(clerk.server.users())));
  assert.equal(pages().length, 3);
  clerk.server.reset();
  const empty = await clerk.phone(['list', '--all']);
  assert.equal(empty.stdout, '[]\n');
  assert.equal((await clerk.phone(['list', '--all', '-o', 'jsonl'])).stdout, '');
  assert.equal((await clerk.phone(['list', '--all', '-o', 'table'])).stdout, 'No phone numbers.\n');
});

test('users added during the walk come exactly once, after the ones before them; none is skipped', async () => {
  seed(1000);
  const added: string[] = [];
  const addUsers = (n: number) => {
    for (let i = 0; i < n; i++) {
      const user = clerk.server.addUser();
      clerk.server.addPhoneNumber(user.id, `+1555${String(added.length).padStart(7, '0')}`);
      added.push(user.id);
    }
  };
  // Before the second page is answered, and again before the third.
  clerk.server.onRequest((_request, seen) => {
    if (seen === 2) addUsers(300);
    if (seen === 3) addUsers(40);
  });
  const result = await clerk.phone(['list', '--all', '-o', 'jsonl']);
  assert.equal(result.code, 0, result.stderr);
  const rows = result.stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { user_id: string; id: string });
  const expected = rowsOf(clerk.server.users());
  assert.deepEqual(
    rows.map((row) => [row.user_id, row.id]),
    expected.map((row) => [row.user_id, row.id]),
    'every user once, in creation order',
  );
  assert.equal(new Set(rows.map((row) => row.id)).size, rows.length, 'no repeat');
  assert.ok(added.every((id) => rows.some((row) => row.user_id === id)));
  assert.equal(pages().length, 3, '500 + 500 + 340: the third page is short');
});

test('--status, --second-factor and --primary filter the rows; a number without verification is unverified', async () => {
  seed(40);
  const all = rowsOf(clerk.server.users());
  const status = (row: Record<string, unknown>) => (row.verification as { status?: string } | null)?.status ?? 'unverified';
  const cases: [string[], (row: Record<string, unknown>) => boolean][] = [
    [['--status', 'verified'], (row) => status(row) === 'verified'],
    [['--status', 'unverified'], (row) => row.verification === null && row.reserved === false],
    [['--status', 'Verified, unverified, reserved'], () => true],
    [['--status', 'expired'], () => false],
    [['--second-factor'], (row) => row.reserved_for_second_factor === true],
    [['--primary'], (row) => row.primary === true],
    [['--primary', '--status', 'verified'], (row) => row.primary === true && status(row) === 'verified'],
  ];
  for (const [flags, keep] of cases) {
    const result = await clerk.phone(['list', '--all', ...flags, '-o', 'jsonl']);
    assert.equal(result.code, 0, result.stderr);
    const expected = all.filter(keep);
    assert.equal(result.stdout, jsonl(expected), flags.join(' '));
    if (/expired|reserved/.test(flags.join(' '))) continue;
    assert.ok(expected.length > 0 && expected.length < all.length, `${flags.join(' ')} is a real filter`);
  }
  assert.ok(
    pages().every((r) => !('phone_number_query' in r.query)),
    'filtered client-side',
  );
});

test('a reserved number without a verification has the status reserved', async () => {
  const user = clerk.server.addUser();
  const response = await fetch(`${clerk.server.url}/v1/users/${user.id}/phone_number`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${clerk.server.secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ phone_number: '+12015550100', identification_status: 'reserved' }),
  });
  assert.equal(response.status, 200);
  const other = clerk.server.addUser();
  clerk.server.addPhoneNumber(other.id, '+12015550101');
  const result = await clerk.phone([
    'list',
    '--all',
    '--status',
    'reserved',
    '-o',
    'jsonl',
    '--fields',
    'phone_number,verification,reserved',
  ]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '{"phone_number":"+12015550100","verification":null,"reserved":true}\n');
  const unverified = await clerk.phone(['list', '--all', '--status', 'unverified', '-o', 'jsonl', '--fields', 'phone_number']);
  assert.equal(unverified.stdout, '{"phone_number":"+12015550101"}\n');
});

test('a status Clerk may add is accepted as it is: the rows carrying it are kept', async () => {
  const user = clerk.server.addUser();
  clerk.server.addPhoneNumber(user.id, '+12015550100');
  const page = JSON.stringify([
    { ...clerk.server.user(user.id)!, phone_numbers: [{ id: 'idn_1', verification: { status: 'transferable' } }] },
  ]);
  clerk.server.fault({ path: '/v1/users', fault: { kind: 'status', status: 200, body: JSON.parse(page) } });
  const result = await clerk.phone(['list', '--all', '--status', 'transferable', '-o', 'jsonl', '--fields', 'user_id,id,primary']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, `{"user_id":"${user.id}","id":"idn_1","primary":false}\n`);
});

test('--search sends phone_number_query, the + percent-encoded, separators dropped', async () => {
  seed(30);
  const result = await clerk.phone(['list', '--all', '--search', '+44 770', '-o', 'jsonl']);
  assert.equal(result.code, 0, result.stderr);
  const [request] = pages();
  assert.match(request!.url, /[?&]phone_number_query=%2B44770(&|$)/);
  const uk = clerk.server.users().filter((u) => u.phone_numbers.some((p) => p.phone_number.startsWith('+44770')));
  assert.equal(result.stdout, jsonl(rowsOf(uk)), 'every number of the users found, the +1 ones included');
});

test('usage errors: exit 2 and no request', async () => {
  const cases: [string[], RegExp][] = [
    [['list'], /--user-id <id> to list one user, or --all/],
    [['list', '--all', '--user-id', 'user_1'], /--all and --user-id cannot be combined/],
    [['list', '--user-id', 'user_1', '--search', '44'], /--search only applies with --all/],
    [['list', '--status', 'verified'], /--status only applies with --all/],
    [['list', '--user-id', 'user_1', '--primary'], /--primary only applies with --all/],
    [['list', '--all', '--search', '44a'], /--search must be 1 to 15 digits/],
    [['list', '--all', '--search', '+'], /--search must be/],
    [['list', '--all', '--search', '1'.repeat(16)], /--search must be/],
    [['list', '--all', '--status', 'verified,'], /--status takes up to 10/],
    [['list', '--all', '--status', 'ver ified\u001b'], /--status takes/],
    [['list', '--all', '--fields', 'user_idd'], /unknown field "user_idd"/],
  ];
  for (const [args, message] of cases) {
    const result = await clerk.phone([...args, '--json']);
    assertUsageFailure(result, args.join(' '), clerk.server);
    const error = errorJson(result);
    assert.equal(error.code, 'usage');
    assert.match(error.message, message);
  }
});

test('a table off a terminal: fixed columns, values escaped; --fields picks the columns', async () => {
  const user = clerk.server.addUser({ id: 'user_a' });
  clerk.server.addPhoneNumber(user.id, '+12015550100', { verified: true, reservedForSecondFactor: true });
  clerk.server.addPhoneNumber(user.id, '+12015550101');
  const hostile = clerk.server.addUser({ id: 'user_b' });
  const page = [
    clerk.server.user(user.id),
    { ...clerk.server.user(hostile.id), phone_numbers: [{ id: 'idn_\u001b]0;x\u0007', phone_number: '+1\n2' }] },
  ];
  clerk.server.fault({ path: '/v1/users', fault: { kind: 'status', status: 200, body: page } });
  const result = await clerk.phone(['list', '--all', '-o', 'table']);
  assert.equal(result.code, 0, result.stderr);
  const [first, second] = clerk.server.user(user.id)!.phone_numbers;
  const line = (cells: string[]) =>
    `${cells
      .map((cell, i) => cell.padEnd([32, 32, 16, 10, 7, 3][i]!))
      .join('  ')
      .trimEnd()}\n`;
  assert.equal(
    result.stdout,
    line(['User', 'ID', 'Number', 'Status', 'Primary', '2FA']) +
      line(['user_a', first!.id, '+12015550100', 'verified', 'yes', 'yes']) +
      line(['user_a', second!.id, '+12015550101', 'unverified', 'no', 'no']) +
      line(['user_b', 'idn_\\x1b]0;x\\x07', '+1\\n2', 'unverified', 'no', '—']),
  );
  clerk.server.fault({ path: '/v1/users', fault: { kind: 'status', status: 200, body: page } });
  const picked = await clerk.phone(['list', '--all', '-o', 'table', '--fields', 'phone_number,primary']);
  assert.equal(
    picked.stdout,
    `${'phone_number'.padEnd(24)}  primary\n${'+12015550100'.padEnd(24)}  true\n${'+12015550101'.padEnd(24)}  false\n${'+1\\n2'.padEnd(24)}  false\n`,
  );
});

test('on a terminal: a progress line of users read of /v1/users/count, asked with the same filters', needsTty, async () => {
  seed(1100);
  const out = join(tempDir(), 'rows.json');
  const result = await runInTty(['list', '--all', '--search', '+1201'], { env: { ...clerk.env, NO_COLOR: '1' }, redirect: `> ${out}` });
  assert.equal(result.code, 0, result.output);
  const found = clerk.server.users().filter((u) => u.phone_numbers.some((p) => p.phone_number.includes('+1201')));
  const total = found.length;
  assert.ok(total > 500 && total < 1100, `a real filter: ${total}`);
  assert.ok(result.output.includes(`users read: 500 of ${total}`), result.output);
  assert.ok(result.output.includes(`users read: ${total} of ${total}`), result.output);
  assert.ok(result.output.endsWith('\x1b[2K'), 'the line is cleared at the end');
  assert.deepEqual(
    counts().map((r) => r.query),
    [{ phone_number_query: '+1201' }],
  );
  assert.ok(counts()[0]!.url.includes('phone_number_query=%2B1201'));
  assert.equal(clerk.server.requests[0]!.path, '/v1/users/count', 'the total first');
  assert.equal(readFileSync(out, 'utf8'), json(rowsOf(found)));
});

test(
  'a table on the terminal shares it with the progress line: the line is cleared before each page, every row whole',
  needsTty,
  async () => {
    seed(3);
    const result = await runInTty(['list', '--all'], { env: { ...clerk.env, NO_COLOR: '1' } });
    assert.equal(result.code, 0, result.output);
    const users = clerk.server.users();
    const rows = rowsOf(users);
    const screen = result.output.replace(/\x1b\[2K/g, '\u0000');
    // The progress line is drawn, then cleared before the table; drawn again after it and cleared at the end.
    assert.ok(screen.startsWith(`\u0000users read: 0 of 3\u0000User `), JSON.stringify(screen.slice(0, 80)));
    assert.ok(screen.endsWith(`\u0000users read: 3 of 3\u0000`), JSON.stringify(screen.slice(-80)));
    const lines = screen.split('\n');
    for (const row of rows)
      assert.ok(
        lines.some((line) => line.startsWith(`${String(row.user_id)}  ${String(row.id)}`)),
        String(row.id),
      );
    assert.equal(counts().length, 1);
  },
);

test('with --debug on a terminal there is no progress line (debug lines would garble it) and no count', needsTty, async () => {
  seed(2);
  const out = join(tempDir(), 'rows.json');
  const result = await runInTty(['list', '--all', '--debug'], { env: { ...clerk.env, NO_COLOR: '1' }, redirect: `> ${out}` });
  assert.equal(result.code, 0, result.output);
  assert.ok(!result.output.includes('users read'), result.output);
  assert.equal(counts().length, 0);
  assert.equal(readFileSync(out, 'utf8'), json(rowsOf(clerk.server.users())));
});

test(
  'on a terminal: a count that never answers holds the walk up once, briefly (no retry), and the line just counts',
  needsTty,
  async () => {
    seed(3);
    clerk.server.fault({ path: '/v1/users/count', fault: { kind: 'stall', status: 200 }, times: Infinity });
    const out = join(tempDir(), 'rows.json');
    const result = await runInTty(['list', '--all', '--timeout', '20000'], { env: { ...clerk.env, NO_COLOR: '1' }, redirect: `> ${out}` });
    assert.equal(result.code, 0, result.output);
    assert.equal(counts().length, 1, 'asked once, not retried');
    assert.ok(result.output.includes('users read: 3\x1b'), JSON.stringify(result.output));
    assert.ok(!result.output.includes(' of '), JSON.stringify(result.output));
    assert.equal(readFileSync(out, 'utf8'), json(rowsOf(clerk.server.users())));
  },
);

test('on a terminal: users added during the walk take it past the total; the line then counts without "of"', needsTty, async () => {
  seed(600);
  clerk.server.onRequest((request) => {
    if (request.path === '/v1/users' && !request.url.includes('starting_after')) for (let i = 0; i < 200; i++) clerk.server.addUser();
  });
  const out = join(tempDir(), 'rows.json');
  const result = await runInTty(['list', '--all'], { env: { ...clerk.env, NO_COLOR: '1' }, redirect: `> ${out}` });
  assert.equal(result.code, 0, result.output);
  assert.ok(result.output.includes('users read: 500 of 600'), JSON.stringify(result.output));
  assert.ok(result.output.includes('users read: 800\x1b'), JSON.stringify(result.output));
  assert.ok(!result.output.includes('800 of'), JSON.stringify(result.output));
});

test('--rate sets the pace of the walk as it does a batch run; with --user-id it is a usage error', async () => {
  seed(3);
  const paced = await clerk.phone(['list', '--all', '--rate', '7/2s', '--debug', '-o', 'jsonl']);
  assert.equal(paced.code, 0, paced.stderr);
  assert.match(paced.stderr, /pace: at most 7 requests per 2000 ms/);
  assert.equal(paced.stdout.trim().split('\n').length, rowsOf(clerk.server.users()).length);
  const misplaced = await clerk.phone(['list', '--user-id', 'user_x', '--rate', '7/2s']);
  assert.equal(misplaced.code, 2);
  assert.match(misplaced.stderr, /--rate only applies with --all/);
  assert.equal(clerk.server.requests.filter((r) => r.path !== '/v1/users').length, 0);
});
