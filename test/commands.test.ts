import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RecordedRequest } from './fake-clerk/server.ts';
import { assertUsageFailure as assertUsageFailureOn, json, seedPhone } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { errorJson, type ErrorObject } from './helpers/results.ts';
import { ROOT, tempDir, type CliResult } from './helpers/run-cli.ts';
import { ANSI, needsTty, runInTty } from './helpers/tty.ts';

const clerk = useFakeClerk();
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

function assertApiHeaders(request: RecordedRequest, hasBody: boolean): void {
  assert.equal(request.headers.authorization, `Bearer ${clerk.server.secretKey}`);
  assert.equal(request.headers['user-agent'], `phone/${VERSION}`);
  assert.equal(request.headers['clerk-api-version'], '2026-05-12');
  if (hasBody) {
    assert.match(request.headers['content-type'] ?? '', /^application\/json\s*(;|$)/);
  } else {
    assert.equal(request.headers['content-type'], undefined, 'no content-type without a body');
    assert.equal(request.rawBody, '');
  }
}

/** A usage error (see common.ts) whose stderr says why. */
function assertUsageFailure(result: CliResult, label: string): void {
  assertUsageFailureOn(result, label, clerk.server);
  assert.notEqual(result.stderr, '', `${label}: stderr says why`);
}

/** `label: stderr` as an assertion message, or just stderr. */
const because = (result: CliResult, label?: string) => (label === undefined ? result.stderr : `${label}: ${result.stderr}`);

/** A new user, and `phone create` of the number for it with the given flags. */
async function createForNewUser(phoneNumber: string, flags: string[] = []) {
  const user = clerk.server.addUser();
  const result = await clerk.phone(['create', '--user-id', user.id, '--phone-number', phoneNumber, ...flags]);
  return { user, result };
}

/** Exit 0 after exactly one request: that request. */
function onlyRequest(result: CliResult, label?: string): RecordedRequest {
  assert.equal(result.code, 0, because(result, label));
  assert.equal(clerk.server.requests.length, 1);
  return clerk.server.requests[0]!;
}

/** The request is `method url`, with the headers every API call carries. */
function assertRequest(request: RecordedRequest, method: string, url: string, hasBody: boolean, label?: string): void {
  assert.equal(request.method, method, label);
  assert.equal(request.url, url);
  assertApiHeaders(request, hasBody);
}

/** A failed command: that exit code, nothing on stdout, and the one JSON error line on stderr. */
function failedWith(result: CliResult, code: number, label?: string): ErrorObject {
  assert.equal(result.code, code, because(result, label));
  assert.equal(result.stdout, '');
  return errorJson(result);
}

/** Deleting by ID on a terminal looks the number up first, so the question names both. */
const deletePrompt = (phone: { id: string; phone_number: string }) => `Delete phone number ${phone.id} (${phone.phone_number})? [y/N]`;

const YES_REQUIRED = /--yes is required when not running interactively/;

/** Refused for want of --yes, without asking, and nothing sent. */
function assertRefusedWithoutAsking(text: string): void {
  assert.match(text, YES_REQUIRED);
  assert.ok(!text.includes('[y/N]'), text);
  assert.equal(clerk.server.requests.length, 0);
}

// ---------------------------------------------------------------- create

test('create with every flag on sends them all as true and prints the created object', async () => {
  const { user, result } = await createForNewUser('+12015550123', ['--verified', '--primary', '--reserved-for-second-factor']);
  const request = onlyRequest(result);
  assert.equal(result.stderr, '');
  assert.equal(request.path, '/v1/phone_numbers');
  assertRequest(request, 'POST', '/v1/phone_numbers', true);
  assert.deepEqual(request.body, {
    user_id: user.id,
    phone_number: '+12015550123',
    verified: true,
    primary: true,
    reserved_for_second_factor: true,
  });
  const created = clerk.server.phoneNumbers();
  assert.equal(created.length, 1);
  assert.equal(result.stdout, json(created[0]));
  assert.equal(created[0]!.reserved_for_second_factor, true);
  assert.equal(clerk.server.user(user.id)!.primary_phone_number_id, created[0]!.id);
});

test('create with every --no- flag sends false for each', async () => {
  const { user, result } = await createForNewUser('+12015550123', ['--no-verified', '--no-primary', '--no-reserved-for-second-factor']);
  assert.deepEqual(onlyRequest(result).body, {
    user_id: user.id,
    phone_number: '+12015550123',
    verified: false,
    primary: false,
    reserved_for_second_factor: false,
  });
  assert.equal(result.stdout, json(clerk.server.phoneNumbers()[0]));
});

test('create without optional flags sends only user_id and phone_number', async () => {
  const { user, result } = await createForNewUser('+12015550123');
  const request = onlyRequest(result);
  assert.deepEqual(request.body, { user_id: user.id, phone_number: '+12015550123' });
  assert.deepEqual(Object.keys(JSON.parse(request.rawBody) as object).sort(), ['phone_number', 'user_id']);
  assert.equal(result.stdout, json(clerk.server.phoneNumbers()[0]));
});

test('create sends each single flag alone', async () => {
  const cases: [string[], Record<string, boolean>][] = [
    [['--verified'], { verified: true }],
    [['--no-verified'], { verified: false }],
    [['--primary'], { primary: true }],
    [['--no-primary'], { primary: false }],
    [['--verified', '--no-reserved-for-second-factor'], { verified: true, reserved_for_second_factor: false }],
  ];
  for (const [flags, fields] of cases) {
    clerk.server.reset();
    const { user, result } = await createForNewUser('+12015550123', flags);
    assert.deepEqual(
      onlyRequest(result, flags.join(' ')).body,
      { user_id: user.id, phone_number: '+12015550123', ...fields },
      flags.join(' '),
    );
  }
});

test('create normalises spaces, dashes, dots and parentheses in the phone number', async () => {
  const cases: [string, string][] = [
    ['+1 (201) 555-0123', '+12015550123'],
    ['+1.201.555.0124', '+12015550124'],
    ['+1-201-555-0125', '+12015550125'],
    [' +44 20 7946 0958 ', '+442079460958'],
    ['+12345678', '+12345678'],
    ['+123456789012345', '+123456789012345'],
  ];
  for (const [typed, sent] of cases) {
    clerk.server.reset();
    const { user, result } = await createForNewUser(typed);
    assert.deepEqual(onlyRequest(result, typed).body, { user_id: user.id, phone_number: sent }, typed);
    assert.equal(clerk.server.phoneNumbers()[0]!.phone_number, sent);
  }
});

test('create refuses a number that is not E.164 with exit 2 and sends nothing', async () => {
  const user = clerk.server.addUser();
  const invalid = [
    '12015550123',
    '+1234567',
    '+1234567890123456',
    '+1 201 555 012a',
    '++12015550123',
    '+',
    '',
    'tel:+12015550123',
    '+1/201/555/0123',
    '+1_2015550123',
  ];
  for (const number of invalid) {
    const result = await clerk.inProcess(['create', '--user-id', user.id, '--phone-number', number]);
    assertUsageFailure(result, `phone number ${JSON.stringify(number)}`);
  }
});

test('create refuses an invalid user ID with exit 2 and sends nothing', async () => {
  for (const userId of ['../users/user_1', 'user-1', 'user 1', 'user_1/phone_numbers', 'user_1?x=1', 'user%5F1', '']) {
    const result = await clerk.inProcess(['create', '--user-id', userId, '--phone-number', '+12015550123']);
    assertUsageFailure(result, `user id ${JSON.stringify(userId)}`);
  }
});

test('create without --user-id or --phone-number is a usage error', async () => {
  assertUsageFailure(await clerk.inProcess(['create', '--phone-number', '+12015550123']), 'no --user-id');
  assertUsageFailure(await clerk.inProcess(['create', '--user-id', 'user_1']), 'no --phone-number');
  assertUsageFailure(await clerk.inProcess(['create']), 'no flags');
});

test('create of a number the user already has: the API refuses with 422, exit 1', async () => {
  const { user } = seedPhone(clerk.server);
  const result = await clerk.phone(['create', '--user-id', user.id, '--phone-number', '+1 201 555 0100']);
  const error = failedWith(result, 1);
  assert.equal(error.status, 422);
  assert.equal(error.code, 'form_identifier_exists');
  assert.equal(clerk.server.requests.length, 1, 'a 422 is not retried');
});

test('create for a user that does not exist: 404, exit 3', async () => {
  const result = await clerk.phone(['create', '--user-id', 'user_missing', '--phone-number', '+12015550123']);
  assert.equal(failedWith(result, 3).status, 404);
});

// ---------------------------------------------------------------- get

test('get sends one GET with the required headers and no body', async () => {
  const { phone } = seedPhone(clerk.server, { verified: true });
  const result = await clerk.phone(['get', phone.id]);
  const request = onlyRequest(result);
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, json(phone));
  assertRequest(request, 'GET', `/v1/phone_numbers/${phone.id}`, false);
});

test('get of an unknown phone number exits 3', async () => {
  const result = await clerk.phone(['get', 'idn_doesnotexist']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(clerk.server.requests.length, 1, 'a 404 is not retried');
});

test('get without an ID is a usage error', async () => {
  assertUsageFailure(await clerk.inProcess(['get']), 'get with no argument');
});

const PATH_TRICKS = [
  '../users/user_1',
  '..',
  '.',
  'idn_1/../../users/user_1',
  '%2e%2e%2fusers%2fuser_1',
  '..%2Fusers%2Fuser_1',
  'idn_1?x=1',
  'idn_1#fragment',
  'idn_1/',
  '/v1/users',
  'idn 1',
  'idn-1',
  'idn_1\n',
  '',
];

test('get with path tricks in the ID exits 2 and sends no request at all', async () => {
  seedPhone(clerk.server);
  for (const id of PATH_TRICKS) {
    assertUsageFailure(await clerk.inProcess(['get', id]), `get ${JSON.stringify(id)}`);
  }
});

test('update and delete with path tricks in the ID exit 2 and send no request at all', async () => {
  seedPhone(clerk.server);
  for (const id of PATH_TRICKS) {
    assertUsageFailure(await clerk.inProcess(['update', id, '--verified']), `update ${JSON.stringify(id)}`);
    assertUsageFailure(await clerk.inProcess(['delete', id, '--yes']), `delete ${JSON.stringify(id)}`);
  }
});

// ---------------------------------------------------------------- update

test('update sends each field alone, exactly as given', async () => {
  const cases: [string[], Record<string, boolean>, { verified?: boolean }][] = [
    [['--verified'], { verified: true }, {}],
    [['--no-verified'], { verified: false }, { verified: true }],
    [['--primary'], { primary: true }, {}],
    [['--no-primary'], { primary: false }, {}],
    [['--reserved-for-second-factor'], { reserved_for_second_factor: true }, { verified: true }],
    [['--no-reserved-for-second-factor'], { reserved_for_second_factor: false }, { verified: true }],
  ];
  for (const [flags, body, seed] of cases) {
    clerk.server.reset();
    const { phone } = seedPhone(clerk.server, seed);
    const result = await clerk.phone(['update', phone.id, ...flags]);
    const request = onlyRequest(result, flags.join(' '));
    assert.equal(result.stderr, '');
    assertRequest(request, 'PATCH', `/v1/phone_numbers/${phone.id}`, true, flags.join(' '));
    assert.deepEqual(request.body, body, flags.join(' '));
    assert.equal(result.stdout, json(clerk.server.phoneNumbers()[0]), flags.join(' '));
  }
});

test('update with all fields sends all of them and prints the updated object', async () => {
  const { phone, user } = seedPhone(clerk.server);
  clerk.server.addPhoneNumber(user.id, '+12015550199', { primary: true });
  const result = await clerk.phone(['update', phone.id, '--verified', '--primary', '--reserved-for-second-factor']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(clerk.server.requests[0]!.body, { verified: true, primary: true, reserved_for_second_factor: true });
  const updated = clerk.server.phoneNumbers().find((p) => p.id === phone.id)!;
  assert.equal(updated.verification?.status, 'verified');
  assert.equal(updated.reserved_for_second_factor, true);
  assert.equal(clerk.server.user(user.id)!.primary_phone_number_id, phone.id);
  assert.equal(result.stdout, json(updated));
});

test('update with no field to change is a usage error and sends nothing', async () => {
  const { phone } = seedPhone(clerk.server);
  assertUsageFailure(await clerk.inProcess(['update', phone.id]), 'update with no field');
  assertUsageFailure(await clerk.inProcess(['update', phone.id, '--json', '--debug']), 'update with only global options');
});

test('update of an unknown phone number exits 3', async () => {
  const result = await clerk.phone(['update', 'idn_doesnotexist', '--verified']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, '');
});

test('update the API refuses (second factor on an unverified number) exits 1 with the API error', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.phone(['update', phone.id, '--reserved-for-second-factor']);
  const error = failedWith(result, 1);
  assert.equal(error.status, 422);
  assert.equal(error.code, 'form_param_value_invalid');
});

// ---------------------------------------------------------------- delete

test('delete --yes sends one DELETE and prints the DeletedObject', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.phone(['delete', phone.id, '--yes']);
  const request = onlyRequest(result);
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, json({ object: 'phone_number', id: phone.id, deleted: true }));
  assertRequest(request, 'DELETE', `/v1/phone_numbers/${phone.id}`, false);
  assert.equal(clerk.server.phoneNumbers().length, 0);
});

test('delete --yes before the ID works too', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.phone(['delete', '--yes', phone.id]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(clerk.server.phoneNumbers().length, 0);
});

test('delete of an unknown phone number exits 3', async () => {
  const result = await clerk.phone(['delete', 'idn_doesnotexist', '--yes']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(clerk.server.requests.length, 1);
});

test('delete without --yes when not on a terminal refuses with exit 2 and sends nothing', async () => {
  const { phone } = seedPhone(clerk.server);
  for (const stdin of ['', 'y\n']) {
    const result = await clerk.inProcess(['delete', phone.id], { stdin });
    assertUsageFailure(result, `stdin ${JSON.stringify(stdin)}`);
    assert.match(result.stderr, YES_REQUIRED);
  }
  const table = await clerk.inProcess(['delete', phone.id, '-o', 'table']);
  assertUsageFailure(table, 'table mode');
  assert.match(table.stderr, YES_REQUIRED);
  assert.equal(clerk.server.phoneNumbers().length, 1);
});

test('delete on a terminal asks on stderr and deletes after y', needsTty, async () => {
  const { phone } = seedPhone(clerk.server);
  const prompt = deletePrompt(phone);
  const result = await runInTty(['delete', phone.id], { env: clerk.env, waitFor: prompt, input: 'y\n' });
  assert.equal(result.code, 0, result.output);
  assert.ok(result.output.includes(prompt), result.output);
  assert.ok(result.output.includes(`Deleted phone number ${phone.id}\n`), result.output);
  assert.deepEqual(
    clerk.server.requests.map((r) => `${r.method} ${r.path}`),
    [`GET /v1/phone_numbers/${phone.id}`, `DELETE /v1/phone_numbers/${phone.id}`],
  );
  assert.equal(clerk.server.phoneNumbers().length, 0);
});

test('the delete prompt goes to stderr, not stdout', needsTty, async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  const prompt = deletePrompt(phone);
  const result = await runInTty(['delete', phone.id], { env: clerk.env, cwd, waitFor: prompt, input: 'yes\n', redirect: '> out.json' });
  assert.equal(result.code, 0, result.output);
  assert.ok(result.output.includes(prompt), result.output);
  const stdout = readFileSync(join(cwd, 'out.json'), 'utf8');
  assert.equal(stdout, json({ object: 'phone_number', id: phone.id, deleted: true }));
  assert.equal(clerk.server.phoneNumbers().length, 0);
});

test('delete on a terminal answered n exits 2 and sends no DELETE', needsTty, async () => {
  const { phone } = seedPhone(clerk.server);
  const prompt = deletePrompt(phone);
  for (const answer of ['n\n', '\n', 'no\n', 'maybe\n']) {
    const result = await runInTty(['delete', phone.id], { env: clerk.env, waitFor: prompt, input: answer });
    assert.equal(result.code, 2, `${JSON.stringify(answer)}: ${result.output}`);
    assert.ok(result.output.includes(prompt), result.output);
    assert.ok(!result.output.includes('Deleted phone number'), result.output);
  }
  assert.equal(clerk.server.requests.filter((r) => r.method === 'DELETE').length, 0);
  assert.equal(clerk.server.phoneNumbers().length, 1);
});

test('delete on a terminal whose stdin is redirected refuses without asking', needsTty, async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await runInTty(['delete', phone.id], { env: clerk.env, redirect: '< /dev/null' });
  assert.equal(result.code, 2, result.output);
  assertRefusedWithoutAsking(result.output);
});

test('delete on a terminal whose stderr is redirected refuses without asking', needsTty, async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  const result = await runInTty(['delete', phone.id], { env: clerk.env, cwd, redirect: '2> err.txt' });
  assert.equal(result.code, 2, result.output);
  assertRefusedWithoutAsking(readFileSync(join(cwd, 'err.txt'), 'utf8'));
});

test('Ctrl-C at the delete prompt exits 130 and sends no DELETE', needsTty, async () => {
  const { phone } = seedPhone(clerk.server);
  const prompt = deletePrompt(phone);
  const result = await runInTty(['delete', phone.id], { env: clerk.env, waitFor: prompt, input: '\x03' });
  assert.equal(result.code, 130, result.output);
  assert.ok(!result.output.includes('Deleted phone number'), result.output);
  assert.deepEqual(
    clerk.server.requests.map((r) => r.method),
    ['GET'],
    'only the lookup for the question',
  );
  assert.equal(clerk.server.phoneNumbers().length, 1);
});

test('Ctrl-C while a request is in flight exits 130', needsTty, async () => {
  const { phone } = seedPhone(clerk.server);
  clerk.server.fault({ fault: { kind: 'delay', ms: 15_000 } });
  const result = await runInTty(['get', phone.id], { env: clerk.env, waitFor: () => clerk.server.requests.length > 0, input: '\x03' });
  assert.equal(result.code, 130, result.output);
  assert.ok(!result.output.includes('+12015550100'), `nothing printed as a result: ${result.output}`);
  assert.equal(clerk.server.requests.length, 1, 'not retried after the interrupt');
});

// ---------------------------------------------------------------- global options

interface GlobalCase {
  name: string;
  flags: (ctx: { id: string; cwd: string }) => string[];
  env?: Record<string, string | undefined>;
  setup?: (ctx: { id: string; cwd: string }) => void;
  check: (result: CliResult, ctx: { id: string; cwd: string }) => void;
}

const GLOBAL_CASES: GlobalCase[] = [
  {
    name: '-o table',
    flags: () => ['-o', 'table'],
    check: (r, { id }) => {
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.includes(id) && r.stdout.includes('Phone number') && !r.stdout.trimStart().startsWith('{'), r.stdout);
    },
  },
  {
    name: '--output table',
    flags: () => ['--output', 'table'],
    check: (r) => {
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.includes('Phone number') && !r.stdout.trimStart().startsWith('{'), r.stdout);
    },
  },
  {
    name: '--api-url',
    flags: () => ['--api-url', clerk.server.url],
    env: { CLERK_API_URL: undefined },
    check: (r) => {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(clerk.server.requests.length, 1);
    },
  },
  {
    name: '--secret-key-file',
    flags: ({ cwd }) => ['--secret-key-file', join(cwd, 'key.txt')],
    env: { CLERK_SECRET_KEY: undefined },
    setup: ({ cwd }) => writeFileSync(join(cwd, 'key.txt'), `${clerk.server.secretKey}\n`),
    check: (r) => {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(clerk.server.requests[0]!.headers.authorization, `Bearer ${clerk.server.secretKey}`);
    },
  },
  {
    name: '--config',
    flags: ({ cwd }) => ['--config', join(cwd, 'settings.json')],
    env: { CLERK_SECRET_KEY: undefined, CLERK_API_URL: undefined },
    setup: ({ cwd }) =>
      writeFileSync(join(cwd, 'settings.json'), JSON.stringify({ secretKey: clerk.server.secretKey, apiUrl: clerk.server.url })),
    check: (r) => {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(clerk.server.requests.length, 1);
    },
  },
  {
    name: '--retries 0',
    flags: () => ['--retries', '0'],
    setup: () => clerk.server.fault({ fault: { kind: 'status', status: 503 }, times: 10 }),
    check: (r) => {
      assert.equal(r.code, 5, r.stderr);
      assert.equal(clerk.server.requests.length, 1, 'no retry');
    },
  },
  {
    name: '--timeout',
    flags: () => ['--timeout', '200', '--retries', '0'],
    setup: () => clerk.server.fault({ fault: { kind: 'delay', ms: 4000 } }),
    check: (r) => {
      assert.equal(r.code, 5, r.stderr);
      assert.equal(errorJson(r).code, 'timeout');
    },
  },
  {
    name: '--debug',
    flags: () => ['--debug'],
    check: (r, { id }) => {
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stderr.includes(`/v1/phone_numbers/${id}`), `debug shows the request: ${r.stderr}`);
    },
  },
  {
    name: '--json with a table default from the config',
    flags: () => ['--json'],
    setup: ({ cwd }) => writeFileSync(join(cwd, '.phonerc.json'), JSON.stringify({ output: 'table' })),
    check: (r) => {
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(Object.keys(JSON.parse(r.stdout) as object).includes('phone_number'), true);
    },
  },
];

for (const position of ['before', 'after'] as const) {
  test(`global options work ${position} the subcommand`, async () => {
    for (const c of GLOBAL_CASES) {
      clerk.server.reset();
      const { phone } = seedPhone(clerk.server);
      const ctx = { id: phone.id, cwd: tempDir() };
      c.setup?.(ctx);
      const flags = c.flags(ctx);
      const args = position === 'before' ? [...flags, 'get', phone.id] : ['get', phone.id, ...flags];
      const result = await clerk.inProcess(args, { env: c.env, cwd: ctx.cwd });
      try {
        c.check(result, ctx);
      } catch (error) {
        (error as Error).message = `${c.name} ${position} the subcommand: ${(error as Error).message}`;
        throw error;
      }
    }
  });
}

test('global options work before and after create, update and delete', async () => {
  const user = clerk.server.addUser();
  const env = { CLERK_API_URL: undefined };
  const created = await clerk.inProcess(
    ['--api-url', clerk.server.url, 'create', '--user-id', user.id, '--phone-number', '+12015550123', '-o', 'table'],
    { env },
  );
  assert.equal(created.code, 0, created.stderr);
  assert.ok(created.stdout.includes('+12015550123') && !created.stdout.trimStart().startsWith('{'), created.stdout);
  const id = clerk.server.phoneNumbers()[0]!.id;
  const updated = await clerk.inProcess(['-o', 'table', 'update', id, '--verified', '--api-url', clerk.server.url], { env });
  assert.equal(updated.code, 0, updated.stderr);
  assert.ok(updated.stdout.includes(id) && !updated.stdout.trimStart().startsWith('{'), updated.stdout);
  const deleted = await clerk.inProcess(['--output', 'table', '--api-url', clerk.server.url, 'delete', id, '--yes'], { env });
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.equal(deleted.stdout, `Deleted phone number ${id}\n`);
  assert.deepEqual(
    clerk.server.requests.map((r) => r.method),
    ['POST', 'PATCH', 'DELETE'],
  );
});

test('--no-color works before and after the subcommand on a terminal', needsTty, async () => {
  const { phone } = seedPhone(clerk.server, { verified: true });
  const colored = await runInTty(['get', phone.id], { env: clerk.env });
  assert.equal(colored.code, 0, colored.output);
  assert.match(colored.output, ANSI, 'a terminal gets color by default');
  for (const args of [
    ['--no-color', 'get', phone.id],
    ['get', phone.id, '--no-color'],
  ]) {
    const result = await runInTty(args, { env: clerk.env });
    assert.equal(result.code, 0, result.output);
    assert.ok(result.output.includes(phone.id), result.output);
    assert.doesNotMatch(result.output, ANSI, args.join(' '));
  }
});

test('--json works before and after the subcommand on a terminal', needsTty, async () => {
  const { phone } = seedPhone(clerk.server);
  for (const args of [
    ['--json', 'get', phone.id],
    ['get', phone.id, '--json'],
    ['-o', 'json', 'get', phone.id],
    ['get', phone.id, '--output', 'json'],
  ]) {
    const result = await runInTty(args, { env: clerk.env });
    assert.equal(result.code, 0, result.output);
    assert.equal(result.output, json(phone), args.join(' '));
  }
});

// ---------------------------------------------------------------- help, version, unknown commands

test('--version prints the version on stdout and exits 0', async () => {
  for (const args of [['--version'], ['-v']]) {
    const result = await clerk.phone(args);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `${VERSION}\n`);
    assert.equal(result.stderr, '');
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('--help prints help on stdout and exits 0', async () => {
  const result = await clerk.inProcess(['--help']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  for (const word of [
    'create',
    'get',
    'update',
    'delete',
    '--output',
    '--json',
    '--api-url',
    '--config',
    '--secret-key-file',
    '--retries',
    '--timeout',
    '--debug',
    '--no-color',
  ]) {
    assert.ok(result.stdout.includes(word), `help mentions ${word}`);
  }
  for (const command of ['create', 'get', 'update', 'delete']) {
    const sub = await clerk.inProcess([command, '--help']);
    assert.equal(sub.code, 0, sub.stderr);
    assert.equal(sub.stderr, '');
    assert.ok(sub.stdout.includes(command), sub.stdout);
  }
  const create = await clerk.inProcess(['create', '--help']);
  for (const flag of [
    '--user-id',
    '--phone-number',
    '--verified',
    '--no-verified',
    '--primary',
    '--no-primary',
    '--reserved-for-second-factor',
    '--no-reserved-for-second-factor',
  ]) {
    assert.ok(create.stdout.includes(flag), `create --help mentions ${flag}`);
  }
  assert.ok((await clerk.inProcess(['delete', '--help'])).stdout.includes('--yes'));
  assert.equal(clerk.server.requests.length, 0);
});

test('an unknown command suggests the nearest one and exits 2', async () => {
  const cases: [string, string][] = [
    ['gte', 'get'],
    ['delet', 'delete'],
    ['updte', 'update'],
    ['craete', 'create'],
  ];
  for (const [typed, meant] of cases) {
    for (const format of [[], ['-o', 'table']]) {
      const result = await clerk.inProcess([...format, typed, 'idn_1']);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.ok(result.stderr.includes(typed), result.stderr);
      assert.match(result.stderr, new RegExp(`\\b${meant}\\b`), `suggests ${meant}: ${result.stderr}`);
    }
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('an unknown flag or a bad --output value exits 2 and sends nothing', async () => {
  const { phone } = seedPhone(clerk.server);
  assertUsageFailure(await clerk.inProcess(['get', phone.id, '--bogus']), '--bogus');
  assertUsageFailure(await clerk.inProcess(['get', phone.id, '-o', 'yaml']), '-o yaml');
  assertUsageFailure(await clerk.inProcess(['get', phone.id, '--retries', 'many']), '--retries many');
  assertUsageFailure(await clerk.inProcess(['get', phone.id, '--retries', '-1']), '--retries -1');
  assertUsageFailure(await clerk.inProcess(['get', phone.id, '--timeout', 'soon']), '--timeout soon');
  assertUsageFailure(await clerk.inProcess(['create', '--user-id', 'user_1', '--phone-number', '+12015550123', '--yes']), 'create --yes');
  assertUsageFailure(await clerk.inProcess(['get', phone.id, 'extra']), 'an extra argument');
});

// ---------------------------------------------------------------- API error exit codes

test('a 422 from the API exits 1', async () => {
  const { phone } = seedPhone(clerk.server);
  clerk.server.fault({ fault: { kind: 'status', status: 422 } });
  const result = await clerk.phone(['get', phone.id]);
  assert.equal(failedWith(result, 1).status, 422);
});

test('a 400 or 409 from the API exits 1 and is not retried', async () => {
  const { phone } = seedPhone(clerk.server);
  for (const status of [400, 409]) {
    clerk.server.reset();
    clerk.server.fault({ path: `/v1/phone_numbers/${phone.id}`, fault: { kind: 'status', status }, times: 5 });
    const result = await clerk.phone(['get', phone.id]);
    assert.equal(failedWith(result, 1, String(status)).status, status);
    assert.equal(clerk.server.requests.length, 1);
  }
});

test('a 404 exits 3', async () => {
  const result = await clerk.phone(['get', 'idn_missing']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(errorJson(result).status, 404);
});

test('a wrong key (401) exits 4', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.phone(['get', phone.id], { env: { CLERK_SECRET_KEY: 'sk_test_wrongwrongwrongwrong1234' } });
  assert.equal(failedWith(result, 4).status, 401);
  assert.equal(clerk.server.requests.length, 1, 'a 401 is not retried');
  assert.equal(clerk.server.requests[0]!.headers.authorization, 'Bearer sk_test_wrongwrongwrongwrong1234');
});

test('a forbidden key (403) exits 4', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.phone(['get', phone.id], { env: { CLERK_SECRET_KEY: 'sk_test_forbidden0000000000001234' } });
  assert.equal(failedWith(result, 4).status, 403);
  assert.equal(clerk.server.requests.length, 1, 'a 403 is not retried');
});

test('no secret key at all exits 4 before any request and says where it looked', async () => {
  const { phone, user } = seedPhone(clerk.server);
  const env = { CLERK_SECRET_KEY: undefined };
  const runs = [
    ['get', phone.id],
    ['update', phone.id, '--verified'],
    ['delete', phone.id, '--yes'],
    ['create', '--user-id', user.id, '--phone-number', '+12015550123'],
  ];
  for (const args of runs) {
    const result = await clerk.phone(args, { env });
    const error = failedWith(result, 4, args[0]);
    assert.equal(error.code, 'no_secret_key');
    assert.equal(error.status, null);
    assert.match(error.message, /CLERK_SECRET_KEY/);
    assert.match(error.message, /config/i);
  }
  const table = await clerk.phone(['get', phone.id, '-o', 'table'], { env });
  assert.equal(table.code, 4, table.stderr);
  assert.match(table.stderr, /CLERK_SECRET_KEY/);
  assert.match(table.stderr, /config/i);
  const blank = await clerk.phone(['get', phone.id], { env: { CLERK_SECRET_KEY: '   ' } });
  assert.equal(blank.code, 4, `a blank CLERK_SECRET_KEY is no key: ${blank.stderr}`);
  assert.equal(clerk.server.requests.length, 0);
});

test('a 5xx or 429 that outlasts the retries exits 5', async () => {
  const { phone } = seedPhone(clerk.server);
  for (const status of [500, 503, 429]) {
    clerk.server.reset();
    clerk.server.fault({ fault: { kind: 'status', status }, times: 5 });
    const result = await clerk.phone(['get', phone.id, '--retries', '0']);
    assert.equal(failedWith(result, 5, String(status)).status, status);
  }
});
