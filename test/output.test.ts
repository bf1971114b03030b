import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { json, seedPhone } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import type { ErrorObject } from './helpers/results.ts';
import { BIN, tempDir, type CliResult } from './helpers/run-cli.ts';
import { ANSI, needsTty, runInTty, shellQuote, stripAnsi } from './helpers/tty.ts';

const clerk = useFakeClerk();

/** stderr in json mode: exactly one line, one object, the five documented fields. */
function errorJson(stderr: string): ErrorObject {
  assert.ok(stderr.endsWith('\n'), `stderr ends with a newline: ${JSON.stringify(stderr)}`);
  assert.equal(stderr.split('\n').length, 2, `exactly one line on stderr: ${stderr}`);
  const parsed = JSON.parse(stderr) as { error: ErrorObject };
  assert.deepEqual(Object.keys(parsed), ['error']);
  assert.deepEqual(Object.keys(parsed.error).sort(), ['clerk_trace_id', 'code', 'errors', 'message', 'status']);
  assert.equal(typeof parsed.error.message, 'string');
  assert.notEqual(parsed.error.message, '');
  return parsed.error;
}

/** The rows of a key/value table, box characters and colors removed. */
function tableRows(output: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of stripAnsi(output).split('\n')) {
    const cells = line
      .split(/[│|]/)
      .map((cell) => cell.trim())
      .filter((cell) => cell !== '');
    if (cells.length === 2) rows.set(cells[0]!, cells[1]!);
  }
  return rows;
}

const YES = /^(yes|true|✓|✔)$/i;
const NO = /^(no|false|—|-|✗|✘)$/i;

// ---------------------------------------------------------------- format selection

test('json is the default when stdout is not a terminal', async () => {
  const { phone } = seedPhone(clerk.server, { verified: true });
  const result = await clerk.inProcess(['get', phone.id]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, json(phone));
  assert.equal(result.stderr, '');
});

test('--json, -o json and --output json print the API object exactly', async () => {
  const { phone } = seedPhone(clerk.server, { verified: true, reservedForSecondFactor: true });
  for (const flags of [['--json'], ['-o', 'json'], ['--output', 'json'], ['--output=json']]) {
    const result = await clerk.inProcess(['get', phone.id, ...flags]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, json(phone), flags.join(' '));
    assert.equal(result.stderr, '');
  }
});

test('json output keeps fields the CLI does not know about', async () => {
  const { phone } = seedPhone(clerk.server);
  const extended = { ...phone, some_future_field: { nested: [1, 'two', null] }, phone_number: '+12015550100' };
  clerk.server.fault({ fault: { kind: 'status', status: 200, body: extended } });
  const result = await clerk.inProcess(['get', phone.id]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, json(extended));
});

test('-o table prints a key/value table even when piped, without color', async () => {
  const { phone } = seedPhone(clerk.server, { verified: true });
  for (const flags of [
    ['-o', 'table'],
    ['--output', 'table'],
  ]) {
    const result = await clerk.inProcess(['get', phone.id, ...flags]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.doesNotMatch(result.stdout, ANSI);
    const rows = tableRows(result.stdout);
    assert.equal(rows.get('ID'), phone.id);
    assert.equal(rows.get('Phone number'), '+12015550100');
    assert.ok(!result.stdout.includes('"phone_number"'), 'not JSON');
  }
});

test('a terminal gets a table by default with every documented row', needsTty, async () => {
  const { phone } = seedPhone(clerk.server, { verified: true, reservedForSecondFactor: true });
  const result = await runInTty(['get', phone.id], { env: clerk.env });
  assert.equal(result.code, 0, result.output);
  const rows = tableRows(result.output);
  assert.equal(rows.get('ID'), phone.id);
  assert.equal(rows.get('Phone number'), '+12015550100');
  assert.equal(rows.get('Verification'), 'verified');
  assert.equal(rows.get('Strategy'), 'admin');
  assert.match(rows.get('Reserved') ?? '', NO);
  assert.match(rows.get('Reserved for second factor') ?? '', YES);
  assert.match(rows.get('Default second factor') ?? '', YES);
  assert.ok(rows.has('Linked to'), `a Linked to row: ${result.output}`);
  assert.equal(rows.get('Created'), new Date(phone.created_at).toISOString());
  assert.equal(rows.get('Updated'), new Date(phone.updated_at).toISOString());
  assert.ok(!result.output.includes('"phone_number"'), 'not JSON');
});

test('the table shows an unverified number and what it is linked to', async () => {
  const { phone } = seedPhone(clerk.server);
  const answer = { ...phone, linked_to: [{ type: 'oauth_google', id: 'idn_linked123' }], reserved: true };
  clerk.server.fault({ fault: { kind: 'status', status: 200, body: answer } });
  const result = await clerk.inProcess(['get', phone.id, '-o', 'table']);
  assert.equal(result.code, 0, result.stderr);
  const rows = tableRows(result.stdout);
  assert.notEqual(rows.get('Verification'), 'verified');
  assert.match(rows.get('Reserved') ?? '', YES);
  assert.match(rows.get('Reserved for second factor') ?? '', NO);
  assert.ok(rows.get('Linked to')?.includes('idn_linked123'), `linked_to shown: ${result.stdout}`);
  assert.ok(rows.get('Linked to')?.includes('oauth_google'), `linked_to type shown: ${result.stdout}`);
});

test('create and update print the table on a terminal too', needsTty, async () => {
  const user = clerk.server.addUser();
  const created = await runInTty(['create', '--user-id', user.id, '--phone-number', '+1 201 555 0123'], { env: clerk.env });
  assert.equal(created.code, 0, created.output);
  const id = clerk.server.phoneNumbers()[0]!.id;
  assert.equal(tableRows(created.output).get('ID'), id);
  assert.equal(tableRows(created.output).get('Phone number'), '+12015550123');
  const updated = await runInTty(['update', id, '--verified'], { env: clerk.env });
  assert.equal(updated.code, 0, updated.output);
  assert.equal(tableRows(updated.output).get('Verification'), 'verified');
  assert.equal(tableRows(updated.output).get('Updated'), new Date(clerk.server.phoneNumbers()[0]!.updated_at).toISOString());
});

test('config output json is honoured on a terminal', needsTty, async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  writeFileSync(join(cwd, '.phonerc.json'), JSON.stringify({ output: 'json' }));
  const result = await runInTty(['get', phone.id], { env: clerk.env, cwd });
  assert.equal(result.code, 0, result.output);
  assert.equal(result.output, json(phone));
});

test('delete in table mode prints exactly one line', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.inProcess(['delete', phone.id, '--yes', '-o', 'table']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, `Deleted phone number ${phone.id}\n`);
  assert.equal(result.stderr, '');
});

test('delete --yes on a terminal prints exactly one line', needsTty, async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await runInTty(['delete', phone.id, '--yes'], { env: clerk.env });
  assert.equal(result.code, 0, result.output);
  assert.equal(result.output, `Deleted phone number ${phone.id}\n`);
});

test('delete in json mode prints the DeletedObject', async () => {
  for (const flags of [[], ['--json']]) {
    clerk.server.reset();
    const { phone: again } = seedPhone(clerk.server);
    const result = await clerk.inProcess(['delete', again.id, '--yes', ...flags]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, json({ object: 'phone_number', id: again.id, deleted: true }));
    assert.equal(result.stderr, '');
    assert.equal(clerk.server.phoneNumbers().length, 0);
  }
});

// ---------------------------------------------------------------- errors

const TWO_ERRORS = {
  errors: [
    {
      message: 'is invalid',
      long_message: 'phone_number must be a valid phone number according to E.164 international standard.',
      code: 'form_param_format_invalid',
      meta: { param_name: 'phone_number' },
    },
    {
      message: 'is unknown',
      long_message: 'frobnicate is not a valid parameter for this request.',
      code: 'form_param_unknown',
      meta: { param_name: 'frobnicate' },
      extra_field: 42,
    },
  ],
  clerk_trace_id: 'trace_0123456789abcdef',
};

test('json mode: an API error is one JSON line on stderr with the errors as returned; stdout empty', async () => {
  const { phone } = seedPhone(clerk.server);
  clerk.server.fault({ fault: { kind: 'status', status: 422, body: TWO_ERRORS } });
  const result = await clerk.inProcess(['get', phone.id]);
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stdout, '');
  const error = errorJson(result.stderr);
  assert.equal(error.status, 422);
  assert.equal(error.code, 'form_param_format_invalid', "Clerk's first error code");
  assert.deepEqual(error.errors, TWO_ERRORS.errors);
  assert.equal(error.clerk_trace_id, 'trace_0123456789abcdef');
});

test('json mode: a real 404 carries the server errors and trace id', async () => {
  const result = await clerk.inProcess(['get', 'idn_missing', '--json']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, '');
  const error = errorJson(result.stderr);
  assert.equal(error.status, 404);
  assert.equal(error.code, 'resource_not_found');
  assert.deepEqual(error.errors, [{ message: 'not found', long_message: 'Resource not found', code: 'resource_not_found' }]);
  assert.match(error.clerk_trace_id ?? '', /^[0-9a-f]{32}$/);
});

test('json mode: failures without an HTTP answer use the CLI own code and status null', async () => {
  const usage = await clerk.inProcess(['get', '../users/user_1']);
  assert.equal(usage.code, 2);
  assert.equal(usage.stdout, '');
  const usageError = errorJson(usage.stderr);
  assert.equal(usageError.status, null);
  assert.equal(usageError.code, 'usage');
  assert.deepEqual(usageError.errors, []);
  assert.equal(usageError.clerk_trace_id, null);

  const noKey = await clerk.inProcess(['get', 'idn_1'], { env: { CLERK_SECRET_KEY: undefined } });
  assert.equal(noKey.code, 4);
  const noKeyError = errorJson(noKey.stderr);
  assert.equal(noKeyError.status, null);
  assert.equal(noKeyError.code, 'no_secret_key');

  // A port with nothing listening: connection refused.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  const network = await clerk.inProcess(['get', 'idn_1', '--retries', '0'], { env: { CLERK_API_URL: `http://127.0.0.1:${port}` } });
  assert.equal(network.code, 5, network.stderr);
  assert.equal(network.stdout, '');
  const networkError = errorJson(network.stderr);
  assert.equal(networkError.status, null);
  assert.equal(networkError.code, 'network');
  assert.equal(networkError.clerk_trace_id, null);
});

test('json mode: argument errors (unknown flag, unknown command, missing argument) are one JSON line too', async () => {
  for (const args of [
    ['get', 'idn_1', '--bogus'],
    ['gte', 'idn_1'],
    ['get'],
    ['update', 'idn_1'],
    ['delete', 'idn_1'],
    ['get', 'idn_1', '-o', 'yaml'],
  ]) {
    const result = await clerk.inProcess(args);
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stdout, '');
    const error = errorJson(result.stderr);
    assert.equal(error.status, null, args.join(' '));
    assert.equal(error.code, 'usage', args.join(' '));
    assert.deepEqual(error.errors, []);
    assert.equal(error.clerk_trace_id, null);
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('json mode on a terminal: an error is still one JSON line', needsTty, async () => {
  const result = await runInTty(['get', 'idn_missing', '--json'], { env: clerk.env });
  assert.equal(result.code, 3, result.output);
  const error = errorJson(result.output);
  assert.equal(error.status, 404);
});

test('table mode: stderr has every long_message, the code, the HTTP status and the trace id', async () => {
  const { phone } = seedPhone(clerk.server);
  clerk.server.fault({ fault: { kind: 'status', status: 422, body: TWO_ERRORS } });
  const result = await clerk.inProcess(['get', phone.id, '-o', 'table']);
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stdout, '');
  for (const text of [
    TWO_ERRORS.errors[0]!.long_message,
    TWO_ERRORS.errors[1]!.long_message,
    'form_param_format_invalid',
    'form_param_unknown',
    'HTTP 422',
    'trace_0123456789abcdef',
  ]) {
    assert.ok(result.stderr.includes(text), `stderr mentions ${text}: ${result.stderr}`);
  }
  assert.ok(!result.stderr.trimStart().startsWith('{'), 'not JSON');
});

test('table mode on a terminal: a 404 shows the message, code, status and trace id', needsTty, async () => {
  const result = await runInTty(['get', 'idn_missing'], { env: clerk.env });
  assert.equal(result.code, 3, result.output);
  const output = stripAnsi(result.output);
  assert.ok(output.includes('Resource not found'), output);
  assert.ok(output.includes('resource_not_found'), output);
  assert.ok(output.includes('HTTP 404'), output);
  assert.match(output, /[0-9a-f]{32}/);
});

test('table mode: a trace id given only in the x-clerk-trace-id header is shown', async () => {
  clerk.server.fault({
    fault: {
      kind: 'status',
      status: 400,
      body: { errors: [{ message: 'bad', long_message: 'Bad thing happened.', code: 'bad_thing' }] },
      headers: { 'X-Clerk-Trace-Id': 'trace_from_header_1' },
    },
  });
  const table = await clerk.inProcess(['get', 'idn_1', '-o', 'table']);
  assert.equal(table.code, 1, table.stderr);
  assert.ok(table.stderr.includes('trace_from_header_1'), table.stderr);
  clerk.server.fault({
    fault: {
      kind: 'status',
      status: 400,
      body: { errors: [{ message: 'bad', long_message: 'Bad thing happened.', code: 'bad_thing' }] },
      headers: { 'X-Clerk-Trace-Id': 'trace_from_header_2' },
    },
  });
  const jsonMode = await clerk.inProcess(['get', 'idn_1']);
  assert.equal(errorJson(jsonMode.stderr).clerk_trace_id, 'trace_from_header_2');
});

const HTML_502 = `<!DOCTYPE html>
<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx/1.25.3</center>
<script>var secret = "do not print this";</script>
</body>
</html>
`;

test('an HTML 502 page gives a short message with the status, not the page', async () => {
  const { phone } = seedPhone(clerk.server);
  clerk.server.fault({ fault: { kind: 'status', status: 502, body: HTML_502 } });
  const table = await clerk.inProcess(['get', phone.id, '--retries', '0', '-o', 'table']);
  assert.equal(table.code, 5, table.stderr);
  assert.equal(table.stdout, '');
  assert.ok(table.stderr.includes('502'), table.stderr);
  assert.ok(!table.stderr.includes('<'), `no HTML in stderr: ${table.stderr}`);
  assert.ok(!table.stderr.includes('nginx') && !table.stderr.includes('do not print this'), table.stderr);
  assert.ok(table.stderr.trim().split('\n').length <= 3, `a short message: ${table.stderr}`);

  clerk.server.fault({ fault: { kind: 'status', status: 502, body: HTML_502 } });
  const jsonMode = await clerk.inProcess(['get', phone.id, '--retries', '0']);
  assert.equal(jsonMode.code, 5, jsonMode.stderr);
  assert.equal(jsonMode.stdout, '');
  const error = errorJson(jsonMode.stderr);
  assert.equal(error.status, 502);
  assert.ok(!error.message.includes('<') && !error.message.includes('nginx'), error.message);
  assert.ok(!error.message.includes('\n'), `one line: ${error.message}`);
  assert.deepEqual(error.errors, []);
});

test('no stack trace on an error without --debug', async () => {
  const { phone } = seedPhone(clerk.server);
  clerk.server.fault({ fault: { kind: 'status', status: 200, body: 'this is not json' } });
  const result = await clerk.inProcess(['get', phone.id, '-o', 'table']);
  assert.notEqual(result.code, 0);
  assert.equal(result.stdout, '');
  assert.doesNotMatch(result.stderr, /^\s+at /m, `no stack trace: ${result.stderr}`);
  for (const args of [
    ['get', 'idn_missing', '-o', 'table'],
    ['get', '../x', '-o', 'table'],
    ['get', 'idn_1', '--retries', '0'],
  ]) {
    const r = await clerk.inProcess(args, args[1] === 'idn_1' ? { env: { CLERK_API_URL: 'http://127.0.0.1:9' } } : {});
    assert.doesNotMatch(r.stderr, /^\s+at /m, `${args.join(' ')}: ${r.stderr}`);
  }
});

// ---------------------------------------------------------------- color

test('FORCE_COLOR=1 colors a table even when piped', async () => {
  const { phone } = seedPhone(clerk.server, { verified: true });
  const result = await clerk.inProcess(['get', phone.id, '-o', 'table'], { env: { FORCE_COLOR: '1' } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, ANSI);
});

test('FORCE_COLOR beats NO_COLOR, as in Node', async () => {
  const { phone } = seedPhone(clerk.server, { verified: true });
  const result = await clerk.inProcess(['get', phone.id, '-o', 'table'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, ANSI);
});

test('--no-color beats FORCE_COLOR', async () => {
  const { phone } = seedPhone(clerk.server, { verified: true });
  const result = await clerk.inProcess(['get', phone.id, '-o', 'table', '--no-color'], { env: { FORCE_COLOR: '1' } });
  assert.equal(result.code, 0, result.stderr);
  assert.doesNotMatch(result.stdout, ANSI);
  const error = await clerk.inProcess(['get', 'idn_missing', '-o', 'table', '--no-color'], { env: { FORCE_COLOR: '1' } });
  assert.equal(error.code, 3);
  assert.doesNotMatch(error.stderr, ANSI);
});

test('a table on a terminal is colored by default', needsTty, async () => {
  const { phone } = seedPhone(clerk.server, { verified: true });
  const result = await runInTty(['get', phone.id], { env: clerk.env });
  assert.equal(result.code, 0, result.output);
  assert.match(result.output, ANSI);
});

test('no color on a terminal with --no-color, NO_COLOR or FORCE_COLOR=0', needsTty, async () => {
  const { phone } = seedPhone(clerk.server, { verified: true });
  const cases: [string, string[], Record<string, string>][] = [
    ['--no-color', ['--no-color'], {}],
    ['NO_COLOR=1', [], { NO_COLOR: '1' }],
    ['NO_COLOR empty', [], { NO_COLOR: '' }],
    ['FORCE_COLOR=0', [], { FORCE_COLOR: '0' }],
    ['FORCE_COLOR=0 with NO_COLOR', [], { FORCE_COLOR: '0', NO_COLOR: '1' }],
  ];
  for (const [name, flags, env] of cases) {
    const result = await runInTty(['get', phone.id, ...flags], { env: { ...clerk.env, ...env } });
    assert.equal(result.code, 0, `${name}: ${result.output}`);
    assert.equal(tableRows(result.output).get('ID'), phone.id, name);
    assert.doesNotMatch(result.output, ANSI, name);
    const error = await runInTty(['get', 'idn_missing', ...flags], { env: { ...clerk.env, ...env } });
    assert.equal(error.code, 3, `${name}: ${error.output}`);
    assert.ok(error.output.includes('Resource not found'), error.output);
    assert.doesNotMatch(error.output, ANSI, `${name} (error)`);
  }
});

test('no color when piped without FORCE_COLOR', async () => {
  const { phone } = seedPhone(clerk.server, { verified: true });
  const table = await clerk.inProcess(['get', phone.id, '-o', 'table']);
  assert.equal(table.code, 0, table.stderr);
  assert.doesNotMatch(table.stdout, ANSI);
  const jsonOut = await clerk.inProcess(['get', phone.id], { env: { FORCE_COLOR: '1' } });
  assert.equal(jsonOut.stdout, json(phone), 'JSON is never colored');
  const error = await clerk.inProcess(['get', 'idn_missing', '-o', 'table']);
  assert.doesNotMatch(error.stderr, ANSI);
  const deleted = await clerk.inProcess(['delete', phone.id, '--yes', '-o', 'table']);
  assert.equal(deleted.stdout, `Deleted phone number ${phone.id}\n`);
});

// ---------------------------------------------------------------- the secret key stays secret

test('the secret key never appears in stdout or stderr (success, failure, --debug)', async () => {
  const { phone } = seedPhone(clerk.server);
  const key = clerk.server.secretKey;
  const user = clerk.server.addUser();
  const runs: { args: string[]; env?: Record<string, string | undefined>; fault?: boolean }[] = [
    { args: ['get', phone.id] },
    { args: ['get', phone.id, '--debug'] },
    { args: ['get', phone.id, '--debug', '-o', 'table'] },
    { args: ['update', phone.id, '--verified', '--debug'] },
    { args: ['create', '--user-id', user.id, '--phone-number', '+12015550177', '--debug'] },
    { args: ['get', 'idn_missing', '--debug'] },
    { args: ['get', 'idn_missing', '--debug', '-o', 'table'] },
    { args: ['get', phone.id, '--debug', '--retries', '1'], fault: true },
    { args: ['get', '../users', '--debug'] },
    { args: ['get', phone.id, '--debug', '--retries', '0'], env: { CLERK_API_URL: 'http://127.0.0.1:9' } },
    { args: ['get', phone.id, '--debug', '-o', 'yaml'] },
    { args: ['delete', phone.id, '--yes', '--debug'] },
  ];
  for (const run of runs) {
    if (run.fault) clerk.server.fault({ fault: { kind: 'status', status: 503 }, times: 5 });
    const result = await clerk.inProcess(run.args, { env: run.env });
    const label = run.args.join(' ');
    assert.ok(!result.stdout.includes(key), `${label}: key in stdout`);
    assert.ok(!result.stderr.includes(key), `${label}: key in stderr`);
  }
});

test('a key the server echoes back in an error is not shown', async () => {
  const { phone } = seedPhone(clerk.server);
  const key = clerk.server.secretKey;
  const body = {
    errors: [{ message: 'bad key', long_message: `The key ${key} is not allowed here.`, code: 'key_echo', meta: { key } }],
    clerk_trace_id: 'trace_echo',
  };
  for (const flags of [[], ['-o', 'table'], ['--debug']]) {
    clerk.server.fault({ fault: { kind: 'status', status: 400, body } });
    const result = await clerk.inProcess(['get', phone.id, ...flags]);
    assert.equal(result.code, 1, result.stderr);
    assert.ok(!result.stderr.includes(key), `${flags.join(' ')}: key in stderr: ${result.stderr}`);
    assert.ok(result.stderr.includes('trace_echo'), result.stderr);
  }
});

test('--debug shows the key only redacted', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.inProcess(['get', phone.id, '--debug']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, json(phone), '--debug writes nothing extra to stdout');
  assert.ok(result.stderr.includes(`/v1/phone_numbers/${phone.id}`), result.stderr);
  assert.ok(result.stderr.includes(`sk_test_…${clerk.server.secretKey.slice(-4)}`), `redacted key shown: ${result.stderr}`);
  assert.ok(!result.stderr.includes(clerk.server.secretKey), 'never the whole key');
  assert.ok(!result.stderr.includes(clerk.server.secretKey.slice(8, 30)), 'not even the middle of the key');
});

test('a wrong key is not echoed either, from the environment, a key file or a config file', async () => {
  const { phone } = seedPhone(clerk.server);
  const wrong = 'sk_test_wrongkey_ABCDEFGHIJKLMNOPQRSTUV_9876';
  const forbidden = 'sk_test_forbidden_ABCDEFGHIJKLMNOPQRSTU_5432';
  const cwd = tempDir();
  writeFileSync(join(cwd, 'key.txt'), `${wrong}\n`);
  writeFileSync(join(cwd, 'cfg.json'), JSON.stringify({ secretKey: wrong }));
  const runs: [string[], Record<string, string | undefined>][] = [
    [['get', phone.id], { CLERK_SECRET_KEY: wrong }],
    [['get', phone.id, '--debug'], { CLERK_SECRET_KEY: wrong }],
    [['get', phone.id, '--debug', '-o', 'table'], { CLERK_SECRET_KEY: wrong }],
    [['get', phone.id, '--debug', '-o', 'table'], { CLERK_SECRET_KEY: forbidden }],
    [['get', phone.id, '--debug', '--secret-key-file', join(cwd, 'key.txt')], {}],
    [['get', phone.id, '--debug', '--config', join(cwd, 'cfg.json'), '-o', 'table'], { CLERK_SECRET_KEY: undefined }],
  ];
  for (const [args, env] of runs) {
    const result = await clerk.inProcess(args, { env, cwd });
    assert.equal(result.code, 4, `${args.join(' ')}: ${result.stderr}`);
    for (const key of [wrong, forbidden]) {
      assert.ok(!result.stdout.includes(key) && !result.stderr.includes(key), `${args.join(' ')}: key shown\n${result.stderr}`);
    }
  }
});

// ---------------------------------------------------------------- closed stdout

function sh(script: string, env: Record<string, string>, cwd: string): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', script], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sh -c ${script} hung`));
    }, 20_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

for (const [reader, expected] of [
  ['head -c1', '{'],
  ['true', ''],
] as const) {
  test(`a closed stdout ends quietly: phone get <id> | ${reader}`, async () => {
    const { phone } = seedPhone(clerk.server);
    const cwd = tempDir();
    const cmd = [process.execPath, BIN, 'get', phone.id].map(shellQuote).join(' ');
    // `true` reads nothing and is gone before the CLI writes: the write fails with EPIPE.
    const script = `{ ${cmd} 2>err.txt; echo $? >code.txt; } | ${reader}`;
    const result = await sh(script, { ...clerk.env }, cwd);
    assert.equal(result.stdout, expected);
    assert.equal(result.stderr, '');
    const stderr = readFileSync(join(cwd, 'err.txt'), 'utf8');
    assert.equal(stderr, '', `nothing on stderr: ${stderr}`);
    const code = Number(readFileSync(join(cwd, 'code.txt'), 'utf8').trim());
    assert.ok(code === 0 || code === 141, `a quiet exit, got ${code}`);
    assert.equal(clerk.server.requests.length, 1);
  });
}

test('a closed stdout with a large table ends quietly', async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  const big = { ...phone, linked_to: Array.from({ length: 3000 }, (_, i) => ({ type: 'oauth_google', id: `idn_link${i}` })) };
  clerk.server.fault({ fault: { kind: 'status', status: 200, body: big } });
  const cmd = [process.execPath, BIN, 'get', phone.id, '-o', 'table'].map(shellQuote).join(' ');
  const result = await sh(`{ ${cmd} 2>err.txt; echo $? >code.txt; } | head -c1`, { ...clerk.env }, cwd);
  assert.equal(result.stdout.length, 1);
  const stderr = readFileSync(join(cwd, 'err.txt'), 'utf8');
  assert.equal(stderr, '', `nothing on stderr: ${stderr}`);
  const code = Number(readFileSync(join(cwd, 'code.txt'), 'utf8').trim());
  assert.ok(code === 0 || code === 141, `a quiet exit, got ${code}`);
});
