import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RecordedRequest } from './fake-clerk/server.ts';
import { createRequests, jsonl, number, serverPhone, writeInput } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { byLine, parseErrorLine, resultLines, summary, type ResultLine } from './helpers/results.ts';
import { tempDir, type CliResult } from './helpers/run-cli.ts';

const clerk = useFakeClerk();

// ---------------------------------------------------------------- helpers

function postsPerNumber(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of createRequests(clerk.server)) {
    const n = (request.body as { phone_number: string }).phone_number;
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  return counts;
}

function assertUsageRowError(row: ResultLine | undefined, label: string): void {
  assert.ok(row, label);
  assert.equal(row.status, 'failed', `${label}: ${JSON.stringify(row)}`);
  assert.equal(row.result, null, label);
  assert.ok(row.error, label);
  assert.equal(row.error.code, 'usage', `${label}: ${JSON.stringify(row.error)}`);
  assert.equal(row.error.status, null, label);
  assert.equal(typeof row.error.message, 'string', label);
  assert.ok(row.error.message.length > 0, label);
  assert.deepEqual(row.error.errors, [], label);
  assert.equal(row.error.clerk_trace_id, null, label);
}

/** A whole-input failure: exit 2, nothing on stdout, a JSON error on stderr, not a single request. */
function assertUnreadable(result: CliResult, label: string): void {
  assert.equal(result.code, 2, `${label}: exit code\n${result.stderr}`);
  assert.equal(result.stdout, '', `${label}: stdout`);
  assert.equal(clerk.server.requests.length, 0, `${label}: no request`);
  const error = parseErrorLine(result.stderr.split('\n')[0]!);
  assert.equal(error.status, null, label);
  assert.ok(error.message.length > 0, label);
}

// ---------------------------------------------------------------- create

test('create --file JSONL: one created line per row, POST bodies carry only the given fields', async () => {
  const a = clerk.server.addUser();
  const b = clerk.server.addUser();
  const rows = [
    { user_id: a.id, phone_number: '+12015550101' },
    { user_id: a.id, phone_number: '+1 (201) 555-0102', verified: true, primary: true },
    { user_id: b.id, phone_number: '+12015550103', verified: true, reserved_for_second_factor: true, primary: false },
    { user_id: b.id, phone_number: '+12015550104', verified: false },
  ];
  // A blank line is not a row, but it still counts for line numbers.
  const content = `${JSON.stringify(rows[0])}\n${JSON.stringify(rows[1])}\n\n${JSON.stringify(rows[2])}\n${JSON.stringify(rows[3])}\n`;
  const file = writeInput('seed.jsonl', content);
  const result = await clerk.phone(['create', '--file', file]);
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(result, [1, 2, 4, 5]);
  const fileLine = [1, 2, 4, 5];
  rows.forEach((row, index) => {
    const out = lines.get(fileLine[index]!)!;
    assert.equal(out.status, 'created', JSON.stringify(out));
    assert.deepEqual(out.input, row);
    assert.equal(out.error, null);
    assert.deepEqual(out.result, serverPhone(clerk.server, out.result?.id));
  });

  const bodies = createRequests(clerk.server).map((r) => r.body as Record<string, unknown>);
  assert.equal(bodies.length, 4);
  const bodyFor = (n: string) => bodies.find((body) => body.phone_number === n);
  assert.deepEqual(bodyFor('+12015550101'), { user_id: a.id, phone_number: '+12015550101' });
  assert.deepEqual(bodyFor('+12015550102'), { user_id: a.id, phone_number: '+12015550102', verified: true, primary: true });
  assert.deepEqual(bodyFor('+12015550103'), {
    user_id: b.id,
    phone_number: '+12015550103',
    verified: true,
    reserved_for_second_factor: true,
    primary: false,
  });
  assert.deepEqual(bodyFor('+12015550104'), { user_id: b.id, phone_number: '+12015550104', verified: false });
  assert.equal(clerk.server.phoneNumbers().length, 4);
  assert.equal(clerk.server.user(a.id)!.primary_phone_number_id, lines.get(2)!.result!.id);
  assert.deepEqual(summary(result), { created: 4, failed: 0 });
});

test('create --file CSV: header is line 1, true/false are booleans, an empty cell is not sent', async () => {
  const user = clerk.server.addUser();
  const csv = [
    'user_id,phone_number,verified,primary,reserved_for_second_factor',
    `${user.id},+12015550101,,,`,
    `${user.id},+12015550102,true,false,`,
    `${user.id},+12015550103,true,,true`,
    `${user.id},+12015550104,false,true,false`,
    `${user.id},"+1 201 555 0105",,true,`,
  ].join('\n');
  const file = writeInput('seed.csv', `${csv}\n`);
  const result = await clerk.phone(['create', '--file', file]);
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(result, [2, 3, 4, 5, 6]);
  for (const out of lines.values()) {
    assert.equal(out.status, 'created', JSON.stringify(out));
    assert.equal(out.error, null);
    assert.deepEqual(out.result, serverPhone(clerk.server, out.result?.id));
    assert.equal(out.input.user_id, user.id);
  }
  assert.equal(lines.get(2)!.result!.phone_number, '+12015550101');
  assert.equal(lines.get(6)!.result!.phone_number, '+12015550105');
  assert.equal(lines.get(6)!.input.phone_number, '+1 201 555 0105');

  const bodies = createRequests(clerk.server).map((r) => r.body as Record<string, unknown>);
  const bodyFor = (n: string) => bodies.find((body) => body.phone_number === n);
  assert.equal(bodies.length, 5);
  assert.deepEqual(bodyFor('+12015550101'), { user_id: user.id, phone_number: '+12015550101' });
  assert.deepEqual(bodyFor('+12015550102'), { user_id: user.id, phone_number: '+12015550102', verified: true, primary: false });
  assert.deepEqual(bodyFor('+12015550103'), {
    user_id: user.id,
    phone_number: '+12015550103',
    verified: true,
    reserved_for_second_factor: true,
  });
  assert.deepEqual(bodyFor('+12015550104'), {
    user_id: user.id,
    phone_number: '+12015550104',
    verified: false,
    primary: true,
    reserved_for_second_factor: false,
  });
  assert.deepEqual(bodyFor('+12015550105'), { user_id: user.id, phone_number: '+12015550105', primary: true });
  assert.deepEqual(summary(result), { created: 5, failed: 0 });
});

test('create --file CSV with only the required columns, CRLF line ends and columns in another order', async () => {
  const user = clerk.server.addUser();
  const file = writeInput('seed.csv', `phone_number,user_id\r\n+12015550101,${user.id}\r\n+12015550102,${user.id}\r\n`);
  const result = await clerk.phone(['create', '--file', file]);
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(result, [2, 3]);
  assert.equal(lines.get(2)!.result!.phone_number, '+12015550101');
  assert.equal(lines.get(3)!.result!.phone_number, '+12015550102');
  assert.deepEqual(
    createRequests(clerk.server)
      .map((r) => r.body as Record<string, unknown>)
      .sort((x, y) => String(x.phone_number).localeCompare(String(y.phone_number))),
    [
      { user_id: user.id, phone_number: '+12015550101' },
      { user_id: user.id, phone_number: '+12015550102' },
    ],
  );
});

test('--format csv reads CSV from a file whose name says otherwise', async () => {
  const user = clerk.server.addUser();
  const csv = `user_id,phone_number,verified\n${user.id},+12015550101,true\n${user.id},+12015550102,\n`;

  const txt = writeInput('seed.txt', csv);
  const fromTxt = await clerk.phone(['create', '--file', txt, '--format', 'csv']);
  assert.equal(fromTxt.code, 0, fromTxt.stderr);
  const lines = byLine(fromTxt, [2, 3]);
  assert.equal(lines.get(2)!.status, 'created');
  assert.equal(lines.get(3)!.status, 'created');

  // A .jsonl name would make it JSON Lines, and the CSV header then makes the file unreadable...
  clerk.server.reset();
  const user2 = clerk.server.addUser();
  const misnamed = writeInput('seed.jsonl', `user_id,phone_number,verified\n${user2.id},+12015550101,true\n`);
  assertUnreadable(await clerk.phone(['create', '--file', misnamed]), '.jsonl holding CSV without --format');
  // ...unless --format csv says what it is.
  const forced = await clerk.phone(['create', '--file', misnamed, '--format', 'csv']);
  assert.equal(forced.code, 0, forced.stderr);
  const forcedLines = byLine(forced, [2]);
  assert.equal(forcedLines.get(2)!.status, 'created');
  assert.deepEqual(createRequests(clerk.server)[0]!.body, { user_id: user2.id, phone_number: '+12015550101', verified: true });
});

test('--format jsonl on a .csv file reads it as JSON Lines', async () => {
  const user = clerk.server.addUser();
  const file = writeInput('seed.csv', jsonl([{ user_id: user.id, phone_number: '+12015550101' }]));
  const result = await clerk.phone(['create', '--file', file, '--format', 'jsonl']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(byLine(result, [1]).get(1)!.status, 'created');
});

test('--file - reads JSON Lines or CSV from stdin, told apart by the first line as in a file', async () => {
  const user = clerk.server.addUser();
  const stdinJsonl = jsonl([
    { user_id: user.id, phone_number: '+12015550101' },
    { user_id: user.id, phone_number: '+12015550102', verified: true },
  ]);
  const result = await clerk.phone(['create', '--file', '-'], { stdin: stdinJsonl });
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(result, [1, 2]);
  assert.equal(lines.get(1)!.result!.phone_number, '+12015550101');
  assert.equal(lines.get(2)!.result!.phone_number, '+12015550102');
  assert.deepEqual(summary(result), { created: 2, failed: 0 });

  clerk.server.reset();
  const user2 = clerk.server.addUser();
  const csv = `user_id,phone_number\n${user2.id},+12015550103\n`;
  const sniffed = await clerk.phone(['create', '--file', '-'], { stdin: csv });
  assert.equal(sniffed.code, 0, sniffed.stderr);
  assert.equal(byLine(sniffed, [2]).get(2)!.result!.phone_number, '+12015550103');
  assert.equal(sniffed.stderr.includes('Reading rows'), false, 'stdin is no terminal here: no notice');
  clerk.server.reset();
  clerk.server.addUser({ id: user2.id });
  const asCsv = await clerk.phone(['create', '--file', '-', '--format', 'csv'], { stdin: csv });
  assert.equal(asCsv.code, 0, asCsv.stderr);
  assert.equal(byLine(asCsv, [2]).get(2)!.result!.phone_number, '+12015550103');
});

test('JSONL bad rows fail with a usage error and no request; the other rows still run; exit 1', async () => {
  const user = clerk.server.addUser();
  const content = [
    JSON.stringify({ user_id: user.id, phone_number: '+12015550101' }), // 1 ok
    'this is not json', // 2
    JSON.stringify({ phone_number: '+12015550102' }), // 3 missing user_id
    JSON.stringify({ user_id: user.id, phone_number: '12345' }), // 4 bad number
    JSON.stringify({ user_id: user.id, phone_number: '+12015550104', colour: 'red' }), // 5 unknown field
    JSON.stringify({ user_id: user.id, phone_number: '+12015550105', verified: 'maybe' }), // 6 not a boolean
    JSON.stringify({ user_id: 'user/../x', phone_number: '+12015550106' }), // 7 bad user ID
    '[1,2,3]', // 8 not an object
    JSON.stringify({ user_id: user.id }), // 9 missing phone_number
    JSON.stringify({ user_id: user.id, phone_number: '+12015550110' }), // 10 ok
  ].join('\n');
  const file = writeInput('seed.jsonl', `${content}\n`);
  const result = await clerk.phone(['create', '--file', file]);
  assert.equal(result.code, 1, result.stderr);
  const lines = byLine(result, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  for (const n of [2, 3, 4, 5, 6, 7, 8, 9]) assertUsageRowError(lines.get(n), `line ${n}`);
  assert.equal(lines.get(1)!.status, 'created');
  assert.equal(lines.get(10)!.status, 'created');
  assert.deepEqual(lines.get(5)!.input, { user_id: user.id, phone_number: '+12015550104', colour: 'red' });
  assert.deepEqual(
    createRequests(clerk.server)
      .map((r) => (r.body as { phone_number: string }).phone_number)
      .sort(),
    ['+12015550101', '+12015550110'],
    'only the valid rows were sent',
  );
  assert.equal(clerk.server.requests.length, 2, 'no other request either');
  assert.deepEqual(summary(result), { created: 2, failed: 8 });
});

test('CSV bad rows (wrong field count, bad boolean, bad number) fail with a usage error; the rest run; exit 1', async () => {
  const user = clerk.server.addUser();
  const csv = [
    'user_id,phone_number,verified', // 1
    `${user.id},+12015550102,true`, // 2 ok
    `${user.id},+12015550103`, // 3 too few fields
    `${user.id},+12015550104,true,extra`, // 4 too many fields
    `${user.id},+12015550105,yes`, // 5 not true/false
    `${user.id},not-a-number,`, // 6 bad number
    `,+12015550107,`, // 7 empty user_id
    `${user.id},+12015550108,false`, // 8 ok
  ].join('\n');
  const file = writeInput('seed.csv', `${csv}\n`);
  const result = await clerk.phone(['create', '--file', file]);
  assert.equal(result.code, 1, result.stderr);
  const lines = byLine(result, [2, 3, 4, 5, 6, 7, 8]);
  for (const n of [3, 4, 5, 6, 7]) assertUsageRowError(lines.get(n), `line ${n}`);
  assert.equal(lines.get(2)!.status, 'created');
  assert.equal(lines.get(8)!.status, 'created');
  assert.deepEqual(
    createRequests(clerk.server)
      .map((r) => r.body as Record<string, unknown>)
      .sort((x, y) => String(x.phone_number).localeCompare(String(y.phone_number))),
    [
      { user_id: user.id, phone_number: '+12015550102', verified: true },
      { user_id: user.id, phone_number: '+12015550108', verified: false },
    ],
  );
  assert.equal(clerk.server.requests.length, 2);
  assert.deepEqual(summary(result), { created: 2, failed: 5 });
});

test('CSV rows with a stray quote are each one failed row; the rows after them keep their line numbers', async () => {
  const user = clerk.server.addUser();
  const csv = [
    'user_id,phone_number', // 1
    `${user.id},+12015550102`, // 2 ok
    `${user.id},+1201"5550103"`, // 3 stray quote
    '', // 4 blank
    `${user.id},+12015550105`, // 5 ok
    `${user.id},+1201"5550106"`, // 6 stray quote
    `${user.id},+12015550107`, // 7 ok
  ].join('\n');
  const file = writeInput('seed.csv', `${csv}\n`);
  const result = await clerk.phone(['create', '--file', file]);
  assert.equal(result.code, 1, result.stderr);
  const lines = byLine(result, [2, 3, 5, 6, 7]);
  assertUsageRowError(lines.get(3), 'line 3');
  assertUsageRowError(lines.get(6), 'line 6');
  for (const [n, phoneNumber] of [
    [2, '+12015550102'],
    [5, '+12015550105'],
    [7, '+12015550107'],
  ] as const) {
    assert.equal(lines.get(n)!.status, 'created', `line ${n}`);
    assert.equal(lines.get(n)!.result!.phone_number, phoneNumber, `line ${n}`);
  }
  assert.equal(createRequests(clerk.server).length, 3);
  assert.deepEqual(summary(result), { created: 3, failed: 2 });
});

test('a directory given as --file is unreadable: exit 2, no request', async () => {
  const dir = tempDir('phone-batch-');
  assertUnreadable(await clerk.phone(['create', '--file', dir]), 'a directory');
  const named = join(dir, 'seed.jsonl');
  mkdirSync(named);
  assertUnreadable(await clerk.phone(['create', '--file', named]), 'a directory named seed.jsonl');
});

test('an input that cannot be read as a whole: exit 2, nothing on stdout, no request', async () => {
  const user = clerk.server.addUser();
  const dir = tempDir('phone-batch-');
  assertUnreadable(await clerk.phone(['create', '--file', join(dir, 'missing.jsonl')]), 'missing file');
  assertUnreadable(await clerk.phone(['create', '--file', join(dir, 'missing.csv')]), 'missing csv file');
  assertUnreadable(await clerk.phone(['update', '--file', join(dir, 'missing.jsonl')]), 'update, missing file');
  assertUnreadable(await clerk.phone(['delete', '--file', join(dir, 'missing.jsonl'), '--yes']), 'delete, missing file');

  const firstLineNotJson = writeInput(
    'seed.jsonl',
    `not json at all\n${JSON.stringify({ user_id: user.id, phone_number: '+12015550101' })}\n`,
  );
  assertUnreadable(await clerk.phone(['create', '--file', firstLineNotJson]), 'first line not JSON');

  const firstLineArray = writeInput('seed.ndjson', `[1]\n${JSON.stringify({ user_id: user.id, phone_number: '+12015550101' })}\n`);
  assertUnreadable(await clerk.phone(['create', '--file', firstLineArray]), 'first line not a JSON object (.ndjson)');

  const noPhoneColumn = writeInput('seed.csv', `user_id,verified\n${user.id},true\n`);
  assertUnreadable(await clerk.phone(['create', '--file', noPhoneColumn]), 'CSV header without phone_number');

  const noUserColumn = writeInput('seed.csv', `phone_number\n+12015550101\n`);
  assertUnreadable(await clerk.phone(['create', '--file', noUserColumn]), 'CSV header without user_id');

  const updateWithoutId = writeInput('changes.csv', `verified\ntrue\n`);
  assertUnreadable(await clerk.phone(['update', '--file', updateWithoutId]), 'update CSV header without id');

  assertUnreadable(await clerk.phone(['create', '--file', '-'], { stdin: 'garbage\n' }), 'stdin first line not JSON');
  assert.equal(clerk.server.phoneNumbers().length, 0);
});

test('an empty input is no rows: exit 0, no output lines, a summary', async () => {
  const file = writeInput('seed.jsonl', '');
  const result = await clerk.phone(['create', '--file', file]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, '');
  assert.deepEqual(summary(result), { created: 0, failed: 0 });
  assert.equal(clerk.server.requests.length, 0);
});

// ---------------------------------------------------------------- --skip-existing

test('--skip-existing: a second run of the same seed file creates nothing, every row skipped with the existing object, exit 0', async () => {
  const users = [clerk.server.addUser(), clerk.server.addUser(), clerk.server.addUser()];
  const rows = Array.from({ length: 12 }, (_, i) => ({ user_id: users[i % 3]!.id, phone_number: number(i), verified: i % 2 === 0 }));
  const file = writeInput('seed.jsonl', jsonl(rows));

  const first = await clerk.phone(['create', '--file', file, '--skip-existing']);
  assert.equal(first.code, 0, first.stderr);
  const firstLines = byLine(
    first,
    rows.map((_, i) => i + 1),
  );
  for (const out of firstLines.values()) assert.equal(out.status, 'created');
  const before = clerk.server.phoneNumbers();
  assert.equal(before.length, 12);

  const second = await clerk.phone(['create', '--file', file, '--skip-existing']);
  assert.equal(second.code, 0, second.stderr);
  const secondLines = byLine(
    second,
    rows.map((_, i) => i + 1),
  );
  rows.forEach((row, i) => {
    const out = secondLines.get(i + 1)!;
    assert.equal(out.status, 'skipped', JSON.stringify(out));
    assert.equal(out.error, null);
    assert.deepEqual(out.input, row);
    const existing = before.find((p) => p.phone_number === row.phone_number)!;
    assert.deepEqual(out.result, existing, 'the existing phone number object is the result');
    assert.equal(out.result!.id, firstLines.get(i + 1)!.result!.id);
  });
  assert.deepEqual(clerk.server.phoneNumbers(), before, 'nothing created or changed');
  assert.deepEqual(summary(second), { created: 0, skipped: 12, failed: 0 });
});

test('--skip-existing with a mix of new and existing numbers creates only the new ones', async () => {
  const user = clerk.server.addUser();
  const existing = clerk.server.addPhoneNumber(user.id, '+12015550101', { verified: true });
  const file = writeInput(
    'seed.jsonl',
    jsonl([
      { user_id: user.id, phone_number: '+12015550101' },
      { user_id: user.id, phone_number: '+12015550102' },
    ]),
  );
  const result = await clerk.phone(['create', '--file', file, '--skip-existing']);
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(result, [1, 2]);
  assert.equal(lines.get(1)!.status, 'skipped');
  assert.deepEqual(lines.get(1)!.result, existing);
  assert.equal(lines.get(2)!.status, 'created');
  assert.equal(clerk.server.phoneNumbers().length, 2);
  assert.deepEqual(summary(result), { created: 1, skipped: 1, failed: 0 });
});

test('without --skip-existing a number the user already has fails with the API error (422), exit 1', async () => {
  const user = clerk.server.addUser();
  clerk.server.addPhoneNumber(user.id, '+12015550101');
  const file = writeInput('seed.jsonl', jsonl([{ user_id: user.id, phone_number: '+12015550101' }]));
  const result = await clerk.phone(['create', '--file', file]);
  assert.equal(result.code, 1, result.stderr);
  const row = byLine(result, [1]).get(1)!;
  assert.equal(row.status, 'failed');
  assert.equal(row.result, null);
  assert.equal(row.error!.status, 422);
  assert.equal(row.error!.code, 'form_identifier_exists');
  assert.ok(Array.isArray(row.error!.errors) && row.error!.errors.length > 0, 'Clerk errors as returned');
  assert.equal(typeof row.error!.clerk_trace_id, 'string');
  assert.equal(clerk.server.phoneNumbers().length, 1);
});

test('--skip-existing: the same number verified on another user stays failed (422)', async () => {
  const owner = clerk.server.addUser();
  const other = clerk.server.addUser();
  clerk.server.addPhoneNumber(owner.id, '+12015550101', { verified: true });
  const file = writeInput(
    'seed.jsonl',
    jsonl([
      { user_id: other.id, phone_number: '+12015550101' },
      { user_id: other.id, phone_number: '+12015550102' },
    ]),
  );
  const result = await clerk.phone(['create', '--file', file, '--skip-existing']);
  assert.equal(result.code, 1, result.stderr);
  const lines = byLine(result, [1, 2]);
  const taken = lines.get(1)!;
  assert.equal(taken.status, 'failed', JSON.stringify(taken));
  assert.equal(taken.result, null);
  assert.equal(taken.error!.status, 422);
  assert.equal(lines.get(2)!.status, 'created');
  assert.equal(clerk.server.user(other.id)!.phone_numbers.length, 1);
  assert.equal(clerk.server.user(owner.id)!.phone_numbers.length, 1);
  assert.deepEqual(summary(result), { created: 1, skipped: 0, failed: 1 });
});

// ---------------------------------------------------------------- update

test('update --file: id plus fields sends a PATCH with exactly those fields; a row without a field fails with no request', async () => {
  const user = clerk.server.addUser();
  const p1 = clerk.server.addPhoneNumber(user.id, '+12015550101');
  const p2 = clerk.server.addPhoneNumber(user.id, '+12015550102');
  const p3 = clerk.server.addPhoneNumber(user.id, '+12015550103', { verified: true });
  const rows = [
    { id: p1.id, verified: true }, // 1
    { id: p2.id }, // 2 nothing to update
    { id: p3.id, reserved_for_second_factor: true, primary: true }, // 3
    { id: 'idn_doesnotexist', verified: true }, // 4 404
    { id: '../users/x', verified: true }, // 5 bad id
    { id: p2.id, verified: false, bogus: 1 }, // 6 unknown field
  ];
  const file = writeInput('changes.jsonl', jsonl(rows));
  const result = await clerk.phone(['update', '--file', file]);
  assert.equal(result.code, 1, result.stderr);
  const lines = byLine(result, [1, 2, 3, 4, 5, 6]);

  assert.equal(lines.get(1)!.status, 'updated');
  assert.deepEqual(lines.get(1)!.result, serverPhone(clerk.server, p1.id));
  assert.equal(serverPhone(clerk.server, p1.id).verification?.status, 'verified');
  assert.equal(lines.get(3)!.status, 'updated');
  assert.deepEqual(lines.get(3)!.result, serverPhone(clerk.server, p3.id));
  assert.equal(serverPhone(clerk.server, p3.id).reserved_for_second_factor, true);
  assert.equal(clerk.server.user(user.id)!.primary_phone_number_id, p3.id);

  assertUsageRowError(lines.get(2), 'no field');
  assertUsageRowError(lines.get(5), 'bad id');
  assertUsageRowError(lines.get(6), 'unknown field');
  const missing = lines.get(4)!;
  assert.equal(missing.status, 'failed');
  assert.equal(missing.error!.status, 404);

  const patches = clerk.server.requests.filter((r) => r.method === 'PATCH');
  assert.deepEqual(
    patches.map((r) => r.path).sort(),
    [`/v1/phone_numbers/${p1.id}`, `/v1/phone_numbers/${p3.id}`, '/v1/phone_numbers/idn_doesnotexist'].sort(),
  );
  assert.deepEqual(patches.find((r) => r.path.endsWith(p1.id))!.body, { verified: true });
  assert.deepEqual(patches.find((r) => r.path.endsWith(p3.id))!.body, { reserved_for_second_factor: true, primary: true });
  assert.equal(clerk.server.requests.length, 3, 'nothing but those PATCHes');
  assert.deepEqual(serverPhone(clerk.server, p2.id), p2, 'the row without a field changed nothing');
  assert.deepEqual(summary(result), { updated: 2, failed: 4 });
});

test('update --file CSV: empty cells are not sent', async () => {
  const user = clerk.server.addUser();
  const p1 = clerk.server.addPhoneNumber(user.id, '+12015550101');
  const p2 = clerk.server.addPhoneNumber(user.id, '+12015550102', { verified: true });
  const file = writeInput(
    'changes.csv',
    `id,verified,primary,reserved_for_second_factor\n${p1.id},true,,\n${p2.id},,true,false\n${p1.id},,,\n`,
  );
  const result = await clerk.phone(['update', '--file', file]);
  assert.equal(result.code, 1, result.stderr);
  const lines = byLine(result, [2, 3, 4]);
  assert.equal(lines.get(2)!.status, 'updated');
  assert.equal(lines.get(3)!.status, 'updated');
  assertUsageRowError(lines.get(4), 'row with no field');
  const patches = clerk.server.requests.filter((r) => r.method === 'PATCH');
  assert.equal(patches.length, 2);
  assert.deepEqual(patches.find((r) => r.path.endsWith(p1.id))!.body, { verified: true });
  assert.deepEqual(patches.find((r) => r.path.endsWith(p2.id))!.body, { primary: true, reserved_for_second_factor: false });
});

// ---------------------------------------------------------------- delete

test('delete --file with one ID per line, then again: missing, exit 0', async () => {
  const user = clerk.server.addUser();
  const keep = clerk.server.addPhoneNumber(user.id, '+12015550100');
  const gone = [1, 2, 3].map((i) => clerk.server.addPhoneNumber(user.id, number(i)));
  const file = writeInput('ids.txt', `${gone.map((p) => p.id).join('\n')}\n`);

  const result = await clerk.phone(['delete', '--file', file, '--yes']);
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(result, [1, 2, 3]);
  gone.forEach((p, i) => {
    const out = lines.get(i + 1)!;
    assert.equal(out.status, 'deleted', JSON.stringify(out));
    assert.equal(out.error, null);
    assert.deepEqual(out.result, { object: 'phone_number', id: p.id, deleted: true });
  });
  assert.deepEqual(clerk.server.phoneNumbers(), [keep]);
  const deletes = clerk.server.requests.filter((r) => r.method === 'DELETE').map((r) => r.path);
  assert.deepEqual(deletes.sort(), gone.map((p) => `/v1/phone_numbers/${p.id}`).sort());
  assert.deepEqual(summary(result), { deleted: 3, missing: 0, skipped: 0, failed: 0 });

  const again = await clerk.phone(['delete', '--file', file, '--yes']);
  assert.equal(again.code, 0, again.stderr);
  const againLines = byLine(again, [1, 2, 3]);
  for (const out of againLines.values()) {
    assert.equal(out.status, 'missing', JSON.stringify(out));
    assert.equal(out.result, null);
    assert.equal(out.error, null);
  }
  assert.deepEqual(clerk.server.phoneNumbers(), [keep]);
  assert.equal(summary(again).missing, 3);
  assert.equal(summary(again).failed, 0);
});

test('delete --file with {"id": …} objects, from stdin too', async () => {
  const user = clerk.server.addUser();
  const phones = [1, 2, 3].map((i) => clerk.server.addPhoneNumber(user.id, number(i)));
  const file = writeInput('ids.jsonl', jsonl(phones.slice(0, 2).map((p) => ({ id: p.id }))));
  const result = await clerk.phone(['delete', '--file', file, '--yes']);
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(result, [1, 2]);
  assert.equal(lines.get(1)!.status, 'deleted');
  assert.deepEqual(lines.get(1)!.input, { id: phones[0]!.id });
  assert.equal(lines.get(2)!.status, 'deleted');
  assert.deepEqual(clerk.server.phoneNumbers(), [phones[2]]);

  const fromStdin = await clerk.phone(['delete', '--file', '-', '--yes'], { stdin: `${JSON.stringify({ id: phones[2]!.id })}\n` });
  assert.equal(fromStdin.code, 0, fromStdin.stderr);
  assert.equal(byLine(fromStdin, [1]).get(1)!.status, 'deleted');
  assert.deepEqual(clerk.server.phoneNumbers(), []);
});

test('delete --file with a bad ID fails that row with no request; the rest are deleted', async () => {
  const user = clerk.server.addUser();
  const phone = clerk.server.addPhoneNumber(user.id, number(1));
  const file = writeInput(
    'ids.jsonl',
    `${JSON.stringify({ id: phone.id })}\n${JSON.stringify({ id: '../users/x' })}\n${JSON.stringify({ nope: 1 })}\n`,
  );
  const result = await clerk.phone(['delete', '--file', file, '--yes']);
  assert.equal(result.code, 1, result.stderr);
  const lines = byLine(result, [1, 2, 3]);
  assert.equal(lines.get(1)!.status, 'deleted');
  assertUsageRowError(lines.get(2), 'bad id');
  assertUsageRowError(lines.get(3), 'no id');
  assert.equal(clerk.server.requests.length, 1);
});

test('delete --file fed with the output of create --file removes exactly the created and skipped numbers', async () => {
  const users = [clerk.server.addUser(), clerk.server.addUser()];
  const unrelated = clerk.server.addPhoneNumber(users[0]!.id, '+12015559999');
  const alreadyThere = clerk.server.addPhoneNumber(users[1]!.id, '+12015550001');
  const taken = clerk.server.addUser();
  clerk.server.addPhoneNumber(taken.id, '+12015550002', { verified: true });
  const preexisting = clerk.server.phoneNumbers();

  const seed = [
    JSON.stringify({ user_id: users[0]!.id, phone_number: number(10) }), // 1 created
    JSON.stringify({ user_id: users[1]!.id, phone_number: '+12015550001' }), // 2 skipped (exists)
    JSON.stringify({ user_id: users[0]!.id, phone_number: '+12015550002' }), // 3 failed: 422, taken elsewhere
    'not json', // 4 failed: usage
    JSON.stringify({ user_id: users[1]!.id, phone_number: number(11), verified: true }), // 5 created
  ].join('\n');
  const seedFile = writeInput('seed.jsonl', `${seed}\n`);
  const made = await clerk.phone(['create', '--file', seedFile, '--skip-existing']);
  assert.equal(made.code, 1, made.stderr);
  const madeLines = byLine(made, [1, 2, 3, 4, 5]);
  assert.equal(madeLines.get(1)!.status, 'created');
  assert.equal(madeLines.get(2)!.status, 'skipped');
  assert.equal(madeLines.get(2)!.result!.id, alreadyThere.id);
  assert.equal(madeLines.get(3)!.status, 'failed');
  assert.equal(madeLines.get(4)!.status, 'failed');
  assert.equal(madeLines.get(5)!.status, 'created');

  const madeFile = writeInput('made.jsonl', made.stdout);
  clerk.server.requests.length = 0;
  const teardown = await clerk.phone(['delete', '--file', madeFile, '--yes']);
  assert.equal(teardown.code, 0, teardown.stderr);
  // made.jsonl is in completion order: its line k is the result of seed line madeOrder[k - 1].
  const madeOrder = resultLines(made).map((out) => out.line);
  const lines = byLine(teardown, [1, 2, 3, 4, 5]);
  for (const [k, out] of lines) {
    const seedLine = madeOrder[k - 1]!;
    assert.deepEqual(out.input, madeLines.get(seedLine), 'the input is the create result line');
    if ([1, 2, 5].includes(seedLine)) {
      assert.equal(out.status, 'deleted', `seed line ${seedLine}: ${JSON.stringify(out)}`);
      assert.deepEqual(out.result, { object: 'phone_number', id: madeLines.get(seedLine)!.result!.id, deleted: true });
    } else {
      assert.equal(out.status, 'skipped', `seed line ${seedLine}: ${JSON.stringify(out)}`);
      assert.equal(out.result, null);
      assert.equal(out.error, null);
    }
  }
  const deleted = clerk.server.requests.filter((r) => r.method === 'DELETE').map((r) => r.path.split('/').at(-1));
  assert.deepEqual(deleted.sort(), [1, 2, 5].map((n) => madeLines.get(n)!.result!.id as string).sort());
  assert.equal(clerk.server.requests.length, 3, 'only the three DELETEs');
  const left = clerk.server.phoneNumbers();
  assert.deepEqual(
    left.map((p) => p.id).sort(),
    preexisting
      .filter((p) => p.id !== alreadyThere.id)
      .map((p) => p.id)
      .sort(),
    'exactly the created and skipped numbers are gone',
  );
  assert.ok(left.some((p) => p.id === unrelated.id));
  assert.deepEqual(summary(teardown), { deleted: 3, missing: 0, skipped: 2, failed: 0 });

  // The teardown can be run again.
  const again = await clerk.phone(['delete', '--file', madeFile, '--yes']);
  assert.equal(again.code, 0, again.stderr);
  const againLines = byLine(again, [1, 2, 3, 4, 5]);
  for (const [k, out] of againLines) {
    assert.equal(out.status, [1, 2, 5].includes(madeOrder[k - 1]!) ? 'missing' : 'skipped', JSON.stringify(out));
  }
});

test('delete --file without --yes: exit 2, nothing sent, nothing deleted', async () => {
  const user = clerk.server.addUser();
  const phone = clerk.server.addPhoneNumber(user.id, number(1));
  const file = writeInput('ids.txt', `${phone.id}\n`);
  const result = await clerk.phone(['delete', '--file', file]);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /--yes/);
  assert.equal(clerk.server.requests.length, 0);
  assert.deepEqual(clerk.server.phoneNumbers(), [phone]);
  const fromStdin = await clerk.phone(['delete', '--file', '-'], { stdin: `${phone.id}\n` });
  assert.equal(fromStdin.code, 2, fromStdin.stderr);
  assert.equal(clerk.server.requests.length, 0);
});

// ---------------------------------------------------------------- concurrency

/**
 * The most requests certainly in flight at once: each request takes at least `delayMs` (a delay
 * fault), so every request that arrived less than `delayMs` before another is still in flight.
 */
function maxCertainlyInFlight(requests: RecordedRequest[], delayMs: number): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let max = 0;
  for (let i = 0; i < times.length; i++) {
    let count = 0;
    for (let j = 0; j <= i; j++) if (times[j]! > times[i]! - (delayMs - 50)) count++;
    max = Math.max(max, count);
  }
  return max;
}

async function runWithConcurrency(concurrency: number | undefined, rows: number, delayMs: number, rate?: string) {
  clerk.server.reset();
  const user = clerk.server.addUser();
  clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: rows, fault: { kind: 'delay', ms: delayMs } });
  const file = writeInput('seed.jsonl', jsonl(Array.from({ length: rows }, (_, i) => ({ user_id: user.id, phone_number: number(i) }))));
  const args = [
    'create',
    '--file',
    file,
    ...(concurrency === undefined ? [] : ['--concurrency', String(concurrency)]),
    ...(rate === undefined ? [] : ['--rate', rate]),
  ];
  const result = await clerk.phone(args, { timeoutMs: 30_000 });
  assert.equal(result.code, 0, result.stderr);
  const lines = byLine(
    result,
    Array.from({ length: rows }, (_, i) => i + 1),
  );
  for (const out of lines.values()) assert.equal(out.status, 'created');
  assert.equal(clerk.server.phoneNumbers().length, rows);
  return createRequests(clerk.server);
}

test('--concurrency bounds the requests in flight (1, 8); without it the limit follows rate × latency', async () => {
  const delay = 250;
  const one = await runWithConcurrency(1, 6, delay);
  assert.equal(maxCertainlyInFlight(one, delay), 1, '--concurrency 1: one request at a time');
  for (let i = 1; i < one.length; i++) {
    assert.ok(one[i]!.at >= one[i - 1]!.at + delay - 20, '--concurrency 1: each request starts after the previous one ended');
  }

  // 40/s with answers of 250 ms and more: about 10 in flight, never the 64 the limit allows at most.
  const byDefault = await runWithConcurrency(undefined, 24, delay, '40/1s');
  const defaultMax = maxCertainlyInFlight(byDefault, delay);
  assert.ok(defaultMax > 4, `40/s at 250 ms takes more than 4 in flight, saw ${defaultMax}`);
  assert.ok(defaultMax <= 16, `40/s at 250 ms takes about 10 in flight, saw ${defaultMax}`);

  const eight = await runWithConcurrency(8, 24, delay, '1000/1s');
  const eightMax = maxCertainlyInFlight(eight, delay);
  assert.ok(eightMax <= 8, `--concurrency 8, saw ${eightMax} in flight`);
  assert.ok(eightMax > 4, `--concurrency 8 runs more than the default at once, saw ${eightMax}`);
});

test('--concurrency must be a positive whole number: exit 2, nothing sent', async () => {
  const user = clerk.server.addUser();
  const file = writeInput('seed.jsonl', jsonl([{ user_id: user.id, phone_number: number(1) }]));
  for (const value of ['0', '-1', 'abc', '1.5']) {
    const result = await clerk.phone(['create', '--file', file, '--concurrency', value]);
    assert.equal(result.code, 2, `--concurrency ${value}: ${result.stderr}`);
    assert.equal(result.stdout, '');
  }
  assert.equal(clerk.server.requests.length, 0);
});

// ---------------------------------------------------------------- a few hundred rows

test('a few hundred rows seeded and torn down: every row accounted for, no number created twice', async () => {
  const users = Array.from({ length: 10 }, () => clerk.server.addUser());
  const total = 300;
  const rows = Array.from({ length: total }, (_, i) => ({
    user_id: users[i % users.length]!.id,
    phone_number: number(i),
    ...(i % 3 === 0 ? { verified: true } : {}),
  }));
  const seedFile = writeInput('seed.jsonl', jsonl(rows));
  const allLines = rows.map((_, i) => i + 1);

  const made = await clerk.phone(['create', '--file', seedFile, '--concurrency', '8', '--rate', '1000/1s'], { timeoutMs: 30_000 });
  assert.equal(made.code, 0, made.stderr);
  const madeLines = byLine(made, allLines);
  const phones = clerk.server.phoneNumbers();
  assert.equal(phones.length, total);
  assert.equal(new Set(phones.map((p) => p.phone_number)).size, total, 'no number twice');
  for (const [n, count] of postsPerNumber()) assert.equal(count, 1, `${n} was POSTed once`);
  rows.forEach((row, i) => {
    const out = madeLines.get(i + 1)!;
    assert.equal(out.status, 'created');
    assert.deepEqual(out.input, row);
    assert.equal(out.result!.phone_number, row.phone_number);
    assert.deepEqual(out.result, serverPhone(clerk.server, out.result!.id));
  });
  assert.deepEqual(summary(made), { created: total, failed: 0 });

  const madeFile = writeInput('made.jsonl', made.stdout);
  const torn = await clerk.phone(['delete', '--file', madeFile, '--yes', '--concurrency', '8', '--rate', '1000/1s'], { timeoutMs: 30_000 });
  assert.equal(torn.code, 0, torn.stderr);
  const tornLines = byLine(torn, allLines);
  const madeOrder = resultLines(made);
  for (const [k, out] of tornLines) {
    assert.equal(out.status, 'deleted', `line ${k}`);
    assert.equal(out.result!.id, madeOrder[k - 1]!.result!.id);
  }
  assert.deepEqual(clerk.server.phoneNumbers(), []);
  assert.deepEqual(summary(torn), { deleted: total, missing: 0, skipped: 0, failed: 0 });
});
