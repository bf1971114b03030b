// What reaches a terminal, and what happens when stdout fails (issue 11, "Terminal output" and
// "Output failures"): API data and error messages never carry control characters to a terminal,
// tables stay fast and within the terminal's width, and a failed write is reported with what was done.
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { useFakeClerk } from './helpers/fixture.ts';
import { errorJson, summary } from './helpers/results.ts';
import { tempDir } from './helpers/run-cli.ts';
import { runWithFds } from './helpers/spawn-fd.ts';
import { needsTty, runInTty, stripAnsi } from './helpers/tty.ts';

const clerk = useFakeClerk();

/** Sets the window title, clears the screen, returns the cursor, a one-character CSI, and reverses the text after it. */
const HOSTILE = '+1201\x1b]0;pwned\x07\x1b[2J\r\b\x7f\u009b31m\u202eevil';
const HOSTILE_SHOWN = '+1201\\x1b]0;pwned\\x07\\x1b[2J\\r\\x08\\x7f\\u009b31m\\u202eevil';
/** Anything a terminal acts on, but the newline: no output of ours to a terminal carries one from outside. */
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
/** On a terminal our own color codes (SGR) are allowed; nothing else that starts with ESC, and no BEL, C1 or bidi control. */
const FOREIGN_ON_TTY = /\x1b[^[]|\x1b\[(?![0-9;]*m)|[\u0007\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

const WIDE = 'x'.repeat(64 * 1024);
const TALL = 'line\n'.repeat(20_000);

function seedPhone(phoneNumber: string) {
  const user = clerk.server.addUser();
  return { user, phone: clerk.server.addPhoneNumber(user.id, phoneNumber) };
}

describe('control characters from outside are escaped on the way to a person', () => {
  test('a table (get --output table) shows a hostile phone_number escaped; JSON keeps it as it is', async () => {
    const { phone } = seedPhone(HOSTILE);
    const table = await clerk.phone(['get', phone.id!, '--output', 'table']);
    assert.equal(table.code, 0, table.stderr);
    assert.doesNotMatch(table.stdout, RAW_CONTROL);
    assert.ok(table.stdout.includes(HOSTILE_SHOWN), table.stdout);
    const json = await clerk.phone(['get', phone.id!, '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { phone_number: string }).phone_number, HOSTILE);
  });

  test('a list table shows it escaped too', async () => {
    const { user } = seedPhone(HOSTILE);
    const result = await clerk.phone(['list', '--user-id', user.id, '--output', 'table']);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout, RAW_CONTROL);
    assert.ok(result.stdout.includes(HOSTILE_SHOWN));
  });

  test('a text error shows a hostile long_message, code and trace id escaped; the JSON error keeps them', async () => {
    const { phone } = seedPhone('+12015550100');
    const body = {
      errors: [{ code: 'bad\x1b[2J', message: 'm', long_message: `no\r\x1b]0;pwned\x07\u009b\u202e` }],
      clerk_trace_id: 'trace\x1b[1;1H',
    };
    const fault = { method: 'GET', path: `/v1/phone_numbers/${phone.id}`, times: 2, fault: { kind: 'status' as const, status: 422, body } };
    clerk.server.fault(fault);
    const text = await clerk.phone(['get', phone.id!, '--output', 'table']);
    assert.equal(text.code, 1, text.stderr);
    assert.doesNotMatch(text.stderr, RAW_CONTROL);
    assert.ok(text.stderr.includes('no\\r\\x1b]0;pwned\\x07\\u009b\\u202e (bad\\x1b[2J)'), text.stderr);
    assert.ok(text.stderr.includes('clerk_trace_id: trace\\x1b[1;1H'), text.stderr);
    const json = errorJson(await clerk.phone(['get', phone.id!, '--json']));
    assert.equal(json.clerk_trace_id, 'trace\x1b[1;1H');
  });

  test('on a terminal: the table, and the replace listing and prompt, carry no control character from the API', needsTty, async () => {
    const { user, phone } = seedPhone(HOSTILE);
    const get = await runInTty(['get', phone.id!], { env: clerk.env });
    assert.equal(get.code, 0, get.output);
    assert.doesNotMatch(get.output, FOREIGN_ON_TTY);
    // Cut to the terminal's 80 columns, so only its start is shown.
    assert.ok(stripAnsi(get.output).includes('+1201\\x1b]0;pwned\\x07\\x1b[2J\\r'), get.output);

    const prompt = '[y/N]';
    const replace = await runInTty(['replace', '--user-id', user.id, '--phone-number', '+12015550199'], {
      env: clerk.env,
      waitFor: prompt,
      input: 'n\n',
    });
    assert.equal(replace.code, 2, replace.output);
    assert.doesNotMatch(replace.output, FOREIGN_ON_TTY);
    assert.ok(replace.output.includes(`${phone.id}  ${HOSTILE_SHOWN}  (`), replace.output);
  });
});

describe('large values in tables', () => {
  for (const [label, value] of [
    ['a 64 kB field', WIDE],
    ['20,000 newlines in one field', TALL],
  ] as const) {
    test(
      `${label}: on a terminal every line fits its 80 columns, the cut marked with …; JSON keeps the whole value`,
      needsTty,
      async () => {
        const { phone } = seedPhone(value);
        const result = await runInTty(['get', phone.id!], { env: clerk.env });
        assert.equal(result.code, 0, result.output);
        const lines = stripAnsi(result.output).trimEnd().split('\n');
        assert.ok(lines.length < 20, `${lines.length} lines`);
        for (const line of lines) assert.ok([...line].length <= 80, `${[...line].length} columns: ${line.slice(0, 100)}`);
        assert.match(stripAnsi(result.output), /Phone number +│ (x{10,}|(line\\n){3,}).*… │/);
        const json = await clerk.phone(['get', phone.id!, '--json']);
        assert.equal((JSON.parse(json.stdout) as { phone_number: string }).phone_number, value);
      },
    );

    test(`${label}: a table to a file is one line per row, the value whole and escaped`, async () => {
      const { phone } = seedPhone(value);
      const result = await clerk.phone(['get', phone.id!, '--output', 'table']);
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout.split('\n').length < 20);
      assert.ok(result.stdout.includes(value.replace(/\n/g, '\\n')));
    });
  }

  test('a list with a 64 kB value: that column gives way, IDs and the other number stay whole', needsTty, async () => {
    const user = clerk.server.addUser();
    const wide = clerk.server.addPhoneNumber(user.id, WIDE);
    const short = clerk.server.addPhoneNumber(user.id, '+12015550100');
    const result = await runInTty(['list', '--user-id', user.id], { env: clerk.env });
    assert.equal(result.code, 0, result.output);
    const shown = stripAnsi(result.output);
    // The list's short columns alone (IDs, dates) take more than 80 columns; the long one is cut to 32.
    for (const line of shown.trimEnd().split('\n')) assert.ok([...line].length <= 140, `${[...line].length}: ${line}`);
    assert.ok(shown.includes(`${wide.id} │ ${'x'.repeat(31)}… │`), shown);
    assert.ok(shown.includes(`${short.id} │ +12015550100 `), shown);
  });
});

const noDevFull = existsSync('/dev/full') ? undefined : 'no /dev/full here (Linux has it)';

describe('a failed write to stdout (> /dev/full)', { skip: noDevFull }, () => {
  test('get: cannot write output, exit 1', async () => {
    const { phone } = seedPhone('+12015550100');
    const result = await runWithFds(['get', phone.id!], { env: clerk.env, stdoutPath: '/dev/full' });
    assert.equal(result.code, 1, result.stderr);
    const error = errorJson(result);
    assert.equal(error.code, 'output_failed');
    assert.match(error.message, /^cannot write output: ENOSPC/);
  });

  test('create: the message says what was created and its ID, exit 1', async () => {
    const user = clerk.server.addUser();
    const result = await runWithFds(['create', '--user-id', user.id, '--phone-number', '+12015550100'], {
      env: clerk.env,
      stdoutPath: '/dev/full',
    });
    assert.equal(result.code, 1, result.stderr);
    const [made] = clerk.server.phoneNumbers();
    assert.ok(made, 'the create went through');
    const error = errorJson(result);
    assert.equal(error.code, 'output_failed');
    assert.equal(
      error.message.startsWith(`created ${made.id} but could not write the result: cannot write output: ENOSPC`),
      true,
      error.message,
    );
  });

  test('delete: names the deleted ID', async () => {
    const { phone } = seedPhone('+12015550100');
    const result = await runWithFds(['delete', phone.id!, '--yes'], { env: clerk.env, stdoutPath: '/dev/full' });
    assert.equal(result.code, 1, result.stderr);
    assert.match(errorJson(result).message, new RegExp(`^deleted ${phone.id} but could not write the result`));
    assert.equal(clerk.server.phoneNumbers().length, 0);
  });

  test('auth status: cannot write output, exit 1 (not a silent exit)', async () => {
    const result = await runWithFds(['auth', 'status'], { env: clerk.env, stdoutPath: '/dev/full' });
    assert.equal(result.code, 1, result.stderr);
    assert.equal(errorJson(result).code, 'output_failed');
  });

  test('a batch run stops sending, exits 1, and names every change whose result line was lost', async () => {
    const user = clerk.server.addUser();
    const rows = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({ user_id: user.id, phone_number: `+120155501${String(i).padStart(2, '0')}` }),
    );
    const path = join(tempDir('phone-full-'), 'seed.jsonl');
    writeFileSync(path, `${rows.join('\n')}\n`);
    const result = await runWithFds(['create', '--file', path, '--concurrency', '2'], { env: clerk.env, stdoutPath: '/dev/full' });
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^cannot write output: ENOSPC.*stopped sending/m);
    const made = clerk.server.phoneNumbers();
    assert.ok(made.length >= 1 && made.length < rows.length, `stopped sending: ${made.length} of ${rows.length} created`);
    for (const phone of made)
      assert.match(result.stderr, new RegExp(`^line \\d+: created ${phone.id} but could not write the result$`, 'm'));
    // Rows after the failed write are never sent: counted apart from failures, with the reason.
    const counts = summary(result);
    assert.equal((counts.failed ?? 0) + (counts['not sent (output_failed)'] ?? 0), rows.length - made.length);
    assert.ok((counts['not sent (output_failed)'] ?? 0) >= 1, JSON.stringify(counts));
  });
});
