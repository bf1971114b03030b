// Issue 16 end to end: batch runs leave at a pace (--rate, `rate` in config, else Clerk's limit for
// the key kind), a 429 slows every row, and Ctrl-C sends nothing more. Spacing is asserted from the
// times the fake recorded, as lower bounds and counts in windows, never as wall-clock targets.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startFakeClerk, type RecordedRequest } from './fake-clerk/server.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { byLine, summary } from './helpers/results.ts';
import { BIN, runCli, tempDir, type CliResult } from './helpers/run-cli.ts';
import { needsTty, runInTty, stripAnsi } from './helpers/tty.ts';

const clerk = useFakeClerk();

const number = (i: number) => `+1201555${String(i).padStart(4, '0')}`;

/** `count` create rows for one user, as a JSONL file. */
function seed(count: number): string {
  const user = clerk.server.addUser();
  const file = join(tempDir('phone-pacing-'), 'seed.jsonl');
  writeFileSync(
    file,
    Array.from({ length: count }, (_, i) => JSON.stringify({ user_id: user.id, phone_number: number(i) })).join('\n') + '\n',
  );
  return file;
}

const posts = (): RecordedRequest[] => clerk.server.requests.filter((r) => r.method === 'POST');

/** The most requests that arrived within any `windowMs` (a window opening at each arrival). */
function mostInAnyWindow(requests: RecordedRequest[], windowMs: number): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  return Math.max(0, ...times.map((start) => times.filter((t) => t >= start && t < start + windowMs).length));
}

/** The pace lines of --debug: `pace now 13.9/s (target 19.8/s)` as [now, target]. */
function paceChanges(stderr: string): [number, number][] {
  return [...stderr.matchAll(/pace now ([\d.]+)\/s \(target ([\d.]+)\/s\)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

test('--rate values that are not a rate are usage errors: exit 2, nothing sent', async () => {
  const file = seed(2);
  for (const value of ['fast', '0/1s', '10/0s', '5/1', '2.5/1s', '-5/1s', '100000/1s', '1/2h', '']) {
    const result = await clerk.phone(['create', '--file', file, '--rate', value]);
    assert.equal(result.code, 2, `--rate ${JSON.stringify(value)}: ${result.stderr}`);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /--rate must be <requests>\/<period> such as 100\/10s/);
  }
  const single = await clerk.phone(['create', '--user-id', 'user_x', '--phone-number', number(1), '--rate', '5/1s']);
  assert.equal(single.code, 2, single.stderr);
  assert.match(single.stderr, /--rate only applies with --file/);
  assert.equal(clerk.server.requests.length, 0);
});

test('rate in a config file or profile: a bad one is a usage error naming the file; a good one paces the run', async () => {
  const file = seed(3);
  const dir = tempDir('phone-rate-config-');
  const config = join(dir, '.phonerc.json');
  for (const [content, pattern] of [
    [{ rate: 'quick' }, /rate \(from .*\.phonerc\.json \(rate\)\) must be <requests>\/<period>/],
    [{ rate: 5 }, /key \\"rate\\" must be a string such as \\"100\/10s\\", got 5/],
    [{ profiles: { ci: { rate: '5/0s' } } }, /rate \(from .*\.phonerc\.json \(profiles\.ci\.rate\)\) must be/],
  ] as const) {
    writeFileSync(config, JSON.stringify(content));
    const args = ['create', '--file', file, ...('profiles' in content ? ['--profile', 'ci'] : [])];
    const result = await clerk.phone(args, { cwd: dir });
    assert.equal(result.code, 2, `${JSON.stringify(content)}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
  }
  assert.equal(clerk.server.requests.length, 0);

  writeFileSync(config, JSON.stringify({ rate: '1000/10s', profiles: { ci: { rate: '300/1m' } } }));
  const fromProfile = await clerk.phone(['create', '--file', file, '--profile', 'ci', '--debug'], { cwd: dir });
  assert.equal(fromProfile.code, 0, fromProfile.stderr);
  assert.match(fromProfile.stderr, /pace: at most 300 requests per 60000 ms \(.*\.phonerc\.json \(profiles\.ci\.rate\)\)/);
  const fromFlag = await clerk.phone(['create', '--file', file, '--profile', 'ci', '--rate', '50/1s', '--debug', '--skip-existing'], {
    cwd: dir,
  });
  assert.equal(fromFlag.code, 0, fromFlag.stderr);
  assert.match(fromFlag.stderr, /pace: at most 50 requests per 1000 ms \(--rate\)/);
});

test('without --rate a development key runs at 90 per 10 s: 20 rows take at least 19 intervals of 1/9 s', async () => {
  const file = seed(20);
  const result = await clerk.phone(['create', '--file', file, '--debug']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(summary(result), { created: 20, failed: 0 });
  assert.match(result.stderr, /pace: at most 90 requests per 10000 ms \(default: 90% of Clerk's limit for development keys\)/);
  const sent = posts().map((r) => r.at);
  assert.equal(sent.length, 20);
  // The server's clock, not the test's: evenly spaced at about 111 ms, never faster (a little slack for arrival jitter).
  assert.ok(sent.at(-1)! - sent[0]! >= 19 * 111 - 30, `20 requests in ${sent.at(-1)! - sent[0]!} ms`);
  assert.ok(mostInAnyWindow(posts(), 1000) <= 10, `${mostInAnyWindow(posts(), 1000)} requests in one second`);
});

test('a production key defaults to 900 per 10 s, ten times the development pace', async () => {
  const live = await startFakeClerk({ secretKey: 'sk_live_fakeclerk000000000000000000000000000000abcd' });
  try {
    const user = live.addUser();
    const file = join(tempDir('phone-pacing-'), 'seed.jsonl');
    writeFileSync(
      file,
      Array.from({ length: 20 }, (_, i) => JSON.stringify({ user_id: user.id, phone_number: number(i) })).join('\n') + '\n',
    );
    const result = await runCli(['create', '--file', file, '--live', '--debug'], {
      env: { CLERK_SECRET_KEY: live.secretKey, CLERK_API_URL: live.url },
    });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /pace: at most 900 requests per 10000 ms \(default: 90% of Clerk's limit for production keys\)/);
    const sent = live.requests.map((r) => r.at);
    assert.equal(sent.length, 20);
    assert.ok(sent.at(-1)! - sent[0]! >= 19 * 11 - 30, `20 requests in ${sent.at(-1)! - sent[0]!} ms`);
  } finally {
    await live.close();
  }
});

test('a 429 for one row pauses every row for its Retry-After and cuts the shared pace', async () => {
  const file = seed(30);
  const hit = number(5);
  clerk.server.fault({
    method: 'POST',
    when: (r) => (r.body as { phone_number?: string }).phone_number === hit,
    times: 1,
    fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
  });
  const result = await clerk.phone(['create', '--file', file, '--rate', '20/1s', '--concurrency', '4', '--debug'], { timeoutMs: 30_000 });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(summary(result), { created: 30, failed: 0 });
  assert.equal(clerk.server.phoneNumbers().length, 30, 'every row created once');
  const all = posts();
  const limited = all.find((r) => (r.body as { phone_number: string }).phone_number === hit)!;
  // At 20/s at most the one request already on its way may arrive during the pause of 1 s.
  const duringPause = all.filter((r) => r.at > limited.at && r.at < limited.at + 900);
  assert.ok(duringPause.length <= 1, `${duringPause.length} requests during the pause`);
  const [cut] = paceChanges(result.stderr);
  assert.ok(cut, `a pace change on --debug:\n${result.stderr}`);
  assert.ok(Math.abs(cut[0] - cut[1] * 0.7) < 0.1, `the pace cut by 30%: ${cut.join(' of ')}`);
});

test('a limit below --rate: the pace settles under it and every row gets through', async () => {
  const file = seed(40);
  clerk.server.rateLimit({ requests: 10, perMs: 1000, window: 'fixed' });
  const result = await clerk.phone(['create', '--file', file, '--rate', '100/1s', '--debug'], { timeoutMs: 60_000 });
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(summary(result), { created: 40, failed: 0 });
  const rateLimited = posts().length - 40;
  assert.ok(rateLimited >= 1, 'the server refused some requests');
  // Each 429 pauses every row and cuts the pace (once per round trip): far fewer 429s than rows.
  assert.ok(rateLimited <= 20, `${rateLimited} responses were 429`);
  const paces = paceChanges(result.stderr).map(([now]) => now);
  assert.ok(paces.length >= 2 && paces.at(-1)! < 50, `the pace came down: ${paces.join(', ')}`);
});

test('Ctrl-C while rows wait for their turn: nothing is sent after it, the waiting rows are reported as interrupted', async () => {
  const file = seed(30);
  const home = tempDir('phone-home-');
  const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...clerk.env };
  // Eight rows queue for slots half a second apart.
  const child = spawn(process.execPath, [BIN, 'create', '--file', file, '--rate', '2/1s', '--concurrency', '8'], { cwd: tempDir(), env });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  for (let i = 0; i < 400 && posts().length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 25));
  assert.equal(posts().length, 2, 'two slots went by');
  const signalledAt = Date.now();
  child.kill('SIGINT');
  const result = await done;
  const sentBefore = posts().filter((r) => r.at <= signalledAt).length;
  // A request whose slot came the very moment of the signal may still arrive; none after it.
  const late = posts().filter((r) => r.at > signalledAt + 100);
  assert.equal(result.code, 130, result.stderr);
  assert.deepEqual(late, [], 'nothing sent after Ctrl-C');
  const lines = [...byLine(result, 30).values()];
  const created = lines.filter((line) => line.status === 'created').length;
  assert.equal(created, clerk.server.phoneNumbers().length);
  assert.ok(created >= sentBefore, `${created} created, ${sentBefore} sent before the signal`);
  for (const line of lines.filter((l) => l.status !== 'created')) {
    assert.equal(line.status, 'failed');
    assert.equal(line.error!.code, 'interrupted', JSON.stringify(line.error));
  }
});

test('the progress line shows the pace requests leave at', needsTty, async () => {
  const file = seed(12);
  const result = await runInTty(['create', '--file', file, '--rate', '10/1s'], { env: clerk.env, redirect: '> /dev/null' });
  assert.equal(result.code, 0, result.output);
  const progress = stripAnsi(result.output)
    .split('\n')
    .filter((line) => /\d+\/12/.test(line));
  assert.ok(
    progress.some((line) => /\b(9|10)\/s\b/.test(line)),
    `a pace of about 10/s on the progress line:\n${progress.join('\n')}`,
  );
});
