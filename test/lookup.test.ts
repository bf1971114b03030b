import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PhoneNumberObject } from './fake-clerk/server.ts';
import { json, jsonl } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { errorJson } from './helpers/results.ts';
import { needsTty, runInTty, stripAnsi } from './helpers/tty.ts';

const clerk = useFakeClerk();

const PHONE_FIELDS = [
  'id',
  'object',
  'phone_number',
  'reserved_for_second_factor',
  'default_second_factor',
  'reserved',
  'verification',
  'linked_to',
  'backup_codes',
  'created_at',
  'updated_at',
];

function lookupsOf(phoneNumber: string) {
  return clerk.server.requests.filter((r) => r.method === 'GET' && r.path === '/v1/users' && r.query.phone_number === phoneNumber);
}

/** A user holding the number, among others, plus another user with other numbers. */
function seedHolder() {
  const user = clerk.server.addUser();
  clerk.server.addPhoneNumber(user.id, '+12015550199', { verified: true });
  const phone = clerk.server.addPhoneNumber(user.id, '+12015550100', { verified: true });
  const other = clerk.server.addUser();
  clerk.server.addPhoneNumber(other.id, '+12015550101');
  return { user, phone: clerk.server.phoneNumbers().find((p) => p.id === phone.id)! };
}

/** Two users holding the same number, unverified on both. */
function seedTwoHolders() {
  const first = clerk.server.addUser();
  const second = clerk.server.addUser();
  clerk.server.addPhoneNumber(first.id, '+12015550100');
  clerk.server.addPhoneNumber(second.id, '+12015550100');
  return { first, second };
}

// ---------------------------------------------------------------- get by number

test('get +E164 resolves the number with GET /v1/users?phone_number= and prints that phone number object', async () => {
  const { phone } = seedHolder();
  const result = await clerk.phone(['get', '+12015550100']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, json(phone));
  assert.equal(lookupsOf('+12015550100').length, 1, 'looked up by number');
  const lookup = lookupsOf('+12015550100')[0]!;
  assert.match(lookup.url, /[?&]phone_number=%2B12015550100(&|$)/, 'the + is URL-encoded');
  assert.ok(
    clerk.server.requests.every((r) => r.method === 'GET'),
    'only reads',
  );
});

test('get with a number written "+1 (201) 555-0100" is normalised before the lookup', async () => {
  const { phone } = seedHolder();
  for (const written of ['+1 (201) 555-0100', '+1-201-555-0100', '+1.201.555.0100']) {
    clerk.server.requests.length = 0;
    const result = await clerk.phone(['get', written]);
    assert.equal(result.code, 0, `${written}: ${result.stderr}`);
    assert.equal(result.stdout, json(phone), written);
    assert.equal(lookupsOf('+12015550100').length, 1, written);
  }
});

test('get of a number nobody has: exit 3, nothing on stdout', async () => {
  seedHolder();
  const result = await clerk.phone(['get', '+12015550777']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, '');
  const error = errorJson(result);
  assert.match(error.message, /\+12015550777/);
  assert.equal(lookupsOf('+12015550777').length, 1);
});

test('get of an invalid number is a usage error before any request', async () => {
  for (const bad of ['+123', '+1 201 555 01a0', '+']) {
    const result = await clerk.phone(['get', bad]);
    assert.equal(result.code, 2, `${bad}: ${result.stderr}`);
    assert.equal(result.stdout, '');
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('get of a number held by two users (unverified on both): exit 2, both user IDs listed', async () => {
  const { first, second } = seedTwoHolders();
  const result = await clerk.phone(['get', '+12015550100']);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  const error = errorJson(result);
  assert.ok(error.message.includes(first.id), `names ${first.id}: ${error.message}`);
  assert.ok(error.message.includes(second.id), `names ${second.id}: ${error.message}`);

  // The same in text output.
  const text = await clerk.phone(['get', '+12015550100', '--output', 'table']);
  assert.equal(text.code, 2, text.stderr);
  assert.ok(text.stderr.includes(first.id) && text.stderr.includes(second.id), text.stderr);
});

test('get of a number held by eleven users: all eleven named (Clerk answers 10 users unless asked for more)', async () => {
  const holders = Array.from({ length: 11 }, () => clerk.server.addUser());
  for (const user of holders) clerk.server.addPhoneNumber(user.id, '+12015550100');
  const result = await clerk.phone(['get', '+12015550100']);
  assert.equal(result.code, 2, result.stderr);
  const error = errorJson(result);
  assert.match(error.message, /held by 11 users/);
  for (const user of holders) assert.ok(error.message.includes(user.id), `names ${user.id}: ${error.message}`);
});

test('get by ID still uses GET /v1/phone_numbers/{id}', async () => {
  const { phone } = seedHolder();
  const result = await clerk.phone(['get', phone.id]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, json(phone));
  assert.deepEqual(
    clerk.server.requests.map((r) => `${r.method} ${r.path}`),
    [`GET /v1/phone_numbers/${phone.id}`],
  );
});

// ---------------------------------------------------------------- delete by number

test('delete +E164 --yes deletes the phone number with that number, and only it', async () => {
  const { phone } = seedHolder();
  const before = clerk.server.phoneNumbers();
  const result = await clerk.phone(['delete', '+1 201 555 0100', '--yes']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, json({ object: 'phone_number', id: phone.id, deleted: true }));
  const deletes = clerk.server.requests.filter((r) => r.method === 'DELETE');
  assert.deepEqual(
    deletes.map((r) => r.path),
    [`/v1/phone_numbers/${phone.id}`],
  );
  assert.equal(lookupsOf('+12015550100').length, 1);
  assert.deepEqual(
    clerk.server.phoneNumbers(),
    before.filter((p) => p.id !== phone.id),
  );
});

test('delete +E164 of a number nobody has: exit 3, nothing deleted', async () => {
  seedHolder();
  const before = clerk.server.phoneNumbers();
  const result = await clerk.phone(['delete', '+12015550777', '--yes']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(clerk.server.requests.filter((r) => r.method === 'DELETE').length, 0);
  assert.deepEqual(clerk.server.phoneNumbers(), before);
});

test('delete +E164 of a number held by two users: exit 2, nothing deleted', async () => {
  const { first, second } = seedTwoHolders();
  const result = await clerk.phone(['delete', '+12015550100', '--yes']);
  assert.equal(result.code, 2, result.stderr);
  assert.ok(result.stderr.includes(first.id) && result.stderr.includes(second.id), result.stderr);
  assert.equal(clerk.server.requests.filter((r) => r.method === 'DELETE').length, 0);
  assert.equal(clerk.server.phoneNumbers().length, 2);
});

test('delete +E164 without --yes when not interactive: exit 2, nothing sent', async () => {
  seedHolder();
  const result = await clerk.phone(['delete', '+12015550100']);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(clerk.server.requests.length, 0);
  assert.equal(clerk.server.phoneNumbers().length, 3);
});

// ---------------------------------------------------------------- list

test('list --user-id for a user with no phone numbers prints []', async () => {
  const user = clerk.server.addUser();
  const result = await clerk.phone(['list', '--user-id', user.id]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.deepEqual(JSON.parse(result.stdout), []);
  assert.equal(result.stdout.trim(), '[]');
  assert.deepEqual(
    clerk.server.requests.map((r) => `${r.method} ${r.path}`),
    [`GET /v1/users/${user.id}`],
  );
});

test('list --user-id for a user with one phone number prints an array of the API object', async () => {
  const user = clerk.server.addUser();
  const phone = clerk.server.addPhoneNumber(user.id, '+12015550100', { verified: true });
  const result = await clerk.phone(['list', '--user-id', user.id]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, json([phone]));
});

test('list --user-id for a user with several numbers prints them all, as the API returned them', async () => {
  const user = clerk.server.addUser();
  clerk.server.addPhoneNumber(user.id, '+12015550100');
  clerk.server.addPhoneNumber(user.id, '+12015550101', { verified: true, primary: true });
  clerk.server.addPhoneNumber(user.id, '+12015550102', { verified: true, reservedForSecondFactor: true });
  const other = clerk.server.addUser();
  clerk.server.addPhoneNumber(other.id, '+12015550200');
  const expected = clerk.server.user(user.id)!.phone_numbers;
  assert.equal(expected.length, 3);
  const result = await clerk.phone(['list', '--user-id', user.id]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, json(expected));
});

test('list for an unknown user: exit 3; an invalid user ID: exit 2 before any request', async () => {
  const result = await clerk.phone(['list', '--user-id', 'user_doesnotexist']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(errorJson(result).status, 404);

  clerk.server.requests.length = 0;
  const bad = await clerk.phone(['list', '--user-id', '../phone_numbers']);
  assert.equal(bad.code, 2, bad.stderr);
  assert.equal(clerk.server.requests.length, 0);

  const missing = await clerk.phone(['list']);
  assert.equal(missing.code, 2, missing.stderr);
  assert.equal(clerk.server.requests.length, 0);
});

/** Cells of a cli-table3 row, trimmed, borders dropped. */
function cells(line: string): string[] {
  return line
    .split(/[│|]/)
    .slice(1, -1)
    .map((cell) => cell.trim());
}

test('list on a terminal shows a table with the primary number marked *', needsTty, async () => {
  const user = clerk.server.addUser();
  const a = clerk.server.addPhoneNumber(user.id, '+12015550100');
  const b = clerk.server.addPhoneNumber(user.id, '+12015550101', { verified: true, primary: true });
  const c = clerk.server.addPhoneNumber(user.id, '+12015550102');
  assert.equal(clerk.server.user(user.id)!.primary_phone_number_id, b.id);
  const result = await runInTty(['list', '--user-id', user.id], { env: clerk.env });
  assert.equal(result.code, 0, result.output);
  const output = stripAnsi(result.output);
  const rowOf = (phone: PhoneNumberObject) => {
    const rows = output.split('\n').filter((line) => line.includes(phone.phone_number));
    assert.equal(rows.length, 1, `one row for ${phone.phone_number}:\n${output}`);
    return rows[0]!;
  };
  for (const phone of [a, b, c]) assert.ok(rowOf(phone).includes(phone.id), `row shows the ID:\n${output}`);
  assert.ok(cells(rowOf(b)).includes('*'), `the primary row is marked:\n${output}`);
  assert.ok(!rowOf(a).includes('*'), `a non-primary row is not marked:\n${output}`);
  assert.ok(!rowOf(c).includes('*'), `a non-primary row is not marked:\n${output}`);
  assert.ok(!output.trimStart().startsWith('['), 'not JSON on a terminal');
});

// ---------------------------------------------------------------- --output jsonl

test('--output jsonl: list prints one compact object a line; get prints one line', async () => {
  const user = clerk.server.addUser();
  clerk.server.addPhoneNumber(user.id, '+12015550100');
  clerk.server.addPhoneNumber(user.id, '+12015550101', { verified: true });
  const phones = clerk.server.user(user.id)!.phone_numbers;

  const list = await clerk.phone(['list', '--user-id', user.id, '--output', 'jsonl']);
  assert.equal(list.code, 0, list.stderr);
  assert.equal(list.stdout, jsonl(phones));
  assert.equal(list.stdout.split('\n').length, 3);

  const afterCommand = await clerk.phone(['--output', 'jsonl', 'list', '--user-id', user.id]);
  assert.equal(afterCommand.stdout, jsonl(phones), 'a global option before the subcommand works too');

  const get = await clerk.phone(['get', phones[0]!.id, '-o', 'jsonl']);
  assert.equal(get.code, 0, get.stderr);
  assert.equal(get.stdout, jsonl([phones[0]]));

  const byNumber = await clerk.phone(['get', '+12015550101', '--output', 'jsonl']);
  assert.equal(byNumber.code, 0, byNumber.stderr);
  assert.equal(byNumber.stdout, jsonl([phones[1]]));

  const empty = clerk.server.addUser();
  const none = await clerk.phone(['list', '--user-id', empty.id, '--output', 'jsonl']);
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stdout, '', 'no numbers: no lines');
});

test('--output jsonl errors are the JSON error object on stderr', async () => {
  const result = await clerk.phone(['get', '+12015550777', '--output', 'jsonl']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, '');
  const error = errorJson(result);
  assert.equal(typeof error.code, 'string');
});

// ---------------------------------------------------------------- --fields

test('--fields id,phone_number picks those fields in json and jsonl, for get and list', async () => {
  const user = clerk.server.addUser();
  clerk.server.addPhoneNumber(user.id, '+12015550100');
  clerk.server.addPhoneNumber(user.id, '+12015550101', { verified: true });
  const phones = clerk.server.user(user.id)!.phone_numbers;
  const picked = phones.map((p) => ({ id: p.id, phone_number: p.phone_number }));

  const listJson = await clerk.phone(['list', '--user-id', user.id, '--fields', 'id,phone_number']);
  assert.equal(listJson.code, 0, listJson.stderr);
  assert.equal(listJson.stdout, json(picked));

  const listJsonl = await clerk.phone(['list', '--user-id', user.id, '--output', 'jsonl', '--fields', 'id,phone_number']);
  assert.equal(listJsonl.code, 0, listJsonl.stderr);
  assert.equal(listJsonl.stdout, jsonl(picked));

  const getJson = await clerk.phone(['get', phones[1]!.id, '--json', '--fields', 'id,phone_number']);
  assert.equal(getJson.code, 0, getJson.stderr);
  assert.equal(getJson.stdout, json(picked[1]));

  const getJsonl = await clerk.phone(['get', '+12015550100', '--output', 'jsonl', '--fields', 'phone_number,id']);
  assert.equal(getJsonl.code, 0, getJsonl.stderr);
  assert.deepEqual(JSON.parse(getJsonl.stdout), { phone_number: '+12015550100', id: phones[0]!.id });
  assert.equal(getJsonl.stdout.split('\n').length, 2);
});

test('--fields id,phone_number in a table shows those fields and not the others', needsTty, async () => {
  const user = clerk.server.addUser();
  clerk.server.addPhoneNumber(user.id, '+12015550100', { verified: true });
  clerk.server.addPhoneNumber(user.id, '+12015550101');
  const phones = clerk.server.user(user.id)!.phone_numbers;
  const createdIso = (p: PhoneNumberObject) => new Date(p.created_at).toISOString();

  // Without --fields the table has the created date (so its absence below means something).
  const full = await clerk.phone(['get', phones[0]!.id, '--output', 'table']);
  assert.equal(full.code, 0, full.stderr);
  assert.ok(full.stdout.includes(createdIso(phones[0]!)), full.stdout);

  const get = await clerk.phone(['get', phones[0]!.id, '--output', 'table', '--fields', 'id,phone_number']);
  assert.equal(get.code, 0, get.stderr);
  assert.ok(get.stdout.includes(phones[0]!.id), get.stdout);
  assert.ok(get.stdout.includes('+12015550100'), get.stdout);
  assert.ok(!get.stdout.includes(createdIso(phones[0]!)), `no created date:\n${get.stdout}`);
  assert.ok(!/verified|admin/.test(get.stdout), `no verification:\n${get.stdout}`);
  assert.ok(!get.stdout.trimStart().startsWith('{'), 'a table, not JSON');

  const list = await runInTty(['list', '--user-id', user.id, '--fields', 'id,phone_number'], { env: clerk.env });
  assert.equal(list.code, 0, list.output);
  const output = stripAnsi(list.output);
  for (const phone of phones) {
    assert.ok(output.includes(phone.id), output);
    assert.ok(output.includes(phone.phone_number), output);
    assert.ok(!output.includes(createdIso(phone)), `no created date:\n${output}`);
  }
  assert.ok(!/verified|admin/.test(output), `no verification:\n${output}`);
});

test('a wrong --fields name: exit 2, the error lists the valid names, nothing sent', async () => {
  const user = clerk.server.addUser();
  const phone = clerk.server.addPhoneNumber(user.id, '+12015550100');
  for (const args of [
    ['get', phone.id, '--fields', 'id,number'],
    ['list', '--user-id', user.id, '--fields', 'nope'],
    ['list', '--user-id', user.id, '--output', 'jsonl', '--fields', 'id,phoneNumber'],
    ['get', '+12015550100', '--output', 'table', '--fields', 'colour'],
  ]) {
    const result = await clerk.phone(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stdout, '', args.join(' '));
    for (const name of PHONE_FIELDS) assert.ok(result.stderr.includes(name), `${args.join(' ')}: lists ${name}: ${result.stderr}`);
  }
  assert.equal(clerk.server.requests.length, 0);
});
