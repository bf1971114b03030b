// `phone auth` as a hostile or careless user drives it (issue 15 review): a key typed into a
// terminal with --with-key-stdin, profile names a config file cannot hold, a user config folder
// with a comments-only `config`, a config.yaml that is a symbolic link, a key in the environment
// that outranks the one stored, JSON Lines output. Config-file fallback only (PHONE_CREDENTIAL_STORE=file).
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { assertOk, jsonl, write } from './helpers/common.ts';
import { errorJson } from './helpers/results.ts';
import { authHome, phoneWithoutEnvKey } from './helpers/auth-home.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import type { RunOptions } from './helpers/run-cli.ts';
import { needsTty, runInTty, stripAnsi } from './helpers/tty.ts';

const clerk = useFakeClerk();

const home = () => authHome('phone-auth-hostile-');

const phone = phoneWithoutEnvKey(clerk);

const login = (h: ReturnType<typeof home>, args: string[] = [], options: RunOptions = {}) =>
  phone(['auth', 'login', '--with-key-stdin', '--api-url', clerk.server.url, ...args], {
    stdin: `${clerk.server.secretKey}\n`,
    ...options,
    env: { ...h.env, ...options.env },
  });

const NOTICE = (file: string) =>
  `notice: no credential store to use (not used: PHONE_CREDENTIAL_STORE=file): the key was written to ${file}, readable only by you (mode 0600)\n`;

test('--with-key-stdin with a terminal on stdin: the key typed there is not echoed either', needsTty, async () => {
  const h = home();
  const result = await runInTty(['auth', 'login', '--with-key-stdin', '--api-url', clerk.server.url], {
    env: { ...h.env },
    waitFor: 'input is hidden): ',
    input: `${clerk.server.secretKey}\r`,
  });
  assert.equal(result.code, 0, result.output);
  assert.ok(!result.output.includes('fakeclerk'), `no part of the key is echoed: ${result.output}`);
  assert.equal(readFileSync(join(h.dir, 'config.yaml'), 'utf8'), `secretKey: ${clerk.server.secretKey}\napiUrl: ${clerk.server.url}\n`);
});

test('CI set on a terminal: login does not ask, and the error says why (not that there is no terminal)', needsTty, async () => {
  const h = home();
  const result = await runInTty(['auth', 'login', '--api-url', clerk.server.url], { env: { ...h.env, CI: 'true' } });
  assert.equal(result.code, 2, result.output);
  assert.match(stripAnsi(result.output), /Error: CI="true" says no one is there to ask: pipe it in with --with-key-stdin/);
  assert.doesNotMatch(result.output, /input is hidden/);
  assert.equal(clerk.server.requests.length, 0);
});

test('login refuses a profile name that would make the config file unreadable, or that no message can show: exit 2, nothing sent or written', async () => {
  const h = home();
  const names: [string, RegExp][] = [
    ['__proto__', /names a member of JavaScript objects/],
    ['constructor', /names a member of JavaScript objects/],
    ['toString', /names a member of JavaScript objects/],
    ['', /is blank/],
    ['  ', /is blank/],
    ['x\x1b[31m', /has control characters/],
    ['p'.repeat(65), /is longer than 64 characters/],
  ];
  for (const [name, why] of names) {
    const result = await login(h, ['--profile', name]);
    assert.equal(result.code, 2, `${JSON.stringify(name)}: ${result.stderr}`);
    assert.match(errorJson(result).message, why);
    assert.ok(!result.stderr.includes('\x1b'), 'the name is escaped');
  }
  assert.equal(clerk.server.requests.length, 0);
  assert.equal(existsSync(h.dir), false);
  // Names a file can hold still work, and every command finds them afterwards.
  for (const name of ['../x', 'a b', 'a.b', 'p'.repeat(64)]) {
    assertOk(await login(h, ['--profile', name]), name);
    assertOk(await phone(['--profile', name, 'auth', 'status'], { env: h.env }), name);
  }
});

test('a refused key that the server repeats in its error is not shown, Clerk-shaped or not (nor with --debug)', async () => {
  const h = home();
  const typed = 'hunter2-not-a-clerk-key-0000';
  const message = `The key ${typed} is not valid`;
  const body = { errors: [{ code: 'authentication_invalid', message, long_message: message }] };
  for (const args of [
    ['-o', 'json'],
    ['-o', 'table', '--debug'],
  ]) {
    clerk.server.fault({ method: 'GET', path: '/v1/instance', times: 1, fault: { kind: 'status', status: 401, body } });
    const result = await login(h, args, { stdin: `${typed}\n` });
    assert.equal(result.code, 4, result.stderr);
    assert.equal(result.stdout, '');
    assert.ok(!result.stderr.includes('hunter2'), result.stderr);
    assert.match(result.stderr, /The key …0000 is not valid/);
    assert.match(result.stderr, /the key entered was …0000, not shaped like a Clerk secret key; nothing was stored/);
  }
  assert.equal(existsSync(h.dir), false);
});

test('login with --secret-key-file: exit 2 pointing at --with-key-stdin, nothing sent', async () => {
  const h = home();
  const keyFile = write(join(h.path, 'key.txt'), clerk.server.secretKey);
  const result = await login(h, ['--secret-key-file', keyFile], { stdin: '' });
  assert.equal(result.code, 2);
  assert.match(
    errorJson(result).message,
    /^phone auth login reads the key from the terminal or stdin, not --secret-key-file \(phone auth login --with-key-stdin < <path>\)/,
  );
  // The usage line is the issue's, as --help shows it.
  assert.match(
    errorJson(result).message,
    / \(usage: phone auth login \[--profile <name>\] \[--api-url <url>\] \[--with-key-stdin\] \[options\]\)$/,
  );
  assert.equal(clerk.server.requests.length, 0);
});

describe('the user config file login writes', () => {
  test('the file every command reads: a `config` of comments only is passed over for config.yaml, whose comments are said to be gone', async () => {
    const h = home();
    const comments = write(join(h.dir, 'config'), '# my settings are in config.yaml\n');
    const file = write(join(h.dir, 'config.yaml'), '# retries for the slow VPN\nretries: 7\n');
    const result = await login(h);
    assertOk(result);
    assert.equal(result.stderr, `${NOTICE(file)}notice: ${file} was rewritten without its comments (YAML comments are not kept)\n`);
    assert.equal(readFileSync(comments, 'utf8'), '# my settings are in config.yaml\n');
    assert.equal(readFileSync(file, 'utf8'), `retries: 7\nsecretKey: ${clerk.server.secretKey}\napiUrl: ${clerk.server.url}\n`);
    const config = await phone(['config'], { env: h.env });
    assertOk(config);
    assert.deepEqual(JSON.parse(config.stdout).retries, { value: 7, source: `${file} (retries)` });
    assert.deepEqual(JSON.parse(config.stdout).secretKey, { value: 'sk_test_…abcd', source: `${file} (secretKey)` });
  });

  test('a config.yaml that is a symbolic link: the key is not written through it (exit 2); --config <the file itself> writes it there', async () => {
    const h = home();
    const target = write(join(h.path, 'dotfiles', 'phone.yaml'), 'retries: 2\n');
    const link = join(h.dir, 'config.yaml');
    mkdirSync(h.dir, { recursive: true });
    symlinkSync(target, link);
    const result = await login(h);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    const error = errorJson(result);
    assert.equal(error.code, 'bad_config');
    assert.match(error.message, /config\.yaml: is a symbolic link \(to ".*phone\.yaml"\), and a secret key is not written through one/);
    assert.equal(readFileSync(target, 'utf8'), 'retries: 2\n');
    assert.ok(lstatSync(link).isSymbolicLink());
    assertOk(await login(h, ['--config', target]));
    assert.equal(readFileSync(target, 'utf8'), `retries: 2\nsecretKey: ${clerk.server.secretKey}\napiUrl: ${clerk.server.url}\n`);
    // Taking the key out through the link is fine: it leaves nothing behind.
    const logout = await phone(['auth', 'logout'], { env: h.env });
    assertOk(logout);
    assert.equal(readFileSync(target, 'utf8'), `retries: 2\napiUrl: ${clerk.server.url}\n`);
    assert.ok(lstatSync(link).isSymbolicLink());
  });
});

test('a key in the environment that outranks the one stored: login says commands will not use it', async () => {
  const h = home();
  const result = await login(h, [], { env: { CLERK_SECRET_KEY: 'sk_test_leftover000000000000000000000000000zzzz' } });
  assertOk(result);
  assert.equal(
    result.stderr,
    `${NOTICE(join(h.dir, 'config.yaml'))}notice: commands run here will not use it: they use sk_test_…zzzz from CLERK_SECRET_KEY, which ranks above it\n`,
  );
  assert.doesNotMatch(result.stderr, /leftover/);
});

test('-o jsonl: login, status and logout each write one line', async () => {
  const h = home();
  const file = join(h.dir, 'config.yaml');
  const logged = await login(h, ['-o', 'jsonl']);
  assertOk(logged);
  assert.equal(logged.stdout.split('\n').length, 2, logged.stdout);
  assert.equal(JSON.parse(logged.stdout).storedIn, `${file} (secretKey)`);
  const status = await phone(['auth', 'status', '-o', 'jsonl'], { env: h.env });
  assertOk(status);
  assert.equal(status.stdout.split('\n').length, 2, status.stdout);
  assert.equal(JSON.parse(status.stdout).sourceKind, 'file');
  const logout = await phone(['auth', 'logout', '-o', 'jsonl'], { env: h.env });
  assertOk(logout);
  assert.equal(logout.stdout, jsonl([{ profile: null, removedFrom: [`${file} (secretKey)`] }]));
});
