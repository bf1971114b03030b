// `phone auth login | status | logout` (issue 15) with the config-file fallback, and the key every
// command reads from it. The OS credential store (a Secret Service) is tested in
// test/auth-keyring.test.ts. Black box: the built CLI against the fake Clerk server.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startFakeClerk, type FakeClerk } from './fake-clerk/server.ts';
import { instanceOf } from './fake-clerk/instance.ts';
import { assertOk, json, seedPhone, write } from './helpers/common.ts';
import { errorJson } from './helpers/results.ts';
import { authHome, phoneWithoutEnvKey } from './helpers/auth-home.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import type { RunOptions } from './helpers/run-cli.ts';
import { needsTty, runInTty } from './helpers/tty.ts';

const clerk = useFakeClerk();
const LIVE_KEY = 'sk_live_liveinstance0000000000000000000000000liv9';
let live: FakeClerk;
before(async () => {
  live = await startFakeClerk({ secretKey: LIVE_KEY });
});
after(() => live.close());

const home = () => authHome('phone-auth-home-');

const phone = phoneWithoutEnvKey(clerk);

const instanceRequests = (server: FakeClerk) => server.requests.filter((r) => r.method === 'GET' && r.path === '/v1/instance');
const modeOf = (path: string) => statSync(path).mode & 0o777;

/** A port nothing listens on: one the system gave out, then closed. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('phone auth login (config file fallback)', () => {
  test('--with-key-stdin checks the key with GET /v1/instance, then writes it and --api-url to a new config.yaml with mode 0600', async () => {
    const h = home();
    const result = await phone(['auth', 'login', '--with-key-stdin', '--api-url', clerk.server.url], {
      env: h.env,
      stdin: `${clerk.server.secretKey}\nnext line is not read\n`,
    });
    assertOk(result);
    const file = join(h.dir, 'config.yaml');
    const ins = instanceOf(clerk.server.secretKey);
    assert.equal(
      result.stdout,
      json({
        profile: null,
        key: 'sk_test_…abcd',
        instance: { id: ins.id, environment: 'development' },
        apiUrl: `${clerk.server.url}/v1`,
        storedIn: `${file} (secretKey)`,
      }),
    );
    assert.equal(
      result.stderr,
      `notice: no credential store to use (not used: PHONE_CREDENTIAL_STORE=file): the key was written to ${file}, readable only by you (mode 0600)\n`,
    );
    assert.equal(readFileSync(file, 'utf8'), `secretKey: ${clerk.server.secretKey}\napiUrl: ${clerk.server.url}\n`);
    assert.equal(modeOf(file), 0o600);
    const [request] = instanceRequests(clerk.server);
    assert.equal(request?.headers.authorization, `Bearer ${clerk.server.secretKey}`);

    // Every command reads it from there now.
    const { phone: seeded } = seedPhone(clerk.server);
    const got = await phone(['get', seeded.id], { env: h.env });
    assertOk(got);
    assert.equal(JSON.parse(got.stdout).id, seeded.id);
  });

  test('a profile: key and API URL under profiles.<name>, every other setting and profile of the file kept; the file becomes 0600', async () => {
    const h = home();
    const file = write(join(h.dir, 'config.yaml'), 'retries: 2\nprofiles:\n  other:\n    output: json\n');
    const { chmodSync } = await import('node:fs');
    chmodSync(file, 0o644);
    const result = await phone(['auth', 'login', '--profile', 'prod', '--with-key-stdin', '--api-url', live.url], {
      env: h.env,
      stdin: LIVE_KEY,
    });
    assertOk(result);
    assert.equal(JSON.parse(result.stdout).instance.environment, 'production');
    assert.equal(JSON.parse(result.stdout).storedIn, `${file} (profiles.prod.secretKey)`);
    assert.equal(
      readFileSync(file, 'utf8'),
      `retries: 2\nprofiles:\n  other:\n    output: json\n  prod:\n    secretKey: ${LIVE_KEY}\n    apiUrl: ${live.url}\n`,
    );
    assert.equal(modeOf(file), 0o600);
    const status = await phone(['--profile', 'prod', 'auth', 'status'], { env: h.env });
    assertOk(status);
    assert.equal(JSON.parse(status.stdout).source, `${file} (profiles.prod.secretKey)`);
    assert.equal(JSON.parse(status.stdout).sourceKind, 'profile of a file');
  });

  test('a JSON user config file stays JSON', async () => {
    const h = home();
    const file = write(join(h.dir, 'config.json'), { timeout: 5000 });
    assertOk(
      await phone(['auth', 'login', '--with-key-stdin'], {
        env: { ...h.env, CLERK_API_URL: clerk.server.url },
        stdin: clerk.server.secretKey,
      }),
    );
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { timeout: 5000, secretKey: clerk.server.secretKey });
    assert.equal(existsSync(join(h.dir, 'config.yaml')), false);
  });

  test('a refused key is not stored: exit 4, stdout empty', async () => {
    const h = home();
    const result = await phone(['auth', 'login', '--with-key-stdin', '--api-url', clerk.server.url], {
      env: h.env,
      stdin: 'sk_test_notthekey00000000000000000000000000wxyz\n',
    });
    assert.equal(result.code, 4, result.stderr);
    assert.equal(result.stdout, '');
    const error = errorJson(result);
    assert.equal(error.code, 'authentication_invalid');
    assert.match(error.message, /sk_test_…wxyz, a test key; nothing was stored/);
    assert.doesNotMatch(result.stderr, /notthekey/);
    assert.equal(existsSync(h.dir), false);
    assert.equal(instanceRequests(clerk.server).length, 1);
  });

  test('an API that cannot be reached: exit 5, nothing stored', async () => {
    const h = home();
    const url = `http://127.0.0.1:${await deadPort()}`;
    const result = await phone(['auth', 'login', '--with-key-stdin', '--api-url', url, '--retries', '0'], {
      env: h.env,
      stdin: clerk.server.secretKey,
    });
    assert.equal(result.code, 5, result.stderr);
    assert.equal(existsSync(h.dir), false);
  });

  test('no terminal and no --with-key-stdin: usage error, exit 2, no request; an empty line too', async () => {
    const h = home();
    const result = await phone(['auth', 'login', '--api-url', clerk.server.url], { env: h.env, stdin: clerk.server.secretKey });
    assert.equal(result.code, 2);
    assert.match(errorJson(result).message, /no terminal to ask for the key on: pipe it in with --with-key-stdin/);
    const empty = await phone(['auth', 'login', '--with-key-stdin', '--api-url', clerk.server.url], { env: h.env, stdin: '\n' });
    assert.equal(empty.code, 2);
    assert.match(errorJson(empty).message, /^no key entered/);
    const huge = await phone(['auth', 'login', '--with-key-stdin', '--api-url', clerk.server.url], {
      env: h.env,
      stdin: 'x'.repeat(10_000),
    });
    assert.equal(huge.code, 2);
    assert.equal(clerk.server.requests.length, 0);
    assert.equal(existsSync(h.dir), false);
  });

  test('on a terminal the key is asked for with input hidden: what was typed never shows', needsTty, async () => {
    const h = home();
    const result = await runInTty(['auth', 'login', '--api-url', clerk.server.url], {
      env: { ...h.env },
      waitFor: 'input is hidden): ',
      input: `${clerk.server.secretKey}\r`,
    });
    assert.equal(result.code, 0, result.output);
    assert.ok(!result.output.includes(clerk.server.secretKey), result.output);
    assert.ok(!result.output.includes('fakeclerk'), `no part of the key is echoed: ${result.output}`);
    assert.match(result.output, /Paste your secret key \(sk_test_… or sk_live_…; input is hidden\): \n/);
    assert.match(result.output, /Logged in to instance ins_\w+ \(development\) at http:\/\/127\.0\.0\.1:\d+\/v1 with sk_test_…abcd\./);
    assert.equal(readFileSync(join(h.dir, 'config.yaml'), 'utf8'), `secretKey: ${clerk.server.secretKey}\napiUrl: ${clerk.server.url}\n`);
  });
});

test('on a terminal: Backspace takes a character back; Ctrl-C at the prompt is exit 130 with nothing stored', needsTty, async () => {
  const h = home();
  const corrected = await runInTty(['auth', 'login', '--api-url', clerk.server.url], {
    env: { ...h.env },
    waitFor: 'input is hidden): ',
    input: `sk_typo\x7f\x7f\x7f\x7f\x7f\x7f\x7f${clerk.server.secretKey}\r`,
  });
  assert.equal(corrected.code, 0, corrected.output);
  assert.equal(readFileSync(join(h.dir, 'config.yaml'), 'utf8'), `secretKey: ${clerk.server.secretKey}\napiUrl: ${clerk.server.url}\n`);
  const other = home();
  const interrupted = await runInTty(['auth', 'login', '--api-url', clerk.server.url], {
    env: { ...other.env },
    waitFor: 'input is hidden): ',
    input: 'sk_test_half\x03',
  });
  assert.equal(interrupted.code, 130, interrupted.output);
  assert.ok(!interrupted.output.includes('sk_test_half'), interrupted.output);
  assert.equal(existsSync(other.dir), false);
});

describe('phone auth status', () => {
  const ins = () => instanceOf(clerk.server.secretKey);

  async function status(args: string[], options: RunOptions) {
    const result = await phone([...args, 'auth', 'status', '--json'], options);
    assertOk(result, args.join(' '));
    return JSON.parse(result.stdout);
  }

  test('every key source: --secret-key-file, environment, profile of a file, top level of a file', async () => {
    const h = home();
    const keyFile = write(join(h.path, 'key.txt'), `${clerk.server.secretKey}\n`);
    const fromFlag = await status(['--secret-key-file', keyFile, '--api-url', clerk.server.url], { env: h.env });
    assert.deepEqual(fromFlag, {
      profile: null,
      key: 'sk_test_…abcd',
      kind: 'test',
      source: `--secret-key-file ${keyFile}`,
      sourceKind: 'flag file',
      apiUrl: `${clerk.server.url}/v1`,
      instance: { id: ins().id, environment: 'development' },
      roundTripMs: fromFlag.roundTripMs,
    });
    assert.equal(typeof fromFlag.roundTripMs, 'number');
    const fromEnv = await status([], { env: { ...h.env, CLERK_SECRET_KEY: clerk.server.secretKey, CLERK_API_URL: clerk.server.url } });
    assert.equal(fromEnv.source, 'CLERK_SECRET_KEY');
    assert.equal(fromEnv.sourceKind, 'environment');
    const file = write(join(h.dir, 'config.yaml'), {
      secretKey: clerk.server.secretKey,
      apiUrl: clerk.server.url,
      profiles: { prod: { secretKey: LIVE_KEY, apiUrl: live.url } },
    });
    const top = await status([], { env: h.env });
    assert.equal(top.source, `${file} (secretKey)`);
    assert.equal(top.sourceKind, 'file');
    const prod = await status(['--profile', 'prod'], { env: h.env });
    assert.deepEqual(
      [prod.source, prod.sourceKind, prod.kind, prod.instance],
      [`${file} (profiles.prod.secretKey)`, 'profile of a file', 'live', { id: instanceOf(LIVE_KEY).id, environment: 'production' }],
    );
  });

  test('a table for a person', async () => {
    const result = await phone(['auth', 'status', '-o', 'table'], {
      env: { CLERK_SECRET_KEY: clerk.server.secretKey, CLERK_API_URL: clerk.server.url },
    });
    assertOk(result);
    const shown = result.stdout.replace(/round trip {2}\d+ ms/, 'round trip  N ms');
    assert.equal(
      shown,
      `profile     (none)\nkey         sk_test_…abcd (test)\nsource      CLERK_SECRET_KEY (environment)\n` +
        `API URL     ${clerk.server.url}/v1 (CLERK_API_URL)\ninstance    ${ins().id} (development)\nround trip  N ms\n`,
    );
  });

  test('no key: exit 4 naming the places looked at and phone auth login', async () => {
    const h = home();
    const result = await phone(['auth', 'status'], { env: { ...h.env, CLERK_API_URL: clerk.server.url } });
    assert.equal(result.code, 4);
    assert.equal(result.stdout, '');
    const error = errorJson(result);
    assert.equal(error.code, 'no_secret_key');
    assert.match(error.message, /the credential store \(not used: PHONE_CREDENTIAL_STORE=file\)/);
    assert.equal(clerk.server.requests.length, 0);
  });

  test('a refused key: exit 4, naming the key (redacted) and its source', async () => {
    const result = await phone(['auth', 'status', '-o', 'table'], {
      env: { CLERK_SECRET_KEY: 'sk_test_revoked00000000000000000000000000000zzzz', CLERK_API_URL: clerk.server.url },
    });
    assert.equal(result.code, 4);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /the key sent was sk_test_…zzzz from CLERK_SECRET_KEY/);
  });

  test('an API that cannot be reached: exit 5', async () => {
    const url = `http://127.0.0.1:${await deadPort()}`;
    const result = await phone(['auth', 'status', '--retries', '0'], {
      env: { CLERK_SECRET_KEY: clerk.server.secretKey, CLERK_API_URL: url },
    });
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, '');
  });
});

describe('phone auth logout', () => {
  test('takes the key out of the config file, every other setting left as it was; again: exit 0 with a notice', async () => {
    const h = home();
    const file = write(
      join(h.dir, 'config.yaml'),
      `retries: 2\nsecretKey: ${clerk.server.secretKey}\nprofiles:\n  prod:\n    secretKey: ${LIVE_KEY}\n`,
    );
    const first = await phone(['auth', 'logout'], { env: h.env });
    assertOk(first);
    assert.equal(first.stdout, json({ profile: null, removedFrom: [`${file} (secretKey)`] }));
    assert.equal(first.stderr, '');
    assert.equal(readFileSync(file, 'utf8'), `retries: 2\nprofiles:\n  prod:\n    secretKey: ${LIVE_KEY}\n`);
    assert.equal(modeOf(file), 0o600);

    const again = await phone(['auth', 'logout', '-o', 'table'], { env: h.env });
    assertOk(again);
    assert.equal(again.stdout, '');
    assert.equal(
      again.stderr,
      `notice: the default key is not stored in ${file}: nothing to remove (the credential store was not looked at: not used: PHONE_CREDENTIAL_STORE=file)\n`,
    );

    const prod = await phone(['auth', 'logout', '--profile', 'prod', '-o', 'table'], { env: h.env });
    assertOk(prod);
    assert.equal(prod.stdout, `Removed the key of profile "prod" from ${file} (profiles.prod.secretKey).\n`);
    assert.equal(readFileSync(file, 'utf8'), `retries: 2\nprofiles:\n  prod: {}\n`);
  });

  test('no config file at all: exit 0 with a notice, no file made', async () => {
    const h = home();
    const result = await phone(['auth', 'logout'], { env: h.env });
    assertOk(result);
    assert.match(
      result.stderr,
      /^notice: the default key is not stored in .*config\.yaml: nothing to remove \(the credential store was not looked at: .*\)\n$/,
    );
    assert.equal(existsSync(h.dir), false);
  });
});

test('--secret-key stays unknown, with a hint at phone auth login and --secret-key-file; the key is not shown', async () => {
  const key = 'sk_live_typedonthecommandline000000000000000abcd';
  for (const args of [
    ['get', 'idn_1', '--secret-key', key],
    ['get', 'idn_1', `--secret-key=${key}`],
  ]) {
    const result = await phone(args, { env: {} });
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.doesNotMatch(result.stderr, /typedonthecommandline/);
    const error = errorJson(result);
    assert.match(error.message, /^unknown option '--secret-key(=sk_live_…abcd)?' \(phone never takes a key on the command line/);
    assert.match(error.message, /run 'phone auth login' to store it, or pass --secret-key-file <path>/);
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('the credential store module is loaded only when no key ranked above the stored one is found', async () => {
  const h = home();
  // A D-Bus address that leads nowhere: the store is tried (its module loaded), then found missing.
  const env = { ...h.env, PHONE_CREDENTIAL_STORE: undefined, NODE_DEBUG: 'module', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' };
  const { phone: seeded } = seedPhone(clerk.server);
  const loads = (stderr: string) => /Module\._load REQUEST @napi-rs\/keyring/.test(stderr);
  const withKey = await phone(['get', seeded.id], {
    env: { ...env, CLERK_SECRET_KEY: clerk.server.secretKey, CLERK_API_URL: clerk.server.url },
  });
  assertOk(withKey);
  assert.equal(loads(withKey.stderr), false, 'CLERK_SECRET_KEY set: not loaded');
  const help = await phone(['--help'], { env });
  assert.equal(loads(help.stderr), false, '--help: not loaded');
  const withoutKey = await phone(['get', seeded.id], { env: { ...env, CLERK_API_URL: clerk.server.url } });
  assert.equal(withoutKey.code, 4);
  assert.equal(loads(withoutKey.stderr), true, 'no key elsewhere: the store is asked');
});
