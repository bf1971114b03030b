import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeClerk, type FakeClerk, type FaultRule, type RecordedRequest } from './fake-clerk/server.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { byLine, parseErrorLine, resultLines, summary } from './helpers/results.ts';
import { runCli, tempDir } from './helpers/run-cli.ts';
import { spawnCli } from './helpers/spawn-cli.ts';
import { needsTty, runInTty, stripAnsi } from './helpers/tty.ts';

// A batch run as an operator sees it (issue 13): the progress line on a terminal and in a CI log,
// rate-limit pauses, Ctrl-C, a closed stdout, --output/--fields with --file; and the key never in
// result lines (issue 12).

const clerk = useFakeClerk();

const number = (i: number) => `+1201555${String(i).padStart(4, '0')}`;

/** `count` create rows over two users, as a JSONL file. */
function seed(count: number): { file: string; rows: { user_id: string; phone_number: string }[] } {
  const users = [clerk.server.addUser(), clerk.server.addUser()];
  const rows = Array.from({ length: count }, (_, i) => ({ user_id: users[i % 2]!.id, phone_number: number(i) }));
  const file = join(tempDir('phone-operator-'), 'seed.jsonl');
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  return { file, rows };
}

const posts = (): RecordedRequest[] => clerk.server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/phone_numbers');

function passThrough(method: string, path: FaultRule['path'], count: number): void {
  clerk.server.fault({ method, path, times: count, fault: { kind: 'delay', ms: 0 } });
}

const spawnPhone = (args: string[], env: Record<string, string> = {}, timeoutMs?: number) =>
  spawnCli(args, { ...clerk.env, ...env }, timeoutMs);

async function until(condition: () => boolean, label: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.ok(condition(), `timed out waiting for: ${label}`);
}

/** What a terminal shows of each line: a `\x1b[2K` (clear line) wipes what came before it on that line. */
function screenLines(output: string): string[] {
  const CLEAR = '\x1b[2K';
  return output.split('\n').map((line) => stripAnsi(line.includes(CLEAR) ? line.slice(line.lastIndexOf(CLEAR) + CLEAR.length) : line));
}

/** The stderr lines a non-terminal run wrote as progress. */
const progressLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('progress: '));

// ---------------------------------------------------------------- the progress line

describe('the progress line on a terminal', needsTty, () => {
  test('is cleared before a result line: stdout on the same terminal never glues JSON to it', async () => {
    const { rows, file } = seed(6);
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: Infinity, fault: { kind: 'delay', ms: 300 } });
    const result = await runInTty(['create', '--file', file, '--concurrency', '1'], { env: clerk.env });
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /\d+\/6 {2}[\d.]+\/s {2}failed 0/, 'the progress line was drawn');
    const shown = screenLines(result.output);
    const results = shown.filter((line) => line.includes('"line":'));
    assert.equal(results.length, rows.length, result.output);
    for (const line of results) assert.ok(line.startsWith('{"line":'), `a result line on its own: ${JSON.stringify(line)}`);
    assert.match(shown.filter(Boolean).at(-1)!, /^created 6, failed 0 in \d+\.\ds$/);
  });

  test('a 429 pause shows as "rate limited: resuming in N s", not as a frozen count', async () => {
    const { file } = seed(4);
    passThrough('POST', '/v1/phone_numbers', 1);
    clerk.server.fault({
      method: 'POST',
      path: '/v1/phone_numbers',
      times: 1,
      fault: { kind: 'status', status: 429, headers: { 'Retry-After': '2' } },
    });
    const result = await runInTty(['create', '--file', file, '--concurrency', '1'], { env: clerk.env, redirect: '> /dev/null' });
    assert.equal(result.code, 0, result.output);
    assert.match(stripAnsi(result.output), /rate limited: resuming in [12] s/);
  });

  test('Ctrl-C while rows wait out a 429: "Interrupted" on its own line, nothing more sent, exit 130', async () => {
    const { rows, file } = seed(8);
    passThrough('POST', '/v1/phone_numbers', 2);
    clerk.server.fault({
      method: 'POST',
      path: '/v1/phone_numbers',
      times: Infinity,
      fault: { kind: 'status', status: 429, headers: { 'Retry-After': '30' } },
    });
    const result = await runInTty(['create', '--file', file, '--concurrency', '2'], {
      env: clerk.env,
      redirect: '> out.jsonl',
      waitFor: 'rate limited: resuming in',
      input: '\x03',
      timeoutMs: 15_000,
    });
    assert.equal(result.code, 130, result.output);
    assert.ok(posts().length <= 4, `nothing but the two rows in flight was sent after the first 429 (${posts().length} POSTs)`);
    const shown = screenLines(result.output).filter(Boolean);
    assert.ok(
      shown.some((line) => line.startsWith('Interrupted: ')),
      result.output,
    );
    assert.match(shown.at(-1)!, new RegExp(`^created 2, failed 0, not sent ${rows.length - 2} \\(interrupted\\) in \\d+\\.\\ds$`));
  });
});

describe('the progress line off a terminal', () => {
  test('a CI log gets a plain progress line on stderr at a steady interval; stdout stays result lines only', async () => {
    const { rows, file } = seed(8);
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: Infinity, fault: { kind: 'delay', ms: 150 } });
    const result = await clerk.phone(['create', '--file', file, '--concurrency', '1'], { env: { PHONE_PROGRESS_INTERVAL_MS: '100' } });
    assert.equal(result.code, 0, result.stderr);
    byLine(result, rows.length);
    const lines = progressLines(result.stderr);
    assert.ok(lines.length >= 2, `several progress lines over a run of 8 x 150 ms:\n${result.stderr}`);
    for (const line of lines) assert.match(line, /^progress: \d+\/8 rows, [\d.]+\/s, failed 0(, ETA \S+)?$/);
    assert.ok(!result.stderr.includes('\x1b'), 'no terminal codes in a log');
    assert.deepEqual(summary(result), { created: 8, failed: 0 });
  });

  test('a short run at the default interval prints no progress line, only the summary', async () => {
    const { file } = seed(3);
    const result = await clerk.phone(['create', '--file', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(progressLines(result.stderr), []);
    assert.match(result.stderr, /^created 3, failed 0 in \d+\.\ds\n$/);
  });

  test('a rate-limit pause is in the log line too', async () => {
    const { file } = seed(3);
    passThrough('POST', '/v1/phone_numbers', 1);
    clerk.server.fault({
      method: 'POST',
      path: '/v1/phone_numbers',
      times: 1,
      fault: { kind: 'status', status: 429, headers: { 'Retry-After': '2' } },
    });
    const result = await clerk.phone(['create', '--file', file, '--concurrency', '1'], { env: { PHONE_PROGRESS_INTERVAL_MS: '200' } });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(
      progressLines(result.stderr).some((line) => /^progress: 1\/3 rows, rate limited: resuming in [12] s, failed 0$/.test(line)),
      result.stderr,
    );
  });
});

// ---------------------------------------------------------------- Ctrl-C

describe('Ctrl-C', () => {
  test('rows waiting out a 429 pause are not sent: interrupted at once, summary counts them as not sent', async () => {
    const { rows, file } = seed(10);
    passThrough('POST', '/v1/phone_numbers', 2);
    clerk.server.fault({
      method: 'POST',
      path: '/v1/phone_numbers',
      times: Infinity,
      fault: { kind: 'status', status: 429, headers: { 'Retry-After': '30' } },
    });
    // The 30 s pause would outlast this bound if the waits were not cut short.
    const run = spawnPhone(['create', '--file', file, '--concurrency', '2'], { PHONE_PROGRESS_INTERVAL_MS: '50' }, 10_000);
    await until(() => run.stderr().includes('rate limited: resuming in'), 'the pause');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const sentBefore = posts().length;
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130, result.stderr);
    assert.equal(posts().length, sentBefore, 'no request after the signal');
    const lines = byLine(result, rows.length);
    const limited = posts()
      .slice(2)
      .map((r) => (r.body as { phone_number: string }).phone_number);
    let created = 0;
    for (const out of lines.values()) {
      if (out.status === 'created') {
        created++;
        continue;
      }
      assert.equal(out.status, 'failed');
      assert.equal(out.error!.code, 'interrupted', JSON.stringify(out));
      if (limited.includes(out.input.phone_number as string))
        assert.equal(out.error!.message, 'interrupted before the request was sent again');
    }
    assert.equal(created, 2);
    assert.deepEqual(summary(result), { created: 2, failed: 0, 'not sent (interrupted)': rows.length - 2 });
  });

  test('a row waiting out a backoff is not sent again; one whose 503 may have applied counts as failed', async () => {
    const phones = [0, 1, 2].map((i) => clerk.server.addPhoneNumber(clerk.server.addUser().id, number(i)));
    const file = join(tempDir('phone-operator-'), 'changes.jsonl');
    writeFileSync(file, phones.map((p) => JSON.stringify({ id: p.id, verified: true })).join('\n') + '\n');
    const patches = () => clerk.server.requests.filter((r) => r.method === 'PATCH');
    clerk.server.fault({ method: 'PATCH', times: 1, fault: { kind: 'status', status: 503, headers: { 'Retry-After': '30' } } });
    const run = spawnPhone(['update', '--file', file, '--concurrency', '1'], {}, 10_000);
    await until(() => patches().length >= 1, 'the 503');
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130, result.stderr);
    assert.equal(patches().length, 1, 'the PATCH was not sent again');
    // A 503 may have been applied: that row failed (it is not "not sent"), and says so.
    const first = byLine(result, 3).get(1)!;
    assert.equal(first.error!.code, 'interrupted');
    assert.match(first.error!.message, /^interrupted before the request was sent again \(an earlier attempt may have taken effect\)$/);
    assert.deepEqual(summary(result), { updated: 0, failed: 1, 'not sent (interrupted)': 2 });
  });

  test('a second Ctrl-C quits at once and still reports every row whose request may have reached Clerk', async () => {
    const { file } = seed(10);
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: Infinity, fault: { kind: 'delay', ms: 60_000 } });
    const run = spawnPhone(['create', '--file', file, '--concurrency', '3'], {}, 10_000);
    await until(() => posts().length === 3, 'three requests out');
    run.child.kill('SIGINT');
    await until(() => run.stderr().includes('Interrupted'), 'the first signal noticed');
    run.child.kill('SIGINT');
    const result = await run.done;
    assert.equal(result.code, 130, result.stderr);
    const lines = resultLines(result);
    const sentNumbers = posts().map((r) => (r.body as { phone_number: string }).phone_number);
    const reported = lines.filter((l) => sentNumbers.includes(l.input.phone_number as string));
    assert.equal(reported.length, 3, `a line for each request out:\n${result.stdout}`);
    for (const out of reported) {
      assert.equal(out.status, 'failed');
      assert.equal(out.error!.code, 'interrupted');
      assert.match(out.error!.message, /may have been created/);
      assert.ok(out.error!.message.includes(`phone list --user-id ${out.input.user_id as string}`), out.error!.message);
    }
    assert.match(result.stderr.trimEnd().split('\n').at(-1)!, /^created 0, failed 3/);
  });
});

// ---------------------------------------------------------------- a closed stdout

test('a closed stdout (| head -1) stops the run with exit 1, not 130, and says why on stderr', async () => {
  const { rows, file } = seed(40);
  clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: Infinity, fault: { kind: 'delay', ms: 50 } });
  const run = spawnPhone(['create', '--file', file, '--concurrency', '1']);
  await run.firstLine;
  run.child.stdout!.destroy();
  const result = await run.done;
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stderr, /^Stopped: standard output was closed/m);
  assert.ok(posts().length < rows.length, `the run stopped early (${posts().length} sent)`);
  const counts = summary(result);
  assert.ok(counts['not sent (stdout_closed)']! >= 1, JSON.stringify(counts));
  assert.equal(counts.created! + counts.failed! + counts['not sent (stdout_closed)']!, rows.length);
});

// ---------------------------------------------------------------- --output and --fields with --file

test('--fields with --file picks the fields of each result; line, status, input and error stay whole', async () => {
  const { rows, file } = seed(3);
  const result = await clerk.phone(['create', '--file', file, '--fields', 'id,phone_number']);
  assert.equal(result.code, 0, result.stderr);
  for (const [n, out] of byLine(result, rows.length)) {
    assert.deepEqual(Object.keys(out.result!), ['id', 'phone_number']);
    assert.equal(out.result!.phone_number, rows[n - 1]!.phone_number);
    assert.deepEqual(out.input, rows[n - 1]);
  }
});

test('--output table, --output json and --json with --file are usage errors before any request; --output jsonl is what it does', async () => {
  const { file } = seed(2);
  for (const flags of [['--output', 'table'], ['-o', 'json'], ['--json']]) {
    const result = await clerk.phone(['create', '--file', file, ...flags]);
    assert.equal(result.code, 2, `${flags.join(' ')}: ${result.stderr}`);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /does not apply with --file: the results are JSON Lines/);
    assert.equal(clerk.server.requests.length, 0);
  }
  const jsonl = await clerk.phone(['create', '--file', file, '--output', 'jsonl']);
  assert.equal(jsonl.code, 0, jsonl.stderr);
  byLine(jsonl, 2);
});

// ---------------------------------------------------------------- authentication and the key (issue 12)

test('a batch stopped by authentication prints that error on stderr before the summary', async () => {
  const { file } = seed(5);
  const result = await clerk.phone(['create', '--file', file, '--concurrency', '1'], {
    env: { CLERK_SECRET_KEY: 'sk_test_wrongkey000000000000000000000000000000wxyz' },
  });
  assert.equal(result.code, 4, result.stderr);
  const stderr = result.stderr.trimEnd().split('\n');
  assert.equal(stderr.length, 2, result.stderr);
  const error = parseErrorLine(stderr[0]!);
  assert.equal(error.status, 401);
  // As a single command says it: which key (redacted) from where, and what to check.
  assert.match(error.message, /the key sent was sk_test_…wxyz from CLERK_SECRET_KEY, a test \(development\) key/);
  assert.deepEqual(summary(result), { created: 0, failed: 1, 'not sent (not_attempted)': 4 });
  assert.ok(!result.stderr.includes('wrongkey') && !result.stdout.includes('wrongkey'));
});

test('a key a server echoes in an error never reaches the result lines', async () => {
  const { file } = seed(2);
  const key = clerk.server.secretKey;
  clerk.server.fault({
    method: 'POST',
    path: '/v1/phone_numbers',
    times: Infinity,
    fault: {
      kind: 'status',
      status: 422,
      body: {
        errors: [
          {
            message: `bad request from ${key}`,
            long_message: `key ${key.toUpperCase()} refused`,
            code: 'form_param_invalid',
            meta: { key },
          },
        ],
      },
    },
  });
  const result = await clerk.phone(['create', '--file', file]);
  assert.equal(result.code, 1, result.stderr);
  for (const out of byLine(result, 2).values()) assert.match(out.error!.message, /sk_test_…abcd/);
  assert.ok(!result.stdout.toLowerCase().includes(key.toLowerCase()), result.stdout);
});

describe('a key with " and \\ in it', () => {
  const key = 'sk_test_quote"back\\slash000000000000000000wxyz';
  let server: FakeClerk;
  before(async () => (server = await startFakeClerk({ secretKey: key })));
  after(() => server.close());

  test('is left out of result lines in its JSON-escaped forms too', async () => {
    const user = server.addUser();
    const file = join(tempDir('phone-operator-'), 'seed.jsonl');
    writeFileSync(file, `${JSON.stringify({ user_id: user.id, phone_number: number(1) })}\n`);
    const escaped = JSON.stringify(key).slice(1, -1);
    server.fault({
      method: 'POST',
      times: Infinity,
      fault: {
        kind: 'status',
        status: 422,
        body: { errors: [{ message: `raw ${key}`, long_message: `escaped ${escaped}`, code: 'form_param_invalid' }] },
      },
    });
    const result = await runCli(['create', '--file', file], { env: { CLERK_SECRET_KEY: key, CLERK_API_URL: server.url } });
    assert.equal(result.code, 1, result.stderr);
    const out = byLine(result, 1).get(1)!;
    assert.match(out.error!.message, /sk_test_…wxyz/);
    for (const form of [key, escaped, JSON.stringify(escaped).slice(1, -1), 'quote'])
      assert.ok(!result.stdout.includes(form), `${form} in ${result.stdout}`);
  });
});
