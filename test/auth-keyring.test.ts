// `phone auth` with the OS credential store: a Secret Service (gnome-keyring) on a private D-Bus
// session bus, started for this file in a private HOME, unlocked with a password on stdin. Skipped
// with the reason where dbus-daemon, dbus-send or gnome-keyring-daemon are missing (required in CI).
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { instanceOf } from './fake-clerk/instance.ts';
import { assertOk, json, seedPhone, write } from './helpers/common.ts';
import { errorJson, parseErrorLine } from './helpers/results.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { needs } from './helpers/programs.ts';
import { tempDir, type RunOptions } from './helpers/run-cli.ts';

const clerk = useFakeClerk();
const requirement = needs('dbus-daemon', 'dbus-send', 'gnome-keyring-daemon');

describe('phone auth with a Secret Service', requirement, () => {
  const home = tempDir('phone-keyring-home-');
  const dir = join(home, '.config', 'phone');
  const runtime = join(home, 'run');
  const daemons: ChildProcess[] = [];
  let env: Record<string, string>;

  before(async () => {
    mkdirSync(runtime, { mode: 0o700 });
    const base = { PATH: process.env.PATH ?? '', HOME: home, XDG_DATA_HOME: join(home, '.local', 'share'), XDG_RUNTIME_DIR: runtime };
    const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { env: base, stdio: ['ignore', 'pipe', 'ignore'] });
    daemons.push(bus);
    const address = await new Promise<string>((resolve, reject) => {
      let out = '';
      bus.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      bus.on('error', reject);
      bus.on('exit', (code) => reject(new Error(`dbus-daemon ended (${code})`)));
    });
    env = { ...base, DBUS_SESSION_BUS_ADDRESS: address, XDG_CONFIG_HOME: join(home, '.config') };
    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      env,
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    daemons.push(keyring);
    keyring.stdin!.end('test-password');
    const hasOwner = () =>
      spawnSync(
        'dbus-send',
        [
          '--session',
          '--print-reply',
          '--dest=org.freedesktop.DBus',
          '/',
          'org.freedesktop.DBus.NameHasOwner',
          'string:org.freedesktop.secrets',
        ],
        { env, encoding: 'utf8' },
      ).stdout.includes('boolean true');
    for (let tries = 0; !hasOwner(); tries++) {
      if (tries > 100) throw new Error('gnome-keyring-daemon did not take org.freedesktop.secrets within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  after(() => {
    for (const daemon of daemons.reverse()) daemon.kill();
  });

  function phone(args: string[], options: RunOptions = {}) {
    return clerk.phone(args, { ...options, env: { ...env, CLERK_SECRET_KEY: undefined, CLERK_API_URL: undefined, ...options.env } });
  }

  test('login stores the key in the Secret Service, not in a file; status, config and every command read it; logout removes it', async () => {
    const key = clerk.server.secretKey;
    const login = await phone(['auth', 'login', '--with-key-stdin', '--api-url', clerk.server.url], { stdin: `${key}\n` });
    assertOk(login);
    assert.equal(login.stderr, '');
    const ins = instanceOf(key);
    assert.equal(
      login.stdout,
      json({
        profile: null,
        key: 'sk_test_…abcd',
        instance: { id: ins.id, environment: 'development' },
        apiUrl: `${clerk.server.url}/v1`,
        storedIn: 'credential store (phone/default)',
      }),
    );
    // --api-url went to the user file; the key did not.
    const file = join(dir, 'config.yaml');
    assert.equal(readFileSync(file, 'utf8'), `apiUrl: ${clerk.server.url}\n`);
    // gnome-keyring keeps it on disk (a keyring file), unlike the kernel keyring.
    assert.ok(existsSync(join(home, '.local', 'share', 'keyrings', 'login.keyring')));

    const status = await phone(['auth', 'status']);
    assertOk(status);
    assert.equal(JSON.parse(status.stdout).source, 'credential store (phone/default)');
    assert.equal(JSON.parse(status.stdout).sourceKind, 'credential store');
    const config = await phone(['config']);
    assert.deepEqual(JSON.parse(config.stdout).secretKey, { value: 'sk_test_…abcd', source: 'credential store (phone/default)' });
    const { phone: seeded } = seedPhone(clerk.server);
    const got = await phone(['get', seeded.id]);
    assertOk(got);
    assert.equal(clerk.server.requests.at(-1)?.headers.authorization, `Bearer ${key}`);

    // CLERK_SECRET_KEY beats the default stored key.
    const fromEnv = await phone(['auth', 'status'], { env: { CLERK_SECRET_KEY: 'sk_test_other0000000000000000000000000000000qqqq' } });
    assert.equal(fromEnv.code, 4);
    assert.match(errorJson(fromEnv).message, /sk_test_…qqqq from CLERK_SECRET_KEY/);

    const logout = await phone(['auth', 'logout']);
    assertOk(logout);
    assert.equal(logout.stdout, json({ profile: null, removedFrom: ['credential store (phone/default)'] }));
    assert.equal(readFileSync(file, 'utf8'), `apiUrl: ${clerk.server.url}\n`);
    const gone = await phone(['auth', 'status']);
    assert.equal(gone.code, 4);
    assert.match(errorJson(gone).message, /credential store \(phone\/default\) \(no key\)/);
    const again = await phone(['auth', 'logout']);
    assertOk(again);
    assert.match(
      again.stderr,
      /^notice: the default key is not stored in credential store \(phone\/default\) or .*config\.yaml: nothing to remove\n$/,
    );
  });

  test('a profile only the credential store knows: --profile finds it, and beats CLERK_SECRET_KEY; a key left in the file is moved out', async () => {
    const file = write(
      join(dir, 'config.yaml'),
      `retries: 1\nprofiles:\n  dev:\n    secretKey: sk_test_stale000000000000000000000000000000000old\n`,
    );
    const login = await phone(['auth', 'login', '--profile', 'dev', '--with-key-stdin'], {
      stdin: clerk.server.secretKey,
      env: { CLERK_API_URL: clerk.server.url },
    });
    assertOk(login);
    assert.equal(JSON.parse(login.stdout).storedIn, 'credential store (phone/profiles.dev)');
    assert.equal(login.stderr, `notice: removed the key that ${file} (profiles.dev.secretKey) held: the credential store has it now\n`);
    assert.equal(readFileSync(file, 'utf8'), 'retries: 1\nprofiles:\n  dev: {}\n');
    const status = await phone(['--profile', 'dev', 'auth', 'status'], {
      env: { CLERK_API_URL: clerk.server.url, CLERK_SECRET_KEY: 'sk_test_envkey0000000000000000000000000000000eeee' },
    });
    assertOk(status);
    assert.equal(JSON.parse(status.stdout).source, 'credential store (phone/profiles.dev)');
    assertOk(await phone(['auth', 'logout', '--profile', 'dev']));
    const unknown = await phone(['--profile', 'nowhere', 'auth', 'status']);
    assert.equal(unknown.code, 2);
    assert.match(
      errorJson(unknown).message,
      /unknown profile "nowhere": .* and credential store \(phone\/profiles\.nowhere\) \(no key\) has no key of that name/,
    );
  });

  test('PHONE_CREDENTIAL_STORE=file keeps login away from the store', async () => {
    const login = await phone(['auth', 'login', '--profile', 'ci', '--with-key-stdin', '--api-url', clerk.server.url], {
      stdin: clerk.server.secretKey,
      env: { PHONE_CREDENTIAL_STORE: 'file' },
    });
    assertOk(login);
    assert.equal(JSON.parse(login.stdout).storedIn, `${join(dir, 'config.yaml')} (profiles.ci.secretKey)`);
    assertOk(await phone(['auth', 'logout', '--profile', 'ci']));
  });

  // Last: the collection stays locked. Login falls back to the file when the store refuses a key;
  // logout must take it out of the file even then, and still say the store failed.
  test('a locked store: logout removes the key from the file all the same, then exits 1 saying the store failed', async () => {
    assertOk(await phone(['auth', 'login', '--with-key-stdin', '--api-url', clerk.server.url], { stdin: clerk.server.secretKey }));
    const file = write(join(dir, 'config.yaml'), `retries: 1\nsecretKey: ${clerk.server.secretKey}\n`);
    const lock = spawnSync(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        '--dest=org.freedesktop.secrets',
        '/org/freedesktop/secrets',
        'org.freedesktop.Secret.Service.Lock',
        'array:objpath:/org/freedesktop/secrets/collection/login',
      ],
      { env, encoding: 'utf8' },
    );
    assert.equal(lock.status, 0, lock.stderr);
    const logout = await phone(['auth', 'logout']);
    assert.equal(logout.code, 1, logout.stderr);
    assert.equal(logout.stdout, '');
    assert.equal(readFileSync(file, 'utf8'), 'retries: 1\n');
    const [notice, error] = logout.stderr.split('\n');
    assert.equal(notice, `notice: removed the default key from ${file} (secretKey)`);
    assert.equal(parseErrorLine(error!).code, 'credential_store_failed');
  });
});
