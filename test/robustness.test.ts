import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { useFakeClerk } from './helpers/fixture.ts';
import { BIN, runCli, tempDir } from './helpers/run-cli.ts';
import { errorJson, resultLines } from './helpers/results.ts';

/** Inputs and surroundings that are easy to get wrong: pipes, a reader that leaves, odd keys. */
const clerk = useFakeClerk();

function seedRows(count: number): string[] {
  const user = clerk.server.addUser();
  return Array.from({ length: count }, (_, i) => JSON.stringify({ user_id: user.id, phone_number: `+1201555${String(1000 + i)}` }));
}

test('--file may be a named pipe without an extension: it is read once, as JSON Lines, every row reported', async () => {
  const dir = tempDir();
  const fifo = join(dir, 'rows');
  execFileSync('mkfifo', [fifo]);
  const rows = seedRows(30);
  const writer = createWriteStream(fifo);
  writer.end(`${rows.join('\n')}\n`);
  const result = await clerk.phone(['create', '--file', fifo]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(resultLines(result).filter((line) => line.status === 'created').length, 30);
  assert.equal(clerk.server.phoneNumbers().length, 30);
});

test('a batch whose reader went away (| head -n 1) stops starting rows instead of running to the end', async () => {
  const dir = tempDir();
  const file = join(dir, 'seed.jsonl');
  writeFileSync(file, `${seedRows(400).join('\n')}\n`);
  clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: Infinity, fault: { kind: 'delay', ms: 20 } });
  const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" create --file "${file}" | head -n 1`], {
      env: { PATH: process.env.PATH, HOME: dir, ...clerk.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  assert.equal(result.stdout.trim().split('\n').length, 1);
  assert.doesNotMatch(result.stderr, /MaxListenersExceeded|Error:.*at /);
  const posts = clerk.server.requests.filter((request) => request.method === 'POST').length;
  assert.ok(posts < 400, `it went on to send ${posts} creates for nobody`);
});

test('a secret key with a control character is refused before any request (exit 4), also in a batch', async () => {
  const single = await runCli(['get', 'idn_1'], { env: { CLERK_SECRET_KEY: 'sk_test_a\u0001b', CLERK_API_URL: clerk.server.url } });
  assert.equal(single.code, 4, single.stderr);
  assert.equal(errorJson(single).code, 'invalid_secret_key');
  const dir = tempDir();
  writeFileSync(join(dir, 'ids.txt'), 'idn_1\nidn_2\n');
  const batch = await runCli(['delete', '--file', join(dir, 'ids.txt'), '--yes'], {
    env: { CLERK_SECRET_KEY: 'sk_test_a\u0001b', CLERK_API_URL: clerk.server.url },
  });
  assert.equal(batch.code, 4, batch.stderr);
  assert.doesNotMatch(batch.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(clerk.server.requests.length, 0);
});

test('a create dropped after it was applied, whose lookup then fails too, says the number may exist', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'seed.jsonl'), `${seedRows(1)[0]}\n`);
  clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 1, fault: { kind: 'drop-after-commit' } });
  clerk.server.fault({ method: 'GET', path: '/v1/users', times: Infinity, fault: { kind: 'status', status: 500 } });
  const result = await clerk.phone(['create', '--file', join(dir, 'seed.jsonl'), '--retries', '0']);
  assert.equal(result.code, 1);
  const [line] = resultLines(result);
  assert.equal(line!.status, 'failed');
  assert.match(line!.error!.message, /may have been created/);
  assert.match(line!.error!.message, /lookup failed/);
});

test('a secret key of the wrong type in a config file is not echoed back', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, '.phonerc.json'), JSON.stringify({ secretKey: ['sk_live_do_not_print_me_0000'] }));
  const result = await runCli(['get', 'idn_1'], { cwd: dir });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /secretKey/);
  assert.doesNotMatch(result.stderr, /do_not_print_me/);
});

test('an API URL that is not a URL (a key pasted into the wrong variable) is not echoed back', async () => {
  const result = await runCli(['get', 'idn_1'], {
    env: { CLERK_SECRET_KEY: clerk.server.secretKey, CLERK_API_URL: 'sk_live_do_not_print_me_0000' },
  });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /CLERK_API_URL/);
  assert.doesNotMatch(result.stderr, /do_not_print_me/);
});

test('--live only applies with --file', async () => {
  const result = await clerk.phone(['delete', 'idn_1', '--yes', '--live']);
  assert.equal(result.code, 2);
  assert.match(errorJson(result).message, /--live only applies with --file/);
  assert.equal(clerk.server.requests.length, 0);
});
