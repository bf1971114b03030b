// Issue 13, "Messages": a 404 names what was not found, a declined prompt answers without a usage
// dump, a JSON usage error names the usage, `--file -` on a terminal says it is reading, and a single
// create with an unknown outcome is settled by a lookup.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { useFakeClerk } from './helpers/fixture.ts';
import { byLine, errorJson, summary } from './helpers/results.ts';
import { tempDir } from './helpers/run-cli.ts';
import { needsTty, runInTty, stripAnsi } from './helpers/tty.ts';

const clerk = useFakeClerk();

/** The fake's 404 body, as Clerk's: it says only "not found". */
const CLERK_404 = [{ message: 'not found', long_message: 'Resource not found', code: 'resource_not_found' }];

function seedPhone(number = '+12015550100') {
  const user = clerk.server.addUser();
  return { user, phone: clerk.server.addPhoneNumber(user.id, number) };
}

describe('a 404 names what was not found', () => {
  const cases: { args: string[]; message: string }[] = [
    { args: ['get', 'idn_missing'], message: 'phone number idn_missing not found' },
    { args: ['list', '--user-id', 'user_nobody'], message: 'user user_nobody not found' },
    { args: ['create', '--user-id', 'user_nobody', '--phone-number', '+12015550123'], message: 'user user_nobody not found' },
    { args: ['update', 'idn_missing', '--verified'], message: 'phone number idn_missing not found' },
    { args: ['delete', 'idn_missing', '--yes'], message: 'phone number idn_missing not found' },
    { args: ['verify', 'send', 'idn_missing'], message: 'phone number idn_missing not found' },
    { args: ['replace', '--user-id', 'user_nobody', '--phone-number', '+12015550123', '--yes'], message: 'user user_nobody not found' },
  ];
  for (const { args, message } of cases) {
    test(`phone ${args.join(' ')}: exit 3, JSON message "${message}", Clerk's code, status and errors[] kept`, async () => {
      const result = await clerk.phone([...args, '--json']);
      assert.equal(result.code, 3, result.stderr);
      assert.equal(result.stdout, '');
      const error = errorJson(result);
      assert.equal(error.message, message);
      assert.equal(error.code, 'resource_not_found');
      assert.equal(error.status, 404);
      assert.deepEqual(error.errors, CLERK_404);
      assert.match(error.clerk_trace_id ?? '', /^[0-9a-f]{32}$/);
    });
  }

  test('verify check names the phone number and the verification (Clerk answers 404 for either)', async () => {
    const { phone } = seedPhone();
    const result = await clerk.phone(['verify', 'check', phone.id, '--verification-id', 'ver_missing', '--code', '424242']);
    assert.equal(result.code, 3, result.stderr);
    assert.equal(errorJson(result).message, `phone number ${phone.id} with verification ver_missing not found`);
  });

  test("in text, our message leads and Clerk's own words follow it", async () => {
    const result = await clerk.phone(['list', '--user-id', 'user_nobody', '-o', 'table']);
    assert.equal(result.code, 3, result.stderr);
    const lines = result.stderr.split('\n');
    assert.equal(lines[0], 'Error: user user_nobody not found (resource_not_found)');
    assert.equal(lines[1], '  Clerk: Resource not found');
    assert.match(lines[2]!, /^ {2}HTTP 404, clerk_trace_id: [0-9a-f]{32}$/);
    assert.equal(lines.length, 4, result.stderr);
  });

  test("a 404 that is not Clerk's JSON (a proxy, a wrong URL) keeps its own message: it says nothing about the user", async () => {
    clerk.server.fault({
      method: 'GET',
      path: '/v1/users/user_1',
      times: 1,
      fault: { kind: 'status', status: 404, body: '<html>Not Found</html>' },
    });
    const result = await clerk.phone(['list', '--user-id', 'user_1']);
    assert.equal(result.code, 3, result.stderr);
    const error = errorJson(result);
    assert.match(error.message, /^HTTP 404.*not a Clerk JSON error/);
    assert.doesNotMatch(error.message, /user user_1/);
  });

  test('phone get user_…: the hint says it is a user ID and how to list its numbers', async () => {
    const user = clerk.server.addUser();
    const result = await clerk.phone(['get', user.id, '-o', 'table']);
    assert.equal(result.code, 3, result.stderr);
    assert.match(result.stderr, new RegExp(`^Error: phone number ${user.id} not found \\(resource_not_found\\)\\n`));
    assert.ok(
      result.stderr.includes(`  ${user.id} is a user ID; a user's phone numbers: phone list --user-id ${user.id}\n`),
      result.stderr,
    );
    const json = await clerk.phone(['get', user.id, '--json']);
    assert.equal(
      errorJson(json).message,
      `phone number ${user.id} not found (${user.id} is a user ID; a user's phone numbers: phone list --user-id ${user.id})`,
    );
  });

  test('a number without + hints at the country code: as a 404 when it is a valid ID, as a usage error when not', async () => {
    const hint = 'a phone number is given with + and its country code (E.164), e.g. +12015550123 for a US number';
    const digits = await clerk.phone(['get', '2015550123', '--json']);
    assert.equal(digits.code, 3, digits.stderr);
    assert.equal(errorJson(digits).message, `phone number 2015550123 not found (${hint})`);
    const spaced = await clerk.phone(['delete', '201 555 0123', '--yes', '--json']);
    assert.equal(spaced.code, 2, spaced.stderr);
    assert.ok(errorJson(spaced).message.includes(`(${hint})`), spaced.stderr);
    const other = await clerk.phone(['get', 'idn_missing', '--json']);
    assert.doesNotMatch(errorJson(other).message, /country code|user ID/, 'no hint for an ID that is just missing');
  });

  test('a batch row for a missing user says which user; a missing ID in a delete batch is still "missing"', async () => {
    const user = clerk.server.addUser();
    const dir = tempDir();
    const rows = join(dir, 'rows.jsonl');
    writeFileSync(
      rows,
      `${JSON.stringify({ user_id: 'user_nobody', phone_number: '+12015550101' })}\n${JSON.stringify({ user_id: user.id, phone_number: '+12015550102' })}\n`,
    );
    const created = await clerk.phone(['create', '--file', rows]);
    assert.equal(created.code, 1, created.stderr);
    const lines = byLine(created, 2);
    assert.equal(lines.get(1)!.error!.message, 'user user_nobody not found');
    assert.equal(lines.get(1)!.error!.code, 'resource_not_found');
    assert.equal(lines.get(2)!.status, 'created');
    const deleted = await clerk.phone(['delete', '--file', '-', '--yes'], { stdin: 'idn_missing\n' });
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(byLine(deleted, 1).get(1)!.status, 'missing');
    assert.equal(summary(deleted).missing, 1);
  });
});

describe('a JSON usage error names the usage', () => {
  const cases: { args: string[]; usage: string }[] = [
    {
      args: ['create', '--user-id', 'user_1'],
      usage: 'phone create --user-id <id> --phone-number <number> [options], or phone create --file <path|-> [options]',
    },
    {
      args: ['create', '--bogus'],
      usage: 'phone create --user-id <id> --phone-number <number> [options], or phone create --file <path|-> [options]',
    },
    { args: ['list'], usage: 'phone list --user-id <id> [options], or phone list --all [options]' },
    { args: ['get'], usage: 'phone get [options] <phone_number_id | +E164>' },
    { args: ['delete', 'idn_1'], usage: 'phone delete <phone_number_id | +E164> [options], or phone delete --file <path|-> [options]' },
    {
      args: ['verify', 'check', 'idn_1', '--code', '1'],
      usage: 'phone verify check --code <code> --verification-id <id> [options] <phone_number_id | +E164>',
    },
    { args: ['replace', '--user-id', 'user_1'], usage: 'phone replace --user-id <id> --phone-number <number> [options]' },
  ];
  for (const { args, usage } of cases) {
    test(`phone ${args.join(' ')}: exit 2, one JSON line whose message ends with (usage: ${usage})`, async () => {
      const result = await clerk.phone([...args, '--json']);
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.split('\n').length, 2, result.stderr);
      const error = errorJson(result);
      assert.ok(error.message.endsWith(` (usage: ${usage})`), error.message);
      assert.equal(error.code, 'usage');
      assert.equal(clerk.server.requests.length, 0);
    });
  }

  test('in text the usage line is the same synopsis, with the pointer to --help', async () => {
    const result = await clerk.phone(['create', '--user-id', 'user_1', '-o', 'table']);
    assert.equal(result.code, 2, result.stderr);
    assert.ok(
      result.stderr.endsWith(
        '\nUsage: phone create --user-id <id> --phone-number <number> [options], or phone create --file <path|-> [options]\n' +
          "Run 'phone create --help' for more.\n",
      ),
      result.stderr,
    );
  });

  test('every option a synopsis names is an option of that command', async () => {
    for (const path of [['create'], ['update'], ['delete'], ['list'], ['replace'], ['verify', 'check']]) {
      const help = await clerk.phone([...path, '--help']);
      const usage = await clerk.phone([...path, '--bogus-flag', '--json']);
      const message = errorJson(usage).message;
      const named = [...message.slice(message.indexOf('(usage: ')).matchAll(/--(?:\[no-\])?([a-z-]+)/g)].map((m) => m[1]!);
      assert.ok(named.length > 0, message);
      for (const flag of named) assert.ok(help.stdout.includes(`--${flag}`), `phone ${path.join(' ')}: --${flag} is in --help`);
    }
  });
});

describe('a single create whose outcome is unknown is settled by a lookup', () => {
  test('dropped before it was applied: the lookup does not find it, exit 5, the request may still be under way', async () => {
    const user = clerk.server.addUser();
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 1, fault: { kind: 'drop' } });
    const result = await clerk.phone(['create', '--user-id', user.id, '--phone-number', '+12015550123']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, '');
    const error = errorJson(result);
    assert.equal(error.code, 'network');
    assert.match(
      error.message,
      new RegExp(
        `a lookup found no \\+12015550123 on user ${user.id} right afterwards, though the request may still be under way at Clerk; trying again is safe`,
      ),
    );
    assert.deepEqual(
      clerk.server.requests.map((r) => `${r.method} ${r.path}`),
      ['POST /v1/phone_numbers', 'GET /v1/users'],
    );
  });

  test('--dry-run sends no create, so there is nothing to settle', async () => {
    const user = clerk.server.addUser();
    const result = await clerk.phone(['create', '--user-id', user.id, '--phone-number', '+12015550123', '--dry-run']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(clerk.server.requests.length, 0);
    assert.doesNotMatch(result.stderr, /lookup/);
  });
});

describe('prompts on a terminal', () => {
  test('delete answered n: "Not deleted.", exit 2, no error and no usage', needsTty, async () => {
    const { phone } = seedPhone();
    const prompt = `Delete phone number ${phone.id} (+12015550100)? [y/N] `;
    const result = await runInTty(['delete', phone.id], { env: { ...clerk.env, NO_COLOR: '1' }, waitFor: prompt, input: 'n\n' });
    assert.equal(result.code, 2, result.output);
    assert.ok(result.output.endsWith(`${prompt}n\nNot deleted.\n`), JSON.stringify(result.output));
    assert.doesNotMatch(result.output, /Usage:|Error:/);
    assert.equal(clerk.server.phoneNumbers().length, 1);
  });

  test('Ctrl-D at the delete prompt ends the line first, then "Not deleted.", exit 2', needsTty, async () => {
    const { phone } = seedPhone();
    const prompt = `Delete phone number ${phone.id} (+12015550100)? [y/N] `;
    const result = await runInTty(['delete', phone.id], { env: { ...clerk.env, NO_COLOR: '1' }, waitFor: prompt, input: '\x04' });
    assert.equal(result.code, 2, result.output);
    // The terminal echoes ^D as nothing (or "^D"); the question's line is ended before the answer.
    assert.match(stripAnsi(result.output), new RegExp(`\\? \\[y/N\\] (\\^D)?\\nNot deleted\\.\\n$`));
    assert.deepEqual(
      clerk.server.requests.map((r) => r.method),
      ['GET'],
    );
    assert.equal(clerk.server.phoneNumbers().length, 1);
  });

  test('Ctrl-D at the replace prompt: "Not replaced.", exit 2, no PUT', needsTty, async () => {
    const { user } = seedPhone();
    const prompt = `Replace every phone number of user ${user.id} with +12015550199? [y/N] `;
    const result = await runInTty(['replace', '--user-id', user.id, '--phone-number', '+12015550199'], {
      env: { ...clerk.env, NO_COLOR: '1' },
      waitFor: prompt,
      input: '\x04',
    });
    assert.equal(result.code, 2, result.output);
    assert.match(result.output, /\? \[y\/N\] (\^D)?\nNot replaced\.\n$/);
    assert.equal(clerk.server.requests.filter((r) => r.method === 'PUT').length, 0);
  });

  test('deleting an ID that does not exist on a terminal: exit 3 before any question', needsTty, async () => {
    const result = await runInTty(['delete', 'idn_missing'], { env: { ...clerk.env, NO_COLOR: '1' } });
    assert.equal(result.code, 3, result.output);
    assert.ok(result.output.startsWith('Error: phone number idn_missing not found (resource_not_found)\n'), result.output);
    assert.doesNotMatch(result.output, /\[y\/N\]/);
    assert.equal(clerk.server.requests.filter((r) => r.method === 'DELETE').length, 0);
  });

  test('create --file - on a terminal says it is reading rows, then reads them until Ctrl-D', needsTty, async () => {
    const user = clerk.server.addUser();
    const row = JSON.stringify({ user_id: user.id, phone_number: '+12015550123' });
    const result = await runInTty(['create', '--file', '-'], {
      env: { ...clerk.env, NO_COLOR: '1' },
      waitFor: 'press Ctrl-D',
      input: `${row}\n\x04`,
    });
    assert.equal(result.code, 0, result.output);
    assert.ok(
      result.output.startsWith(
        'Reading rows from standard input (JSON Lines, or CSV with a header row); press Ctrl-D on a new line to end.\n',
      ),
      result.output,
    );
    assert.equal(clerk.server.phoneNumbers().length, 1);
  });

  test('create --file - with CSV typed at a terminal is recognised by its header', needsTty, async () => {
    const user = clerk.server.addUser();
    const result = await runInTty(['create', '--file', '-'], {
      env: { ...clerk.env, NO_COLOR: '1' },
      waitFor: 'press Ctrl-D',
      input: `user_id,phone_number\n${user.id},+12015550124\n\x04`,
    });
    assert.equal(result.code, 0, result.output);
    assert.deepEqual(
      clerk.server.phoneNumbers().map((p) => p.phone_number),
      ['+12015550124'],
    );
  });
});
