import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, test } from 'node:test';
import { assertOk, seedPhone, write } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { tempDir } from './helpers/run-cli.ts';
import { needsTty, runInTty } from './helpers/tty.ts';

const clerk = useFakeClerk();

/** Neither key nor URL from the environment: only what a test gives. */
const NO_ENV = { CLERK_SECRET_KEY: undefined, CLERK_API_URL: undefined };
const BAD_KEY_ENV = 'sk_test_fromenvironment_0000000000000000_env1';
const BAD_KEY_CONFIG = 'sk_test_fromconfigfile_0000000000000000_cfg1';
const BAD_KEY_FILE = 'sk_test_fromkeyfile_000000000000000000_file';

/** A loopback URL where nothing listens: a request sent there fails with exit 5 and never reaches the fake. */
let deadUrl = '';

/**
 * A preload for the CLI that logs every DNS lookup and fails all but localhost, so a test can
 * show which host the CLI tried to reach without anything leaving this machine.
 */
let dnsHook = '';

before(async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as { port: number };
      probe.close(() => resolve(free));
    });
  });
  deadUrl = `http://127.0.0.1:${port}`;
  const dir = tempDir('phone-dns-hook-');
  dnsHook = join(dir, 'dns-hook.mjs');
  writeFileSync(
    dnsHook,
    `import dns from 'node:dns';
import fs from 'node:fs';
const original = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  if (typeof options === 'function') { callback = options; options = {}; }
  fs.appendFileSync(process.env.PHONE_TEST_DNS_LOG, hostname + '\\n');
  if (hostname === 'localhost') return original.call(this, hostname, options, callback);
  const error = Object.assign(new Error('getaddrinfo ENOTFOUND ' + hostname), { code: 'ENOTFOUND', hostname, syscall: 'getaddrinfo' });
  process.nextTick(callback, error);
};
`,
  );
});

function good() {
  return { secretKey: clerk.server.secretKey, apiUrl: clerk.server.url };
}

function yamlOf(settings: Record<string, unknown>): string {
  return Object.entries(settings)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`)
    .join('\n')
    .concat('\n');
}

function assertAuthorization(key: string): void {
  assert.ok(clerk.server.requests.length > 0, 'a request reached the server');
  for (const request of clerk.server.requests) assert.equal(request.headers.authorization, `Bearer ${key}`);
}

/** A JavaScript file that leaves a marker when anything executes it, as CommonJS, ESM or TypeScript. */
function codeThatMarks(marker: string): string {
  return `(globalThis.process.getBuiltinModule ? process.getBuiltinModule('node:fs') : require('node:fs')).writeFileSync(${JSON.stringify(marker)}, 'executed');
module.exports = { secretKey: 'sk_test_fromjavascript' };
`;
}

// ---------------------------------------------------------------- where the key comes from

test('--secret-key-file beats CLERK_SECRET_KEY and the config file', async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  write(join(cwd, '.phonerc.json'), { secretKey: BAD_KEY_CONFIG });
  const keyFile = write(join(cwd, 'key.txt'), `${clerk.server.secretKey}\n`);
  const result = await clerk.inProcess(['get', phone.id, '--secret-key-file', keyFile], { cwd, env: { CLERK_SECRET_KEY: BAD_KEY_ENV } });
  assertOk(result);
  assertAuthorization(clerk.server.secretKey);

  clerk.server.requests.length = 0;
  write(join(cwd, '.phonerc.json'), { secretKey: clerk.server.secretKey });
  const badFile = write(join(cwd, 'bad-key.txt'), BAD_KEY_FILE);
  const refused = await clerk.inProcess(['get', phone.id, '--secret-key-file', badFile], { cwd });
  assert.equal(refused.code, 4, refused.stderr);
  assertAuthorization(BAD_KEY_FILE);
});

test('CLERK_SECRET_KEY beats the config file', async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  write(join(cwd, '.phonerc.json'), { secretKey: BAD_KEY_CONFIG });
  assertOk(await clerk.inProcess(['get', phone.id], { cwd }));
  assertAuthorization(clerk.server.secretKey);

  clerk.server.requests.length = 0;
  write(join(cwd, '.phonerc.json'), { secretKey: clerk.server.secretKey });
  const refused = await clerk.inProcess(['get', phone.id], { cwd, env: { CLERK_SECRET_KEY: BAD_KEY_ENV } });
  assert.equal(refused.code, 4, refused.stderr);
  assertAuthorization(BAD_KEY_ENV);
});

test('secretKey from the config file is used when nothing else gives one', async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  write(join(cwd, '.phonerc.json'), { secretKey: clerk.server.secretKey });
  assertOk(await clerk.inProcess(['get', phone.id], { cwd, env: { CLERK_SECRET_KEY: undefined } }));
  assertAuthorization(clerk.server.secretKey);
});

test('surrounding whitespace of the key is trimmed (key file, environment, config)', async () => {
  const { phone } = seedPhone(clerk.server);
  const key = clerk.server.secretKey;
  const cwd = tempDir();
  for (const content of [`${key}\n`, `  ${key}  \n\n`, `\n\t${key}\r\n`]) {
    clerk.server.requests.length = 0;
    const keyFile = write(join(cwd, 'key.txt'), content);
    assertOk(
      await clerk.inProcess(['get', phone.id, '--secret-key-file', keyFile], { cwd, env: { CLERK_SECRET_KEY: undefined } }),
      JSON.stringify(content),
    );
    assertAuthorization(key);
  }
  clerk.server.requests.length = 0;
  assertOk(await clerk.inProcess(['get', phone.id], { env: { CLERK_SECRET_KEY: ` ${key}\n` } }), 'environment');
  assertAuthorization(key);
  clerk.server.requests.length = 0;
  const configDir = tempDir();
  write(join(configDir, '.phonerc.json'), { secretKey: `${key}\n` });
  assertOk(await clerk.inProcess(['get', phone.id], { cwd: configDir, env: { CLERK_SECRET_KEY: undefined } }), 'config');
  assertAuthorization(key);
});

test('a --secret-key-file that cannot be read is an error before any request', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.inProcess(['get', phone.id, '--secret-key-file', join(tempDir(), 'missing.txt')]);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.ok(result.stderr.includes('missing.txt'), result.stderr);
  assert.equal(clerk.server.requests.length, 0);
});

test('no key anywhere: exit 4 before any request, naming the config file that was read', async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  const file = write(join(cwd, '.phonerc.yaml'), yamlOf({ apiUrl: clerk.server.url, retries: 0 }));
  for (const format of [[], ['-o', 'table']]) {
    const result = await clerk.inProcess(['get', phone.id, ...format], { cwd, env: NO_ENV });
    assert.equal(result.code, 4, result.stderr);
    assert.equal(result.stdout, '');
    assert.ok(result.stderr.includes('CLERK_SECRET_KEY'), result.stderr);
    assert.ok(result.stderr.includes(file), `names ${file}: ${result.stderr}`);
  }
  assert.equal(clerk.server.requests.length, 0);
});

// ---------------------------------------------------------------- where the API is

test('--api-url beats CLERK_API_URL and the config file', async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  write(join(cwd, '.phonerc.json'), { apiUrl: deadUrl });
  assertOk(
    await clerk.inProcess(['get', phone.id, '--api-url', clerk.server.url, '--retries', '0'], { cwd, env: { CLERK_API_URL: deadUrl } }),
  );
  assert.equal(clerk.server.requests.length, 1);

  clerk.server.requests.length = 0;
  write(join(cwd, '.phonerc.json'), { apiUrl: clerk.server.url });
  const result = await clerk.inProcess(['get', phone.id, '--api-url', deadUrl, '--retries', '0'], { cwd });
  assert.equal(result.code, 5, result.stderr);
  assert.equal(clerk.server.requests.length, 0);
});

test('CLERK_API_URL beats the config file', async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  write(join(cwd, '.phonerc.json'), { apiUrl: deadUrl });
  assertOk(await clerk.inProcess(['get', phone.id, '--retries', '0'], { cwd }));
  assert.equal(clerk.server.requests.length, 1);

  clerk.server.requests.length = 0;
  write(join(cwd, '.phonerc.json'), { apiUrl: clerk.server.url });
  const result = await clerk.inProcess(['get', phone.id, '--retries', '0'], { cwd, env: { CLERK_API_URL: deadUrl } });
  assert.equal(result.code, 5, result.stderr);
  assert.equal(clerk.server.requests.length, 0);
});

test('apiUrl from the config file is used when nothing else gives one', async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  write(join(cwd, '.phonerc.json'), { apiUrl: clerk.server.url });
  assertOk(await clerk.inProcess(['get', phone.id], { cwd, env: { CLERK_API_URL: undefined } }));
  assert.equal(clerk.server.requests.length, 1);
});

test('the default API is https://api.clerk.com/v1', async () => {
  const cwd = tempDir();
  const log = join(cwd, 'dns.log');
  const result = await clerk.phone(['get', 'idn_1', '--retries', '0', '--debug'], {
    cwd,
    env: { CLERK_API_URL: undefined, NODE_OPTIONS: `--import=${pathToFileURL(dnsHook).href}`, PHONE_TEST_DNS_LOG: log },
  });
  assert.equal(result.code, 5, `the lookup fails here: ${result.stderr}`);
  const looked = readFileSync(log, 'utf8').trim().split('\n');
  assert.ok(looked.length > 0 && looked.every((host) => host === 'api.clerk.com'), `hosts looked up: ${looked.join(', ')}`);
  assert.ok(result.stderr.includes('https://api.clerk.com/v1/phone_numbers/idn_1'), result.stderr);
  assert.equal(clerk.server.requests.length, 0);
});

test('/v1 is appended to the API URL unless it is already there', async () => {
  const { phone } = seedPhone(clerk.server);
  for (const url of [clerk.server.url, `${clerk.server.url}/`, `${clerk.server.url}/v1`, `${clerk.server.url}/v1/`]) {
    for (const source of ['flag', 'env', 'config'] as const) {
      clerk.server.requests.length = 0;
      const cwd = tempDir();
      if (source === 'config') write(join(cwd, '.phonerc.json'), { apiUrl: url });
      const result = await clerk.inProcess(source === 'flag' ? ['get', phone.id, '--api-url', url] : ['get', phone.id], {
        cwd,
        env: { CLERK_API_URL: source === 'env' ? url : undefined },
      });
      assertOk(result, `${source} ${url}`);
      assert.deepEqual(
        clerk.server.requests.map((r) => r.url),
        [`/v1/phone_numbers/${phone.id}`],
        `${source} ${url}`,
      );
    }
  }
});

test('an API URL with a path prefix keeps it and gets /v1 after it', async () => {
  clerk.server.requests.length = 0;
  const result = await clerk.inProcess(['get', 'idn_1', '--api-url', `${clerk.server.url}/proxy/clerk`]);
  assert.equal(result.code, 3, result.stderr);
  assert.deepEqual(
    clerk.server.requests.map((r) => r.url),
    ['/proxy/clerk/v1/phone_numbers/idn_1'],
  );
});

test('http:// to a host that is not loopback is refused with exit 2 before any connection', async () => {
  const { phone } = seedPhone(clerk.server);
  const urls = [
    'http://example.com',
    'http://example.com/v1',
    'http://127.0.0.1.example.com',
    'http://localhost.example.com:8080',
    'http://10.255.255.1:8080',
  ];
  for (const url of urls) {
    for (const source of ['flag', 'env', 'config'] as const) {
      const cwd = tempDir();
      const log = join(cwd, 'dns.log');
      if (source === 'config') write(join(cwd, '.phonerc.yaml'), yamlOf({ apiUrl: url }));
      const args = source === 'flag' ? ['get', phone.id, '--api-url', url] : ['get', phone.id];
      const result = await clerk.phone([...args, '--retries', '0', '--timeout', '3000'], {
        cwd,
        env: {
          CLERK_API_URL: source === 'env' ? url : undefined,
          NODE_OPTIONS: `--import=${pathToFileURL(dnsHook).href}`,
          PHONE_TEST_DNS_LOG: log,
        },
      });
      const label = `${source} ${url}`;
      assert.equal(result.code, 2, `${label}: ${result.stderr}`);
      assert.equal(result.stdout, '', label);
      assert.match(result.stderr, /http/, label);
      assert.ok(!existsSync(log), `${label}: no DNS lookup (${existsSync(log) ? readFileSync(log, 'utf8') : ''})`);
    }
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('http:// to localhost, 127.0.0.0/8 and ::1 is accepted', async () => {
  const { phone } = seedPhone(clerk.server);
  const local = await clerk.inProcess(['get', phone.id, '--api-url', `http://localhost:${clerk.server.port}`]);
  assertOk(local, 'localhost');
  assert.equal(clerk.server.requests.length, 1);
  // Nothing listens on ::1 here: the request is attempted (network error, 5), not refused as usage (2).
  for (const host of ['[::1]', '127.1.2.3']) {
    const attempted = await clerk.inProcess(['get', phone.id, '--retries', '0', '--api-url', `http://${host}:${new URL(deadUrl).port}`]);
    assert.equal(attempted.code, 5, `${host}: ${attempted.stderr}`);
  }
});

// ---------------------------------------------------------------- config files

const PROJECT_FILES: [string, (settings: Record<string, unknown>) => string][] = [
  ['.phonerc', yamlOf],
  ['.phonerc.json', (s) => JSON.stringify(s)],
  ['.phonerc.yaml', yamlOf],
  ['.phonerc.yml', yamlOf],
  ['package.json', (s) => JSON.stringify({ name: 'some-project', version: '1.0.0', phone: s })],
];

test('each project config file is found in the working directory and above', async () => {
  const { phone } = seedPhone(clerk.server);
  for (const [name, render] of PROJECT_FILES) {
    for (const depth of [0, 2]) {
      clerk.server.requests.length = 0;
      const root = tempDir();
      const cwd = depth ? join(root, 'a', 'b') : root;
      mkdirSync(cwd, { recursive: true });
      write(join(root, name), render(good()));
      const result = await clerk.inProcess(['get', phone.id], { cwd, env: NO_ENV });
      assertOk(result, `${name} ${depth} levels up`);
      assertAuthorization(clerk.server.secretKey);
    }
  }
});

test('.phonerc holding JSON is read too', async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  write(join(cwd, '.phonerc'), JSON.stringify(good()));
  assertOk(await clerk.inProcess(['get', phone.id], { cwd, env: NO_ENV }));
});

test('the nearest config file wins', async () => {
  const { phone } = seedPhone(clerk.server);
  const root = tempDir();
  const cwd = join(root, 'a', 'b');
  mkdirSync(cwd, { recursive: true });
  write(join(root, '.phonerc.json'), { secretKey: BAD_KEY_CONFIG, apiUrl: deadUrl });
  write(join(root, 'a', '.phonerc.yml'), yamlOf(good()));
  assertOk(await clerk.inProcess(['get', phone.id, '--retries', '0'], { cwd, env: NO_ENV }));
  assertAuthorization(clerk.server.secretKey);
});

test('a package.json without a phone key is passed over', async () => {
  const { phone } = seedPhone(clerk.server);
  const root = tempDir();
  const cwd = join(root, 'app');
  write(join(cwd, 'package.json'), { name: 'app', version: '1.0.0' });
  write(join(root, '.phonerc.json'), good());
  assertOk(await clerk.inProcess(['get', phone.id], { cwd, env: NO_ENV }));
});

for (const xdg of [true, false]) {
  test(`the user config folder is ${xdg ? '$XDG_CONFIG_HOME/phone' : '~/.config/phone when XDG_CONFIG_HOME is unset'}`, async () => {
    const { phone } = seedPhone(clerk.server);
    const names: [string, string][] = [
      ['config.json', JSON.stringify(good())],
      ['config', yamlOf(good())],
      ['config.yaml', yamlOf(good())],
    ];
    for (const [name, content] of names) {
      clerk.server.requests.length = 0;
      const home = tempDir('phone-home-');
      const xdgDir = tempDir('phone-xdg-');
      write(join(xdg ? xdgDir : join(home, '.config'), 'phone', name), content);
      const result = await clerk.phone(['get', phone.id], { env: { ...NO_ENV, HOME: home, XDG_CONFIG_HOME: xdg ? xdgDir : undefined } });
      assertOk(result, name);
      assertAuthorization(clerk.server.secretKey);
    }
  });
}

test('~/.config/phone is not read when XDG_CONFIG_HOME points elsewhere', async () => {
  const { phone } = seedPhone(clerk.server);
  const home = tempDir('phone-home-');
  write(join(home, '.config', 'phone', 'config.json'), good());
  const result = await clerk.inProcess(['get', phone.id], { env: { ...NO_ENV, HOME: home, XDG_CONFIG_HOME: tempDir('phone-xdg-') } });
  assert.equal(result.code, 4, result.stderr);
  assert.equal(clerk.server.requests.length, 0);
});

test('a project config file beats the user config file', async () => {
  const { phone } = seedPhone(clerk.server);
  const home = tempDir('phone-home-');
  write(join(home, '.config', 'phone', 'config.json'), { secretKey: BAD_KEY_CONFIG, apiUrl: deadUrl, output: 'table' });
  const cwd = tempDir();
  write(join(cwd, '.phonerc.json'), good());
  const result = await clerk.inProcess(['get', phone.id, '--retries', '0'], { cwd, env: { ...NO_ENV, HOME: home } });
  assertOk(result);
  assertAuthorization(clerk.server.secretKey);
});

test('--config loads exactly that file', async () => {
  const { phone } = seedPhone(clerk.server);
  const elsewhere = tempDir();
  const cwd = tempDir();
  const home = tempDir('phone-home-');
  // Files that would fail if they were read.
  write(join(cwd, '.phonerc.json'), '{ this is not json');
  write(join(home, '.config', 'phone', 'config.json'), { unknownKey: true });
  const files = [
    write(join(elsewhere, 'settings.json'), good()),
    write(join(elsewhere, 'settings.yaml'), yamlOf(good())),
    write(join(elsewhere, 'settings.yml'), yamlOf(good())),
    write(join(elsewhere, 'phone-settings'), yamlOf(good())),
  ];
  for (const file of files) {
    clerk.server.requests.length = 0;
    assertOk(await clerk.inProcess(['get', phone.id, '--config', file], { cwd, env: { ...NO_ENV, HOME: home } }), file);
    assertAuthorization(clerk.server.secretKey);
  }
  write(join(cwd, 'cfg', 'settings.json'), good());
  write(join(cwd, '.phonerc.json'), good());
  assertOk(await clerk.inProcess(['--config', 'cfg/settings.json', 'get', phone.id], { cwd, env: NO_ENV }), 'relative path');
});

test('--config with a file that does not exist is an error naming it', async () => {
  const { phone } = seedPhone(clerk.server);
  const missing = join(tempDir(), 'nope.json');
  const result = await clerk.inProcess(['get', phone.id, '--config', missing]);
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.ok(result.stderr.includes(missing), result.stderr);
  assert.equal(clerk.server.requests.length, 0);
});

test('config output is the default on a terminal only: piped output is JSON unless a flag says otherwise', needsTty, async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  write(join(cwd, '.phonerc.yaml'), 'output: table\n');
  // Piped: the README's `| jq` recipes work whatever the config says.
  const piped = await clerk.phone(['get', phone.id], { cwd });
  assertOk(piped);
  assert.equal(piped.stdout, `${JSON.stringify(phone, null, 2)}\n`);
  const flagged = await clerk.phone(['get', phone.id, '-o', 'table'], { cwd });
  assert.ok(flagged.stdout.includes('Phone number') && !flagged.stdout.trimStart().startsWith('{'), flagged.stdout);
  // On a terminal the config's table applies; --json beats it there.
  const onTty = await runInTty(['get', phone.id], { cwd, env: clerk.env });
  assert.equal(onTty.code, 0, onTty.output);
  assert.ok(onTty.output.includes('Phone number') && !onTty.output.trimStart().startsWith('{'), onTty.output);
  const jsonOnTty = await runInTty(['get', phone.id, '--json'], { cwd, env: clerk.env });
  assert.equal(JSON.parse(jsonOnTty.output).id, phone.id);
  const deleted = await clerk.phone(['delete', phone.id, '--yes', '-o', 'table'], { cwd });
  assert.equal(deleted.stdout, `Deleted phone number ${phone.id}\n`);

  const other = tempDir();
  write(join(other, '.phonerc.json'), { output: 'json' });
  const errorOnTty = await runInTty(['get', 'idn_missing'], { cwd: other, env: clerk.env });
  assert.equal(errorOnTty.code, 3, errorOnTty.output);
  assert.equal(JSON.parse(errorOnTty.output).error.status, 404, 'json error on a terminal when the config says json');
});

test('config retries sets how often a request is repeated, and --retries beats it', async () => {
  const { phone } = seedPhone(clerk.server);
  const cases: [Record<string, number>, string[], number][] = [
    [{ retries: 0 }, [], 1],
    [{ retries: 2 }, [], 3],
    [{ retries: 0 }, ['--retries', '1'], 2],
  ];
  for (const [settings, flags, attempts] of cases) {
    clerk.server.reset();
    clerk.server.fault({ fault: { kind: 'status', status: 503 }, times: 10 });
    const cwd = tempDir();
    write(join(cwd, '.phonerc.json'), settings);
    const result = await clerk.inProcess(['get', phone.id, ...flags], { cwd });
    assert.equal(result.code, 5, result.stderr);
    assert.equal(clerk.server.requests.length, attempts, `${JSON.stringify(settings)} ${flags.join(' ')}`);
  }
});

test('config timeout bounds each attempt, and --timeout beats it', async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  write(join(cwd, '.phonerc.json'), { timeout: 200, retries: 0 });
  clerk.server.fault({ fault: { kind: 'delay', ms: 4000 } });
  const timedOut = await clerk.inProcess(['get', phone.id], { cwd });
  assert.equal(timedOut.code, 5, timedOut.stderr);
  assert.equal((JSON.parse(timedOut.stderr) as { error: { code: string } }).error.code, 'timeout');

  clerk.server.fault({ fault: { kind: 'delay', ms: 500 } });
  const patient = await clerk.inProcess(['get', phone.id, '--timeout', '15000'], { cwd });
  assertOk(patient);
  assert.equal(patient.stdout, `${JSON.stringify(phone, null, 2)}\n`);
});

// ---------------------------------------------------------------- bad config

interface BadConfig {
  name: string;
  file: string;
  content: string;
  /** What the error must name besides the file: the key, when there is one. */
  key?: string;
}

const BAD_CONFIGS: BadConfig[] = [
  { name: 'JSON syntax', file: '.phonerc.json', content: '{ "secretKey": ' },
  { name: 'JSON trailing comma', file: '.phonerc.json', content: '{ "retries": 1, }' },
  { name: 'YAML syntax', file: '.phonerc.yaml', content: 'retries: [1, 2\noutput: json\n' },
  { name: '.phonerc syntax', file: '.phonerc', content: 'output: "json\n' },
  { name: 'unknown key', file: '.phonerc.json', content: '{"secretkey": "sk_test_x"}', key: 'secretkey' },
  { name: 'unknown key in YAML', file: '.phonerc.yml', content: 'output: json\napiURL: https://api.clerk.com\n', key: 'apiURL' },
  { name: 'unknown key in package.json', file: 'package.json', content: '{"name":"x","phone":{"retry":3}}', key: 'retry' },
  { name: 'retries as a string', file: '.phonerc.json', content: '{"retries": "3"}', key: 'retries' },
  { name: 'negative retries', file: '.phonerc.json', content: '{"retries": -1}', key: 'retries' },
  { name: 'fractional retries', file: '.phonerc.yaml', content: 'retries: 1.5\n', key: 'retries' },
  { name: 'timeout as words', file: '.phonerc.yaml', content: 'timeout: fast\n', key: 'timeout' },
  { name: 'output xml', file: '.phonerc.json', content: '{"output": "xml"}', key: 'output' },
  { name: 'apiUrl a number', file: '.phonerc.json', content: '{"apiUrl": 5}', key: 'apiUrl' },
  { name: 'secretKey a number', file: '.phonerc.json', content: '{"secretKey": 42}', key: 'secretKey' },
  { name: 'secretKey a list', file: '.phonerc.yaml', content: 'secretKey:\n  - a\n  - b\n', key: 'secretKey' },
  { name: 'not an object', file: '.phonerc.json', content: '[1, 2, 3]' },
];

test('a bad project config file is exit 2 naming the file and the key, even when the key comes from CLERK_SECRET_KEY', async () => {
  const { phone } = seedPhone(clerk.server);
  for (const bad of BAD_CONFIGS) {
    const root = tempDir();
    const cwd = join(root, 'sub');
    mkdirSync(cwd);
    const path = write(join(root, bad.file), bad.content);
    for (const format of [[], ['-o', 'table']]) {
      const result = await clerk.inProcess(['get', phone.id, ...format], { cwd });
      const label = `${bad.name} ${format.join(' ')}`;
      assert.equal(result.code, 2, `${label}: ${result.stderr}`);
      assert.equal(result.stdout, '', label);
      assert.ok(result.stderr.includes(path), `${label}: names ${path}: ${result.stderr}`);
      if (bad.key) assert.ok(result.stderr.includes(bad.key), `${label}: names ${bad.key}: ${result.stderr}`);
    }
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('a bad user config file or --config file is exit 2 naming the file and the key', async () => {
  const { phone } = seedPhone(clerk.server);
  const home = tempDir('phone-home-');
  const userFile = write(join(home, '.config', 'phone', 'config.json'), { secretKey: clerk.server.secretKey, colour: true });
  const fromUser = await clerk.inProcess(['get', phone.id], { env: { HOME: home } });
  assert.equal(fromUser.code, 2, fromUser.stderr);
  assert.ok(fromUser.stderr.includes(userFile) && fromUser.stderr.includes('colour'), fromUser.stderr);

  const explicit = write(join(tempDir(), 'settings.yaml'), 'retries: many\n');
  const fromFlag = await clerk.inProcess(['get', phone.id, '--config', explicit]);
  assert.equal(fromFlag.code, 2, fromFlag.stderr);
  assert.ok(fromFlag.stderr.includes(explicit) && fromFlag.stderr.includes('retries'), fromFlag.stderr);

  const broken = write(join(tempDir(), 'settings.json'), '{"output": ');
  const brokenFlag = await clerk.inProcess(['get', phone.id, '--config', broken]);
  assert.equal(brokenFlag.code, 2, brokenFlag.stderr);
  assert.ok(brokenFlag.stderr.includes(broken), brokenFlag.stderr);
  assert.equal(clerk.server.requests.length, 0);
});

// ---------------------------------------------------------------- config files never run code

test("cosmiconfig's meta-config .config/config.* in the working directory is never executed", async () => {
  const { phone } = seedPhone(clerk.server);
  for (const name of ['config.js', 'config.cjs', 'config.mjs', 'config.ts']) {
    for (const withProjectFile of [true, false]) {
      for (const withConfigFlag of [false, true]) {
        const cwd = tempDir();
        const marker = join(cwd, 'EXECUTED');
        write(join(cwd, '.config', name), codeThatMarks(marker));
        if (withProjectFile) write(join(cwd, '.phonerc.json'), { output: 'json' });
        const flags = withConfigFlag ? ['--config', write(join(cwd, 'settings.json'), { retries: 0 })] : [];
        const result = await clerk.phone(['get', phone.id, ...flags], { cwd });
        const label = `.config/${name}${withProjectFile ? ' with .phonerc.json' : ''}${withConfigFlag ? ' with --config' : ''}`;
        assert.ok(!existsSync(marker), `${label} was executed`);
        assertOk(result, label);
      }
    }
  }
});

test('a meta-config that points the search at a code file does not get it executed', async () => {
  const { phone } = seedPhone(clerk.server);
  const cwd = tempDir();
  const marker = join(cwd, 'EXECUTED');
  write(join(cwd, '.config', 'config.json'), { phone: { searchPlaces: ['evil.cjs', '.phonerc.json'] } });
  write(join(cwd, '.config', 'config.yaml'), 'phone:\n  searchPlaces:\n    - evil.cjs\n');
  write(join(cwd, 'evil.cjs'), codeThatMarks(marker));
  write(join(cwd, '.phonerc.json'), { retries: 0 });
  await clerk.phone(['get', phone.id], { cwd });
  assert.ok(!existsSync(marker), 'evil.cjs was executed');
});

test('.phonerc.js and other code config files are never executed', async () => {
  const { phone } = seedPhone(clerk.server);
  const names = [
    '.phonerc.js',
    '.phonerc.cjs',
    '.phonerc.mjs',
    '.phonerc.ts',
    '.phonerc.mts',
    '.phonerc.cts',
    'phone.config.js',
    'phone.config.cjs',
    'phone.config.mjs',
    'phone.config.ts',
    '.config/phonerc.js',
    '.config/phonerc.cjs',
    '.config/phonerc.mjs',
  ];
  for (const withProjectFile of [false, true]) {
    const root = tempDir();
    const cwd = join(root, 'sub');
    mkdirSync(cwd);
    const home = tempDir('phone-home-');
    const markers: string[] = [];
    for (const [index, name] of names.entries()) {
      for (const dir of [root, cwd]) {
        const marker = join(dir, `EXECUTED-${index}`);
        markers.push(marker);
        write(join(dir, name), codeThatMarks(marker));
      }
    }
    for (const name of ['config.js', 'config.cjs', 'config.mjs', 'config.ts']) {
      const marker = join(home, `EXECUTED-${name}`);
      markers.push(marker);
      write(join(home, '.config', 'phone', name), codeThatMarks(marker));
    }
    if (withProjectFile) write(join(cwd, '.phonerc.yaml'), 'retries: 0\n');
    await clerk.phone(['get', phone.id], { cwd, env: { HOME: home } });
    await clerk.phone(['get', phone.id], { cwd, env: { ...NO_ENV, HOME: home } });
    for (const marker of markers) assert.ok(!existsSync(marker), `${marker} written: a code file was executed`);
  }
});

test('--config with a code file is refused with exit 2 and not executed', async () => {
  const { phone } = seedPhone(clerk.server);
  for (const name of ['settings.js', 'settings.cjs', 'settings.mjs', 'settings.ts', '.phonerc.js']) {
    const cwd = tempDir();
    const marker = join(cwd, 'EXECUTED');
    const file = write(join(cwd, name), codeThatMarks(marker));
    const result = await clerk.phone(['get', phone.id, '--config', file], { cwd });
    assert.equal(result.code, 2, `${name}: ${result.stderr}`);
    assert.equal(result.stdout, '', name);
    assert.ok(result.stderr.includes(name), `${name} named: ${result.stderr}`);
    assert.ok(!existsSync(marker), `${name} was executed`);
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('phone config and config path escape what a file names (a profile, a folder) before it reaches a terminal', async () => {
  const cwd = join(tempDir(), 'dir\x1b]0;owned\x07');
  mkdirSync(cwd);
  const profile = 'x\x1b[2Jy';
  write(join(cwd, '.phonerc.json'), { profiles: { [profile]: { retries: 1 } } });
  const env = { PHONE_PROFILE: profile, NO_COLOR: '1' };
  for (const args of [
    ['config', '-o', 'table'],
    ['config', 'path', '-o', 'table'],
  ]) {
    const result = await clerk.phone(args, { cwd, env });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!/[\x00-\x09\x0b-\x1f\x7f]/.test(result.stdout), JSON.stringify(result.stdout));
    assert.ok(result.stdout.includes('dir\\x1b]0;owned\\x07'), result.stdout);
  }
  const shown = await clerk.phone(['config', '-o', 'table'], { cwd, env });
  assert.ok(shown.stdout.includes('x\\x1b[2Jy'), shown.stdout);
});
