import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PhoneNumberObject } from './fake-clerk/server.ts';
import { assertUsageFailure, json } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { errorJson } from './helpers/results.ts';
import { tempDir } from './helpers/run-cli.ts';
import { needsTty, runInTty } from './helpers/tty.ts';

const clerk = useFakeClerk();

const YES_REQUIRED = /--yes is required when not running interactively/;
const question = (userId: string, number: string) => `Replace every phone number of user ${userId} with ${number}? [y/N]`;

/** A user with two numbers: a verified primary one and an unverified one. */
function seedUser() {
  const user = clerk.server.addUser();
  const first = clerk.server.addPhoneNumber(user.id, '+12015550100', { verified: true, primary: true });
  const second = clerk.server.addPhoneNumber(user.id, '+12015550101');
  return { user, first, second };
}

const replace = (userId: string, ...extra: string[]) =>
  clerk.phone(['replace', '--user-id', userId, '--phone-number', '+1 (201) 555-0199', ...extra]);
const puts = () => clerk.server.requests.filter((r) => r.method === 'PUT');
const numbersOf = (userId: string) => clerk.server.user(userId)!.phone_numbers;

function assertUnchanged(userId: string, phones: PhoneNumberObject[], label?: string): void {
  assert.deepEqual(
    numbersOf(userId)
      .map((p) => p.id)
      .sort(),
    phones.map((p) => p.id).sort(),
    label,
  );
}

// ---------------------------------------------------------------- --yes

test('replace --yes sends one PUT with only phone_number, every other number is gone, the new one is primary', async () => {
  const { user } = seedUser();
  const result = await replace(user.id, '--yes');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.deepEqual(
    clerk.server.requests.map((r) => `${r.method} ${r.url}`),
    [`PUT /v1/users/${user.id}/phone_number`],
  );
  const request = clerk.server.requests[0]!;
  assert.deepEqual(JSON.parse(request.rawBody), { phone_number: '+12015550199' });
  assert.match(request.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(request.headers.authorization, `Bearer ${clerk.server.secretKey}`);
  const after = clerk.server.user(user.id)!;
  assert.equal(after.phone_numbers.length, 1);
  const made = after.phone_numbers[0]!;
  assert.equal(made.phone_number, '+12015550199');
  assert.equal(after.primary_phone_number_id, made.id);
  assert.equal(made.verification?.status, 'verified', "Clerk's default status");
  assert.equal(result.stdout, json(made), 'prints the new phone number as create does');
});

test('replace --status sends identification_status with each value, and Clerk makes the number so', async () => {
  const expectations = {
    verified: (p: PhoneNumberObject) => p.verification?.status === 'verified' && !p.reserved,
    reserved: (p: PhoneNumberObject) => p.verification === null && p.reserved,
    unverified: (p: PhoneNumberObject) => p.verification === null && !p.reserved,
  };
  for (const [status, holds] of Object.entries(expectations)) {
    clerk.server.reset();
    const { user } = seedUser();
    const result = await replace(user.id, '--status', status, '--yes');
    assert.equal(result.code, 0, `${status}: ${result.stderr}`);
    assert.equal(puts().length, 1);
    assert.deepEqual(JSON.parse(puts()[0]!.rawBody), { phone_number: '+12015550199', identification_status: status }, status);
    const numbers = numbersOf(user.id);
    assert.equal(numbers.length, 1, status);
    assert.ok(holds(numbers[0]!), `${status}: ${JSON.stringify(numbers[0])}`);
    assert.equal(result.stdout, json(numbers[0]), status);
  }
});

test('replace as a table prints the new number as a table', async () => {
  const { user } = seedUser();
  const result = await replace(user.id, '--yes', '-o', 'table');
  assert.equal(result.code, 0, result.stderr);
  const made = numbersOf(user.id)[0]!;
  assert.ok(result.stdout.includes(made.id), result.stdout);
  assert.match(result.stdout, /Phone number.*\+12015550199/);
});

test('replace of a user without numbers adds the one number', async () => {
  const user = clerk.server.addUser();
  const result = await replace(user.id, '--yes');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(numbersOf(user.id).length, 1);
});

test('replace for an unknown user exits 3', async () => {
  const result = await replace('user_missing', '--yes');
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(errorJson(result).status, 404);
});

test('replace with a number another user holds verified: the API refuses, exit 1, nothing changes', async () => {
  const { user, first, second } = seedUser();
  const other = clerk.server.addUser();
  clerk.server.addPhoneNumber(other.id, '+12015550199', { verified: true });
  const result = await replace(user.id, '--yes');
  assert.equal(result.code, 1, result.stderr);
  assert.equal(errorJson(result).code, 'form_identifier_exists');
  assertUnchanged(user.id, [first, second]);
});

// ---------------------------------------------------------------- bad input

test('replace refuses bad input with exit 2 before any request', async () => {
  const { user } = seedUser();
  const cases: [string, string[]][] = [
    ['bad user ID', ['replace', '--user-id', '../users/x', '--phone-number', '+12015550199', '--yes']],
    ['user ID with a dash', ['replace', '--user-id', 'user-1', '--phone-number', '+12015550199', '--yes']],
    ['not E.164', ['replace', '--user-id', user.id, '--phone-number', '2015550199', '--yes']],
    ['too short', ['replace', '--user-id', user.id, '--phone-number', '+1234', '--yes']],
    ['unknown status', ['replace', '--user-id', user.id, '--phone-number', '+12015550199', '--status', 'primary', '--yes']],
    ['no --user-id', ['replace', '--phone-number', '+12015550199', '--yes']],
    ['no --phone-number', ['replace', '--user-id', user.id, '--yes']],
  ];
  for (const [label, args] of cases) {
    const result = await clerk.phone(args);
    assertUsageFailure(result, label, clerk.server);
    assert.equal(errorJson(result).code, 'usage', label);
  }
});

// ---------------------------------------------------------------- confirmation

test('replace without --yes when not on a terminal refuses with exit 2 and sends nothing', async () => {
  const { user, first, second } = seedUser();
  for (const stdin of ['', 'y\n']) {
    const result = await clerk.phone(['replace', '--user-id', user.id, '--phone-number', '+12015550199'], { stdin });
    assertUsageFailure(result, `stdin ${JSON.stringify(stdin)}`, clerk.server);
    assert.match(result.stderr, YES_REQUIRED);
  }
  const table = await clerk.phone(['replace', '--user-id', user.id, '--phone-number', '+12015550199', '-o', 'table']);
  assertUsageFailure(table, 'table', clerk.server);
  assert.match(table.stderr, YES_REQUIRED);
  assertUnchanged(user.id, [first, second]);
});

test('replace in CI (CI=true) on a terminal refuses without asking', needsTty, async () => {
  const { user } = seedUser();
  const result = await runInTty(['replace', '--user-id', user.id, '--phone-number', '+12015550199'], { env: { ...clerk.env, CI: 'true' } });
  assert.equal(result.code, 2, result.output);
  assert.match(result.output, YES_REQUIRED);
  assert.ok(!result.output.includes('[y/N]'));
  assert.equal(clerk.server.requests.length, 0);
});

test('replace on a terminal lists the numbers that will go, asks, and replaces after y', needsTty, async () => {
  const { user, first, second } = seedUser();
  const prompt = question(user.id, '+12015550199');
  const result = await runInTty(['replace', '--user-id', user.id, '--phone-number', '+1 201 555 0199'], {
    env: clerk.env,
    waitFor: prompt,
    input: 'y\n',
  });
  assert.equal(result.code, 0, result.output);
  const listed = result.output.slice(0, result.output.indexOf(prompt));
  for (const phone of [first, second]) {
    assert.ok(listed.includes(phone.id) && listed.includes(phone.phone_number), `lists ${phone.id} before asking:\n${result.output}`);
  }
  assert.match(listed, new RegExp(`${first.id}.*primary`));
  assert.deepEqual(
    clerk.server.requests.map((r) => `${r.method} ${r.path}`),
    [`GET /v1/users/${user.id}`, `PUT /v1/users/${user.id}/phone_number`],
  );
  const numbers = numbersOf(user.id);
  assert.equal(numbers.length, 1);
  assert.ok(result.output.includes(numbers[0]!.id), 'prints the new number');
});

test('the replace listing and prompt go to stderr, the new number to stdout', needsTty, async () => {
  const { user, first } = seedUser();
  const cwd = tempDir();
  const prompt = question(user.id, '+12015550199');
  const result = await runInTty(['replace', '--user-id', user.id, '--phone-number', '+12015550199'], {
    env: clerk.env,
    cwd,
    waitFor: prompt,
    input: 'yes\n',
    redirect: '> out.json',
  });
  assert.equal(result.code, 0, result.output);
  assert.ok(result.output.includes(first.id));
  const stdout = readFileSync(join(cwd, 'out.json'), 'utf8');
  assert.equal(stdout, json(numbersOf(user.id)[0]));
  assert.ok(!stdout.includes(first.id));
});

test('replace on a terminal answered n exits 2 and sends no PUT', needsTty, async () => {
  const { user, first, second } = seedUser();
  const prompt = question(user.id, '+12015550199');
  for (const answer of ['n\n', '\n', 'maybe\n']) {
    const result = await runInTty(['replace', '--user-id', user.id, '--phone-number', '+12015550199'], {
      env: clerk.env,
      waitFor: prompt,
      input: answer,
    });
    assert.equal(result.code, 2, `${JSON.stringify(answer)}: ${result.output}`);
    assert.match(result.output, /Not replaced\.\n/);
    assert.doesNotMatch(result.output, /Usage:|Error:/, 'a declined question is an answer, not a usage error');
  }
  assert.equal(puts().length, 0);
  assertUnchanged(user.id, [first, second]);
});

test('replace --status unverified on a terminal warns that the user may be locked out', needsTty, async () => {
  const { user } = seedUser();
  const prompt = question(user.id, '+12015550199');
  const result = await runInTty(['replace', '--user-id', user.id, '--phone-number', '+12015550199', '--status', 'unverified'], {
    env: clerk.env,
    waitFor: prompt,
    input: 'n\n',
  });
  assert.equal(result.code, 2, result.output);
  assert.match(result.output, /locked out/);
});

// ---------------------------------------------------------------- --dry-run

test('replace --dry-run reads the user, sends no PUT, and prints the request and the numbers that would go (JSON)', async () => {
  const { user, first, second } = seedUser();
  const result = await replace(user.id, '--status', 'reserved', '--dry-run');
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(
    clerk.server.requests.map((r) => `${r.method} ${r.path}`),
    [`GET /v1/users/${user.id}`],
  );
  const preview = JSON.parse(result.stdout) as {
    method: string;
    url: string;
    headers: Record<string, string>;
    body: unknown;
    would_delete: PhoneNumberObject[];
  };
  assert.equal(result.stdout, json(preview));
  assert.equal(preview.method, 'PUT');
  assert.equal(preview.url, `${clerk.server.url}/v1/users/${user.id}/phone_number`);
  assert.deepEqual(preview.body, { phone_number: '+12015550199', identification_status: 'reserved' });
  assert.ok(!result.stdout.includes(clerk.server.secretKey), 'the key is redacted');
  assert.deepEqual(preview.would_delete, clerk.server.user(user.id)!.phone_numbers, 'the API objects of the numbers that would go');
  assertUnchanged(user.id, [first, second]);
});

test('replace --dry-run as a table: the numbers on stderr, the request on stdout, nothing sent', async () => {
  const { user, first, second } = seedUser();
  const result = await replace(user.id, '--dry-run', '-o', 'table');
  assert.equal(result.code, 0, result.stderr);
  for (const phone of [first, second])
    assert.ok(result.stderr.includes(phone.id) && result.stderr.includes(phone.phone_number), result.stderr);
  assert.match(result.stderr, /would delete 2 phone numbers/);
  assert.match(result.stdout, new RegExp(`PUT ${clerk.server.url}/v1/users/${user.id}/phone_number`));
  assert.ok(!result.stdout.includes(first.id), 'stdout holds only the request');
  assert.equal(puts().length, 0);
  assertUnchanged(user.id, [first, second]);
});

test('replace --dry-run on a terminal does not ask', needsTty, async () => {
  const { user, first, second } = seedUser();
  const result = await runInTty(['replace', '--user-id', user.id, '--phone-number', '+12015550199', '--dry-run'], { env: clerk.env });
  assert.equal(result.code, 0, result.output);
  assert.ok(!result.output.includes('[y/N]'), result.output);
  assert.ok(result.output.includes(first.id) && result.output.includes(second.id));
  assert.equal(puts().length, 0);
});

test('replace --dry-run for an unknown user exits 3', async () => {
  const result = await clerk.phone(['replace', '--user-id', 'user_missing', '--phone-number', '+12015550199', '--dry-run']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(puts().length, 0);
});

// ---------------------------------------------------------------- retries: a replace is never repeated once it may have arrived

for (const fault of [{ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'drop' }] as const) {
  test(`replace after ${fault.kind === 'drop' ? 'a dropped connection' : `HTTP ${fault.status}`} is not repeated: 1 PUT, exit 5, says how to check`, async () => {
    const { user, first, second } = seedUser();
    clerk.server.fault({ method: 'PUT', path: `/v1/users/${user.id}/phone_number`, times: 4, fault });
    const result = await replace(user.id, '--yes', '-o', 'table');
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(puts().length, 1);
    assert.match(result.stderr, /may have been replaced/);
    assert.ok(result.stderr.includes(`phone list --user-id ${user.id}`), result.stderr);
    assertUnchanged(user.id, [first, second]);
  });
}

test('replace whose answer is lost after Clerk made the change is not repeated: the number made stays', async () => {
  const { user } = seedUser();
  clerk.server.fault({
    method: 'PUT',
    path: `/v1/users/${user.id}/phone_number`,
    times: 4,
    fault: { kind: 'error-after-commit', status: 500 },
  });
  const result = await replace(user.id, '--yes');
  assert.equal(result.code, 5, result.stderr);
  assert.equal(puts().length, 1);
  const numbers = numbersOf(user.id);
  assert.equal(numbers.length, 1);
  assert.equal(numbers[0]!.phone_number, '+12015550199');
  assert.match(errorJson(result).message, /may have been replaced/);
});

test('replace after a 429 with Retry-After is repeated (it certainly did not arrive)', async () => {
  const { user } = seedUser();
  clerk.server.fault({
    method: 'PUT',
    path: `/v1/users/${user.id}/phone_number`,
    times: 1,
    fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
  });
  const result = await replace(user.id, '--yes');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(puts().length, 2);
  assert.equal(numbersOf(user.id).length, 1);
});

test('replace --help has examples and the options', async () => {
  const help = await clerk.phone(['replace', '--help']);
  assert.equal(help.code, 0, help.stderr);
  for (const word of ['--user-id', '--phone-number', '--status', '--yes', '--dry-run', 'verified', 'reserved', 'unverified'])
    assert.ok(help.stdout.includes(word), word);
  assert.match(help.stdout, /Examples:\n {2}\$ phone replace /);
});
