// --dry-run on create, update and delete (single and --file), and the production guard for
// sk_live_ keys, as issue 6 describes them. Black box: the built CLI against fake Clerk servers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { DEFAULT_SECRET_KEY, startFakeClerk, type FakeClerk, type PhoneNumberObject } from './fake-clerk/server.ts';
import { assertOk, jsonl, seedPhone, writeInput } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { byLine, parseErrorLine } from './helpers/results.ts';
import { runCli, tempDir, type CliResult, type RunOptions } from './helpers/run-cli.ts';
import { needsTty, runInTty, stripAnsi } from './helpers/tty.ts';

const clerk = useFakeClerk();

/** A production instance: it accepts only its live key. */
const LIVE_KEY = 'sk_live_productioninstance0000000000000000live';
let live: FakeClerk;
before(async () => {
  live = await startFakeClerk({ secretKey: LIVE_KEY });
});
beforeEach(() => live.reset());
after(() => live.close());

// ---------------------------------------------------------------- helpers

const REDACTED = 'sk_test_…abcd';
const LIVE_REDACTED = 'sk_live_…live';

interface Preview {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** The request preview on stdout: nothing else there, the key redacted everywhere. */
function preview(result: CliResult): Preview {
  assertOk(result, 'dry run');
  assert.ok(!result.stdout.includes(DEFAULT_SECRET_KEY) && !result.stderr.includes(DEFAULT_SECRET_KEY), 'the key never in clear');
  return JSON.parse(result.stdout) as Preview;
}

function headerOf(request: Preview, name: string): string | undefined {
  return Object.entries(request.headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

function assertNothingChanged(label: string, before: PhoneNumberObject[]): void {
  assert.equal(
    clerk.server.requests.filter((request) => request.method !== 'GET').length,
    0,
    `${label}: no request that changes data reached the server: ${clerk.server.requests.map((r) => `${r.method} ${r.url}`).join(', ')}`,
  );
  assert.deepEqual(clerk.server.phoneNumbers(), before, `${label}: the server's phone numbers are unchanged`);
}

function liveEnv(extra: RunOptions['env'] = {}) {
  return { CLERK_SECRET_KEY: LIVE_KEY, CLERK_API_URL: live.url, ...extra };
}

// ---------------------------------------------------------------- single commands

test('create --dry-run prints the POST with only the given fields and sends nothing', async () => {
  const { user } = seedPhone(clerk.server);
  const before = clerk.server.phoneNumbers();
  const result = await clerk.phone([
    'create',
    '--user-id',
    user.id,
    '--phone-number',
    '+1 (201) 555-0123',
    '--verified',
    '--no-primary',
    '--dry-run',
  ]);
  const request = preview(result);
  assert.equal(request.method, 'POST');
  assert.equal(request.url, `${clerk.server.url}/v1/phone_numbers`);
  assert.equal(headerOf(request, 'authorization'), `Bearer ${REDACTED}`);
  assert.deepEqual(request.body, { user_id: user.id, phone_number: '+12015550123', verified: true, primary: false });
  assert.equal(clerk.server.requests.length, 0, 'not a single request');
  assertNothingChanged('create --dry-run', before);
});

test('create --dry-run without optional flags sends no optional field', async () => {
  const { user } = seedPhone(clerk.server);
  const request = preview(await clerk.phone(['create', '--user-id', user.id, '--phone-number', '+12015550123', '--dry-run']));
  assert.deepEqual(request.body, { user_id: user.id, phone_number: '+12015550123' });
  assert.equal(clerk.server.requests.length, 0);
});

test('update --dry-run prints the PATCH and sends nothing', async () => {
  const { phone } = seedPhone(clerk.server, { verified: true });
  const before = clerk.server.phoneNumbers();
  const result = await clerk.phone(['update', phone.id, '--no-verified', '--reserved-for-second-factor', '--dry-run']);
  const request = preview(result);
  assert.equal(request.method, 'PATCH');
  assert.equal(request.url, `${clerk.server.url}/v1/phone_numbers/${phone.id}`);
  assert.equal(headerOf(request, 'authorization'), `Bearer ${REDACTED}`);
  assert.deepEqual(request.body, { verified: false, reserved_for_second_factor: true });
  assert.equal(clerk.server.requests.length, 0, 'not a single request');
  assertNothingChanged('update --dry-run', before);
});

test('delete <id> --dry-run --yes prints the DELETE and sends nothing', async () => {
  const { phone } = seedPhone(clerk.server);
  const before = clerk.server.phoneNumbers();
  const result = await clerk.phone(['delete', phone.id, '--dry-run', '--yes']);
  const request = preview(result);
  assert.equal(request.method, 'DELETE');
  assert.equal(request.url, `${clerk.server.url}/v1/phone_numbers/${phone.id}`);
  assert.equal(headerOf(request, 'authorization'), `Bearer ${REDACTED}`);
  assert.equal(request.body, undefined, 'a DELETE has no body');
  assert.equal(clerk.server.requests.length, 0, 'not a single request');
  assertNothingChanged('delete --dry-run', before);
});

test('delete +E164 --dry-run --yes looks the number up (a read) but sends no DELETE', async () => {
  const { phone } = seedPhone(clerk.server);
  const before = clerk.server.phoneNumbers();
  const result = await clerk.phone(['delete', '+12015550100', '--dry-run', '--yes']);
  const request = preview(result);
  assert.equal(request.method, 'DELETE');
  assert.equal(request.url, `${clerk.server.url}/v1/phone_numbers/${phone.id}`, 'the preview names the ID the lookup found');
  assert.ok(clerk.server.requests.length > 0, 'the lookup reached the server');
  assert.ok(
    clerk.server.requests.every((r) => r.method === 'GET'),
    `only reads: ${clerk.server.requests.map((r) => `${r.method} ${r.url}`).join(', ')}`,
  );
  assertNothingChanged('delete +E164 --dry-run', before);
});

test('the preview also carries the API version and user agent, and the URL honours the base URL', async () => {
  const { user } = seedPhone(clerk.server);
  const request = preview(
    await clerk.phone([
      'create',
      '--user-id',
      user.id,
      '--phone-number',
      '+12015550123',
      '--dry-run',
      '--api-url',
      `${clerk.server.url}/v1`,
    ]),
  );
  assert.equal(request.url, `${clerk.server.url}/v1/phone_numbers`, '/v1 not doubled');
  assert.equal(headerOf(request, 'clerk-api-version'), '2026-05-12');
  assert.match(headerOf(request, 'user-agent') ?? '', /^phone\//);
  assert.equal(clerk.server.requests.length, 0);
});

test('--dry-run with invalid input is exit 2 and sends nothing', async () => {
  const { user, phone } = seedPhone(clerk.server);
  const cases: string[][] = [
    ['create', '--user-id', user.id, '--phone-number', '12345', '--dry-run'],
    ['create', '--user-id', 'user/../x', '--phone-number', '+12015550123', '--dry-run'],
    ['create', '--phone-number', '+12015550123', '--dry-run'],
    ['update', phone.id, '--dry-run'],
    ['update', 'idn/../1', '--verified', '--dry-run'],
    ['delete', 'idn/../1', '--yes', '--dry-run'],
    ['delete', '+1 555', '--yes', '--dry-run'],
  ];
  for (const args of cases) {
    const result = await clerk.phone(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stdout, '', `${args.join(' ')}: nothing on stdout`);
    assert.equal(parseErrorLine(result.stderr.split('\n')[0]!).code, 'usage', args.join(' '));
  }
  assert.equal(clerk.server.requests.length, 0, 'not a single request');
});

test('--dry-run in table form on a terminal: "Dry run", the method and URL, the key redacted', needsTty, async () => {
  const { user, phone } = seedPhone(clerk.server);
  const before = clerk.server.phoneNumbers();
  const env = { ...clerk.env, NO_COLOR: '1' };

  const created = await runInTty(['create', '--user-id', user.id, '--phone-number', '+12015550123', '--verified', '--dry-run'], { env });
  const output = stripAnsi(created.output);
  assert.equal(created.code, 0, output);
  assert.match(output, /Dry run/);
  assert.ok(output.includes(`POST ${clerk.server.url}/v1/phone_numbers`), output);
  assert.ok(output.includes(REDACTED), output);
  assert.ok(output.includes('+12015550123'), `the body is shown:\n${output}`);
  assert.ok(!output.includes(DEFAULT_SECRET_KEY));

  const deleted = await runInTty(['delete', phone.id, '--dry-run', '--yes'], { env });
  const deleteOutput = stripAnsi(deleted.output);
  assert.equal(deleted.code, 0, deleteOutput);
  assert.match(deleteOutput, /Dry run/);
  assert.ok(deleteOutput.includes(`DELETE ${clerk.server.url}/v1/phone_numbers/${phone.id}`), deleteOutput);
  assert.doesNotMatch(deleteOutput, /Deleted phone number/);

  assert.equal(clerk.server.requests.length, 0, 'not a single request');
  assertNothingChanged('table dry runs', before);
});

test('--dry-run -o table piped: the same readable form', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.phone(['update', phone.id, '--primary', '--dry-run', '-o', 'table']);
  assertOk(result);
  assert.match(result.stdout, /Dry run/);
  assert.ok(result.stdout.includes(`PATCH ${clerk.server.url}/v1/phone_numbers/${phone.id}`), result.stdout);
  assert.ok(!result.stdout.includes(DEFAULT_SECRET_KEY));
  assert.equal(clerk.server.requests.length, 0);
});

// ---------------------------------------------------------------- --file --dry-run

test('create --file --dry-run: one dry_run line per valid row with the request, bad rows failed, exit 2, nothing sent', async () => {
  const a = clerk.server.addUser();
  const before = clerk.server.phoneNumbers();
  const file = writeInput(
    'seed.jsonl',
    jsonl([
      { user_id: a.id, phone_number: '+1 201 555 0101', verified: true },
      { user_id: a.id, phone_number: 'not a number' },
      { user_id: a.id, phone_number: '+12015550103' },
    ]),
  );
  const result = await clerk.phone(['create', '--file', file, '--dry-run']);
  assert.equal(result.code, 2, `a dry run with an invalid row is exit 2\n${result.stderr}`);
  const lines = byLine(result, 3);

  assert.equal(lines.get(1)?.status, 'dry_run', JSON.stringify(lines.get(1)));
  const first = lines.get(1)!.result as unknown as Preview;
  assert.equal(first.method, 'POST');
  assert.equal(first.url, `${clerk.server.url}/v1/phone_numbers`);
  assert.equal(headerOf(first, 'authorization'), `Bearer ${REDACTED}`);
  assert.deepEqual(first.body, { user_id: a.id, phone_number: '+12015550101', verified: true });
  assert.equal(lines.get(1)!.error, null);

  assert.equal(lines.get(2)?.status, 'failed');
  assert.equal(lines.get(2)!.result, null);
  assert.equal(lines.get(2)!.error?.code, 'usage');

  assert.equal(lines.get(3)?.status, 'dry_run');
  assert.deepEqual((lines.get(3)!.result as unknown as Preview).body, { user_id: a.id, phone_number: '+12015550103' });

  assert.ok(!result.stdout.includes(DEFAULT_SECRET_KEY) && !result.stderr.includes(DEFAULT_SECRET_KEY), 'the key never in clear');
  assert.equal(clerk.server.requests.length, 0, 'not a single request');
  assertNothingChanged('create --file --dry-run', before);
});

test('create --file --dry-run with only valid rows is exit 0', async () => {
  const a = clerk.server.addUser();
  const file = writeInput('seed.csv', `user_id,phone_number,primary\n${a.id},+12015550101,true\n${a.id},+12015550102,\n`);
  const result = await clerk.phone(['create', '--file', file, '--dry-run']);
  assertOk(result);
  const lines = byLine(result, [2, 3]);
  for (const line of lines.values()) assert.equal(line.status, 'dry_run', JSON.stringify(line));
  assert.deepEqual((lines.get(2)!.result as unknown as Preview).body, { user_id: a.id, phone_number: '+12015550101', primary: true });
  assert.equal(clerk.server.requests.length, 0);
  assert.equal(clerk.server.phoneNumbers().length, 0);
});

test('update --file --dry-run and delete --file --yes --dry-run: dry_run lines, nothing sent', async () => {
  const { phone } = seedPhone(clerk.server);
  const before = clerk.server.phoneNumbers();

  const updates = writeInput('changes.jsonl', jsonl([{ id: phone.id, verified: true }, { id: phone.id }]));
  const updated = await clerk.phone(['update', '--file', updates, '--dry-run']);
  assert.equal(updated.code, 2, `row 2 has nothing to update\n${updated.stderr}`);
  const updateLines = byLine(updated, 2);
  assert.equal(updateLines.get(1)?.status, 'dry_run');
  const patch = updateLines.get(1)!.result as unknown as Preview;
  assert.equal(patch.method, 'PATCH');
  assert.equal(patch.url, `${clerk.server.url}/v1/phone_numbers/${phone.id}`);
  assert.deepEqual(patch.body, { verified: true });
  assert.equal(updateLines.get(2)?.status, 'failed');

  const deletes = writeInput('made.jsonl', jsonl([{ id: phone.id }]));
  const deleted = await clerk.phone(['delete', '--file', deletes, '--yes', '--dry-run']);
  assertOk(deleted);
  const deleteLine = byLine(deleted, 1).get(1);
  assert.equal(deleteLine?.status, 'dry_run');
  assert.equal((deleteLine!.result as unknown as Preview).method, 'DELETE');
  assert.equal((deleteLine!.result as unknown as Preview).url, `${clerk.server.url}/v1/phone_numbers/${phone.id}`);

  assert.equal(clerk.server.requests.length, 0);
  assertNothingChanged('update/delete --file --dry-run', before);
});

// ---------------------------------------------------------------- production guard

test('create --file with an sk_live_ key refuses without --live: exit 2, nothing sent', async () => {
  const user = live.addUser();
  const file = writeInput('seed.jsonl', jsonl([{ user_id: user.id, phone_number: '+12015550101' }]));
  const result = await runCli(['create', '--file', file], { env: liveEnv() });
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  const error = parseErrorLine(result.stderr.split('\n')[0]!);
  assert.match(error.message, /--live/);
  assert.ok(!result.stderr.includes(LIVE_KEY), 'the key never in clear');
  assert.equal(live.requests.length, 0, 'not a single request');
  assert.equal(live.phoneNumbers().length, 0);
});

test('update --file and delete --file with an sk_live_ key refuse without --live', async () => {
  const user = live.addUser();
  const phone = live.addPhoneNumber(user.id, '+12015550100');
  const before = live.phoneNumbers();
  const updated = await runCli(['update', '--file', writeInput('u.jsonl', jsonl([{ id: phone.id, verified: true }]))], { env: liveEnv() });
  assert.equal(updated.code, 2, updated.stderr);
  assert.match(updated.stderr, /--live/);
  const deleted = await runCli(['delete', '--file', writeInput('d.jsonl', jsonl([{ id: phone.id }])), '--yes'], { env: liveEnv() });
  assert.equal(deleted.code, 2, deleted.stderr);
  assert.match(deleted.stderr, /--live/);
  assert.equal(live.requests.length, 0, 'not a single request');
  assert.deepEqual(live.phoneNumbers(), before);
});

test('the guard also applies to a live key from --secret-key-file', async () => {
  const user = live.addUser();
  const keyFile = writeInput('live.key', `${LIVE_KEY}\n`);
  const file = writeInput('seed.jsonl', jsonl([{ user_id: user.id, phone_number: '+12015550101' }]));
  const result = await runCli(['create', '--file', file, '--secret-key-file', keyFile, '--api-url', live.url], {
    env: { CLERK_SECRET_KEY: undefined, CLERK_API_URL: undefined },
  });
  assert.equal(result.code, 2, result.stderr);
  assert.equal(live.requests.length, 0);
});

test('create --file with an sk_live_ key and --live runs', async () => {
  const user = live.addUser();
  const file = writeInput(
    'seed.jsonl',
    jsonl([
      { user_id: user.id, phone_number: '+12015550101' },
      { user_id: user.id, phone_number: '+12015550102' },
    ]),
  );
  const result = await runCli(['create', '--file', file, '--live'], { env: liveEnv() });
  assertOk(result);
  const lines = byLine(result, 2);
  for (const line of lines.values()) assert.equal(line.status, 'created', JSON.stringify(line));
  assert.equal(live.requests.filter((r) => r.method === 'POST').length, 2);
  for (const request of live.requests) assert.equal(request.headers.authorization, `Bearer ${LIVE_KEY}`);
  assert.equal(live.phoneNumbers().length, 2);
  assert.ok(!result.stderr.includes(LIVE_KEY) && !result.stdout.includes(LIVE_KEY));
});

test('create --file --dry-run with an sk_live_ key does not need --live, and sends nothing', async () => {
  const user = live.addUser();
  const file = writeInput('seed.jsonl', jsonl([{ user_id: user.id, phone_number: '+12015550101' }]));
  const result = await runCli(['create', '--file', file, '--dry-run'], { env: liveEnv() });
  assertOk(result);
  const line = byLine(result, 1).get(1)!;
  assert.equal(line?.status, 'dry_run');
  assert.equal(headerOf(line.result as unknown as Preview, 'authorization'), `Bearer ${LIVE_REDACTED}`);
  assert.equal(live.requests.length, 0);
});

/** The lines of terminal output that point out a production instance. */
const noticeLines = (output: string) => output.split('\n').filter((line) => /production|sk_live_/i.test(line));

test('single create/update/delete with an sk_live_ key: a one-line notice when stderr is a terminal', needsTty, async () => {
  const user = live.addUser();
  const existing = live.addPhoneNumber(user.id, '+12015550100');
  const env = { ...liveEnv(), NO_COLOR: '1' };
  const runs: [string, string[]][] = [
    ['create', ['create', '--user-id', user.id, '--phone-number', '+12015550101']],
    ['update', ['update', existing.id, '--verified']],
    ['delete', ['delete', existing.id, '--yes']],
  ];
  for (const [label, args] of runs) {
    const result = await runInTty(args, { env });
    const output = stripAnsi(result.output);
    assert.equal(result.code, 0, `${label}: ${output}`);
    const notice = noticeLines(output);
    assert.equal(notice.length, 1, `${label}: one notice line:\n${output}`);
    assert.ok(notice[0]!.includes(LIVE_REDACTED), `${label}: the notice names the key, redacted: ${notice[0]}`);
    assert.ok(!output.includes(LIVE_KEY), `${label}: never in clear`);
  }
  assert.equal(live.requests.filter((r) => r.method !== 'GET').length, 3, 'the commands ran');
});

test('the notice goes to stderr: with stdout redirected it is still on the terminal, not in the file', needsTty, async () => {
  const user = live.addUser();
  const cwd = tempDir();
  const result = await runInTty(['create', '--user-id', user.id, '--phone-number', '+12015550101'], {
    env: { ...liveEnv(), NO_COLOR: '1' },
    cwd,
    redirect: '> out.json',
  });
  assert.equal(result.code, 0, result.output);
  assert.equal(noticeLines(stripAnsi(result.output)).length, 1, result.output);
  const stdout = readFileSync(join(cwd, 'out.json'), 'utf8');
  assert.equal(JSON.parse(stdout).phone_number, '+12015550101', 'stdout is just the JSON');
});

test('no notice when stderr is not a terminal (piped, or stderr redirected on a terminal)', needsTty, async () => {
  const user = live.addUser();
  const piped = await runCli(['create', '--user-id', user.id, '--phone-number', '+12015550101'], { env: liveEnv() });
  assertOk(piped);
  assert.equal(piped.stderr, '', 'nothing on stderr when piped');
  assert.equal(JSON.parse(piped.stdout).phone_number, '+12015550101');

  const cwd = tempDir();
  const redirected = await runInTty(['create', '--user-id', user.id, '--phone-number', '+12015550102'], {
    env: { ...liveEnv(), NO_COLOR: '1' },
    cwd,
    redirect: '2> err.txt',
  });
  assert.equal(redirected.code, 0, redirected.output);
  assert.equal(noticeLines(stripAnsi(redirected.output)).length, 0, redirected.output);
  assert.equal(readFileSync(join(cwd, 'err.txt'), 'utf8'), '', 'nothing in the redirected stderr');
});

test('an sk_test_ key gives no notice on a terminal', needsTty, async () => {
  const { user, phone } = seedPhone(clerk.server);
  const env = { ...clerk.env, NO_COLOR: '1' };
  for (const args of [
    ['create', '--user-id', user.id, '--phone-number', '+12015550101'],
    ['update', phone.id, '--verified'],
    ['delete', phone.id, '--yes'],
  ]) {
    const result = await runInTty(args, { env });
    const output = stripAnsi(result.output);
    assert.equal(result.code, 0, `${args[0]}: ${output}`);
    assert.equal(noticeLines(output).length, 0, `${args[0]}: no notice:\n${output}`);
  }
});
