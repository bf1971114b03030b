// Issue 12, the config layer: where the key may go. A project config file cannot point the API
// elsewhere or pull in another file, errors raised while settings are resolved never show a key,
// and a key in a file others can read is pointed out. Black box: the built CLI, hostile config
// files in temp dirs, the fake Clerk, and an "elsewhere" HTTPS server that records what it gets.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, beforeEach, test } from 'node:test';
import { useFakeClerk } from './helpers/fixture.ts';
import { errorJson } from './helpers/results.ts';
import { ROOT, tempDir, type CliResult } from './helpers/run-cli.ts';

const clerk = useFakeClerk();
const NO_ENV = { CLERK_SECRET_KEY: undefined, CLERK_API_URL: undefined };
const TLS_DIR = join(ROOT, 'test', 'fixtures', 'tls');

/** What reached the elsewhere server: TCP connections, and the requests it could read. */
const received = { connections: 0, requests: [] as { url: string; authorization: string | undefined }[] };
let elsewhere: Server;
let elsewhereUrl = '';
/** A preload mapping elsewhere.example to 127.0.0.1, so the "other host" is this process's recorder. */
let dnsHook = '';

before(async () => {
  elsewhere = createServer(
    { key: readFileSync(join(TLS_DIR, 'key.pem')), cert: readFileSync(join(TLS_DIR, 'cert.pem')) },
    (request, response) => {
      received.requests.push({ url: request.url ?? '', authorization: request.headers.authorization });
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"errors":[{"code":"resource_not_found","message":"not found"}]}');
    },
  );
  elsewhere.on('connection', () => received.connections++);
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
  elsewhereUrl = `https://elsewhere.example:${(elsewhere.address() as { port: number }).port}`;
  dnsHook = join(tempDir('phone-dns-hook-'), 'dns-hook.mjs');
  writeFileSync(
    dnsHook,
    `import dns from 'node:dns';
const original = dns.lookup;
dns.lookup = function (hostname, options, callback) {
  return original.call(this, hostname === 'elsewhere.example' ? '127.0.0.1' : hostname, options, callback);
};
`,
  );
});
beforeEach(() => {
  received.connections = 0;
  received.requests.length = 0;
});
after(() => {
  elsewhere.closeAllConnections();
  elsewhere.close();
});

/** The environment of a run that could reach elsewhere.example; `trustAnyCertificate` lets a control run get through TLS. */
function elsewhereEnv(trustAnyCertificate = false): Record<string, string | undefined> {
  return {
    CLERK_API_URL: undefined,
    NODE_OPTIONS: `--import=${pathToFileURL(dnsHook).href}`,
    ...(trustAnyCertificate ? { NODE_TLS_REJECT_UNAUTHORIZED: '0' } : {}),
  };
}

function dir(prefix = 'phone-safety-'): string {
  return realpathSync(tempDir(prefix));
}

function write(path: string, content: string | object, mode = 0o600): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  chmodSync(path, mode);
  return path;
}

function assertNothingReachedElsewhere(label: string): void {
  assert.equal(received.connections, 0, `${label}: elsewhere got a connection`);
  assert.equal(received.requests.length, 0, `${label}: elsewhere got a request`);
}

/** The key as it is, as JSON writes it once and twice, in any letter case. */
function assertKeyNotShown(result: CliResult, key: string, label: string): void {
  const once = JSON.stringify(key).slice(1, -1);
  const forms = [key, once, JSON.stringify(once).slice(1, -1)].map((form) => form.toLowerCase());
  for (const [name, text] of [
    ['stdout', result.stdout],
    ['stderr', result.stderr],
  ] as const) {
    for (const form of forms) assert.ok(!text.toLowerCase().includes(form), `${label}: the key is on ${name}:\n${text}`);
  }
}

// ---------------------------------------------------------------- a project file cannot redirect the key

const PROJECT_FILES: [string, (settings: object) => string][] = [
  [
    '.phonerc',
    (s) =>
      Object.entries(s)
        .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
        .join('\n'),
  ],
  ['.phonerc.json', (s) => JSON.stringify(s)],
  ['.phonerc.yaml', (s) => JSON.stringify(s)],
  ['.phonerc.yml', (s) => JSON.stringify(s)],
  ['package.json', (s) => JSON.stringify({ name: 'cloned', version: '1.0.0', phone: s })],
];

test('a project config file that sets apiUrl to another host is refused before any connection: exit 2, untrusted_api_url', async () => {
  for (const [name, render] of PROJECT_FILES) {
    for (const depth of [0, 2]) {
      const root = dir();
      const cwd = join(root, ...Array<string>(depth).fill('sub'));
      mkdirSync(cwd, { recursive: true });
      const file = write(join(root, name), render({ apiUrl: elsewhereUrl }));
      const label = `${name} ${depth} levels up`;
      const result = await clerk.phone(['get', 'idn_1'], { cwd, env: elsewhereEnv() });
      assert.equal(result.code, 2, `${label}: ${result.stderr}`);
      assert.equal(result.stdout, '', label);
      const error = errorJson(result);
      assert.equal(error.code, 'untrusted_api_url', label);
      for (const part of [file, 'elsewhere.example', '--api-url', 'CLERK_API_URL', '/.config/phone']) {
        assert.ok(error.message.includes(part), `${label}: the message names ${part}: ${error.message}`);
      }
      assertNothingReachedElsewhere(label);
    }
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('the refusal also holds for a profile of a project file, which would beat CLERK_API_URL', async () => {
  const cwd = dir();
  write(join(cwd, '.phonerc.yaml'), `profiles:\n  dev:\n    apiUrl: ${elsewhereUrl}\n`);
  for (const args of [
    ['--profile', 'dev', 'get', 'idn_1'],
    ['config', 'show'],
  ]) {
    const env = { ...elsewhereEnv(), CLERK_API_URL: clerk.server.url, PHONE_PROFILE: 'dev' };
    const result = await clerk.phone(args, { cwd, env });
    assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(errorJson(result).code, 'untrusted_api_url');
    assert.ok(errorJson(result).message.includes('profiles.dev.apiUrl'), result.stderr);
  }
  assertNothingReachedElsewhere('profile');
  assert.equal(clerk.server.requests.length, 0);
});

test('hosts that only look like Clerk or loopback are refused too', async () => {
  const hosts = [
    'https://api.clerk.com.elsewhere.example',
    'https://elsewhere.example/api.clerk.com',
    'https://localhost.elsewhere.example',
    'https://127.0.0.1.nip.io',
    'https://clerk.com',
    'https://api.clerk.dev',
  ];
  for (const url of hosts) {
    const cwd = dir();
    write(join(cwd, '.phonerc.json'), { apiUrl: url });
    const result = await clerk.phone(['config', 'show'], { cwd, env: elsewhereEnv() });
    assert.equal(result.code, 2, `${url}: ${result.stderr}`);
    assert.equal(errorJson(result).code, 'untrusted_api_url', url);
  }
});

test('a project file may set apiUrl to https://api.clerk.com or to a loopback address', async () => {
  const port = clerk.server.port;
  const urls = [
    'https://api.clerk.com',
    'https://api.clerk.com/v1',
    `http://localhost:${port}`,
    `http://127.0.0.1:${port}`,
    `http://127.9.8.7:${port}/v1`,
    `http://[::1]:${port}`,
    `https://localhost:${port}`,
  ];
  for (const url of urls) {
    const cwd = dir();
    write(join(cwd, '.phonerc.json'), { apiUrl: url });
    const result = await clerk.phone(['config', 'show', '--json'], { cwd, env: NO_ENV });
    assert.equal(result.code, 0, `${url}: ${result.stderr}`);
    const shown = JSON.parse(result.stdout) as { apiUrl: { source: string } };
    assert.ok(shown.apiUrl.source.includes('.phonerc.json'), `${url}: ${result.stdout}`);
  }
  const phone = clerk.server.addPhoneNumber(clerk.server.addUser().id, '+12015550100');
  const cwd = dir();
  write(join(cwd, '.phonerc.json'), { apiUrl: `http://localhost:${port}` });
  const got = await clerk.phone(['get', phone.id], { cwd, env: { CLERK_API_URL: undefined } });
  assert.equal(got.code, 0, got.stderr);
  assert.equal(clerk.server.requests.length, 1);
});

test('the user config file, --config, --api-url and CLERK_API_URL may point elsewhere: the recorder sees the key arrive', async () => {
  const home = dir('phone-home-');
  const userFile = write(join(home, '.config', 'phone', 'config.yaml'), `apiUrl: ${elsewhereUrl}\n`);
  const projectDir = dir();
  write(join(projectDir, '.phonerc.yaml'), `profiles:\n  dev:\n    apiUrl: ${elsewhereUrl}\n`);
  const runs: [string, string[], Record<string, string | undefined>, string?][] = [
    ['user config file', ['get', 'idn_1'], { HOME: home }],
    ['--config', ['get', 'idn_1', '--config', userFile], {}],
    ['--api-url', ['get', 'idn_1', '--api-url', elsewhereUrl], {}],
    ['CLERK_API_URL', ['get', 'idn_1'], { CLERK_API_URL: elsewhereUrl }],
    [
      'CLERK_API_URL saying what the project profile says',
      ['get', 'idn_1', '--profile', 'dev'],
      { CLERK_API_URL: elsewhereUrl },
      projectDir,
    ],
  ];
  for (const [label, args, env, cwd] of runs) {
    received.requests.length = 0;
    const result = await clerk.phone([...args, '--retries', '0'], { cwd, env: { ...elsewhereEnv(true), ...env } });
    assert.equal(result.code, 3, `${label}: the 404 of elsewhere: ${result.stderr}`);
    assert.deepEqual(received.requests, [{ url: '/v1/phone_numbers/idn_1', authorization: `Bearer ${clerk.server.secretKey}` }], label);
  }
});

// ---------------------------------------------------------------- no $import

test('a $import key anywhere in a config file is exit 2 (bad_config), and the imported file is never read', async () => {
  const userKey = 'sk_test_userskeyfromhome0000000000000000000user';
  const home = dir('phone-home-');
  const userFile = write(join(home, '.config', 'phone', 'config.yaml'), `secretKey: ${userKey}\napiUrl: ${elsewhereUrl}\n`);
  const files: [string, string][] = [
    ['.phonerc.json', JSON.stringify({ $import: userFile, apiUrl: `http://127.0.0.1:${clerk.server.port}` })],
    ['.phonerc.json', JSON.stringify({ $import: [userFile] })],
    ['.phonerc.yaml', `$import: ${userFile}\n`],
    ['.phonerc', `profiles:\n  dev:\n    $import: ${userFile}\n`],
    ['.phonerc.yml', `output:\n  $import: ${userFile}\n`],
    ['package.json', JSON.stringify({ name: 'cloned', phone: { $import: userFile } })],
  ];
  for (const [name, content] of files) {
    const cwd = dir();
    const file = write(join(cwd, name), content);
    for (const env of [{ ...NO_ENV, HOME: home }, { HOME: home }]) {
      const result = await clerk.phone(['get', 'idn_1', '--retries', '0'], { cwd, env: { ...elsewhereEnv(true), ...env } });
      const label = `${name}: ${content}`;
      assert.equal(result.code, 2, `${label}: ${result.stderr}`);
      const error = errorJson(result);
      assert.equal(error.code, 'bad_config', label);
      assert.ok(error.message.includes(file) && error.message.includes('$import'), `${label}: ${error.message}`);
      assertKeyNotShown(result, userKey, label);
      assertNothingReachedElsewhere(label);
    }
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('$import in --config or the user config file is refused the same way', async () => {
  const other = write(join(dir(), 'other.json'), { secretKey: 'sk_test_otherkey000000000000000000000000000other', apiUrl: elsewhereUrl });
  const home = dir('phone-home-');
  const userFile = write(join(home, '.config', 'phone', 'config.json'), { $import: other });
  for (const [label, args] of [
    ['user config', []],
    ['--config', ['--config', userFile]],
  ] as const) {
    const result = await clerk.phone(['get', 'idn_1', ...args], { env: { ...NO_ENV, ...elsewhereEnv(true), HOME: home } });
    assert.equal(result.code, 2, `${label}: ${result.stderr}`);
    assert.equal(errorJson(result).code, 'bad_config', label);
    assertNothingReachedElsewhere(label);
  }
});

// ---------------------------------------------------------------- redaction while settings are resolved

const ODD_KEY = 'sk_test_odd"quote\\backslash_0123456789abcdef';

test('--api-url http://<key>/ and other URLs made of the key never show it', async () => {
  const key = clerk.server.secretKey;
  const urls = [
    `http://${key}/`,
    `http://${key}.example.com/v1`,
    `ftp://${key}/`,
    `https://x.example/?${key}`,
    `http://user:${key}@example.com/`,
    key,
  ];
  for (const url of urls) {
    for (const format of [[], ['-o', 'table']]) {
      const result = await clerk.phone(['get', 'idn_1', '--api-url', url, ...format]);
      const label = `${url} ${format.join(' ')}`;
      assert.equal(result.code, 2, `${label}: ${result.stderr}`);
      assertKeyNotShown(result, key, label);
    }
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('a config value equal to the key is not echoed in the error, from the environment, the file, or nowhere else', async () => {
  const cases: [string, object, Record<string, string | undefined>][] = [
    ['key in the environment', { output: clerk.server.secretKey }, {}],
    ['key in the same file', { secretKey: clerk.server.secretKey, output: clerk.server.secretKey }, NO_ENV],
    ['key in a profile of the file', { profiles: { dev: { secretKey: clerk.server.secretKey } }, retries: clerk.server.secretKey }, NO_ENV],
    ['key only shaped like one', { apiUrl: clerk.server.secretKey }, NO_ENV],
    ['key with " and \\ in the environment', { output: ODD_KEY }, { CLERK_SECRET_KEY: ODD_KEY }],
    ['key with " and \\ in the file', { secretKey: ODD_KEY, profiles: { dev: { output: ODD_KEY } } }, NO_ENV],
  ];
  for (const [label, settings, env] of cases) {
    const cwd = dir();
    write(join(cwd, '.phonerc.json'), settings);
    for (const format of [[], ['-o', 'table']]) {
      const result = await clerk.phone(['get', 'idn_1', ...format], { cwd, env });
      assert.equal(result.code, 2, `${label}: ${result.stderr}`);
      assert.ok(result.stderr.includes('.phonerc.json'), `${label}: names the file: ${result.stderr}`);
      assertKeyNotShown(result, label.includes('"') ? ODD_KEY : clerk.server.secretKey, `${label} ${format.join(' ')}`);
    }
  }
});

test('a key with " or \\ in it, echoed by any setting, is redacted in every JSON form', async () => {
  const cwd = dir();
  const runs: string[][] = [
    ['--profile', ODD_KEY, 'get', 'idn_1'],
    ['get', 'idn_1', '--timeout', ODD_KEY],
    ['get', 'idn_1', '--retries', ODD_KEY],
    ['get', 'idn_1', '--api-url', `http://${ODD_KEY}/`],
  ];
  for (const args of runs) {
    for (const format of [[], ['-o', 'table']]) {
      const result = await clerk.phone([...args, ...format], { cwd, env: { CLERK_SECRET_KEY: ODD_KEY } });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assertKeyNotShown(result, ODD_KEY, `${args.join(' ')} ${format.join(' ')}`);
    }
  }
});

test('--secret-key-file given the key itself: exit 2, the key not shown, and a hint that a path belongs there', async () => {
  const key = clerk.server.secretKey;
  for (const env of [{}, NO_ENV]) {
    const json = await clerk.phone(['get', 'idn_1', '--secret-key-file', key], { env });
    assert.equal(json.code, 2, json.stderr);
    assertKeyNotShown(json, key, 'json');
    assert.match(errorJson(json).message, /--secret-key-file sk_test_…\w{4}: no such file/);
    const table = await clerk.phone(['get', 'idn_1', '--secret-key-file', key, '-o', 'table'], { env });
    assert.equal(table.code, 2, table.stderr);
    assertKeyNotShown(table, key, 'table');
    assert.match(table.stderr, /the path of a file that holds the key, not the key/);
  }
  assert.equal(clerk.server.requests.length, 0);
});

// ---------------------------------------------------------------- a key others can read

function warningLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((line) => line.startsWith('warning:'));
}

test('a --secret-key-file group or others can read: one warning naming it and chmod 600, and the command runs', async () => {
  const phone = clerk.server.addPhoneNumber(clerk.server.addUser().id, '+12015550100');
  const cwd = dir();
  for (const mode of [0o644, 0o640, 0o604, 0o600, 0o400]) {
    clerk.server.requests.length = 0;
    const keyFile = write(join(cwd, 'key.txt'), `${clerk.server.secretKey}\n`, mode);
    const result = await clerk.phone(['get', phone.id, '--secret-key-file', keyFile], { cwd, env: { CLERK_SECRET_KEY: undefined } });
    const label = `mode ${mode.toString(8)}`;
    assert.equal(result.code, 0, `${label}: ${result.stderr}`);
    assert.equal(JSON.parse(result.stdout).id, phone.id, label);
    assert.equal(clerk.server.requests.length, 1, label);
    if (mode & 0o044) {
      assert.equal(result.stderr.split('\n').length, 2, `${label}: one line: ${result.stderr}`);
      const [warning] = warningLines(result);
      assert.ok(warning?.includes(keyFile) && warning.includes(`chmod 600 ${keyFile}`), `${label}: ${result.stderr}`);
    } else {
      assert.equal(result.stderr, '', label);
    }
  }
});

test('a config file holding the key in force that others can read gets the warning; one whose key is not used does not', async () => {
  const phone = clerk.server.addPhoneNumber(clerk.server.addUser().id, '+12015550100');
  const cases: [string, object, number, Record<string, string | undefined>, boolean][] = [
    ['top-level secretKey, 0644', { secretKey: clerk.server.secretKey, apiUrl: clerk.server.url }, 0o644, NO_ENV, true],
    [
      'profile secretKey, 0640',
      { profiles: { dev: { secretKey: clerk.server.secretKey, apiUrl: clerk.server.url } } },
      0o640,
      { ...NO_ENV, PHONE_PROFILE: 'dev' },
      true,
    ],
    ['secretKey, 0600', { secretKey: clerk.server.secretKey, apiUrl: clerk.server.url }, 0o600, NO_ENV, false],
    ['no secretKey, 0644', { apiUrl: clerk.server.url }, 0o644, { CLERK_API_URL: undefined }, false],
    [
      'secretKey beaten by CLERK_SECRET_KEY, 0644',
      { secretKey: 'sk_test_unused00000000000000000000000000000000', apiUrl: clerk.server.url },
      0o644,
      { CLERK_API_URL: undefined },
      false,
    ],
  ];
  for (const [label, settings, mode, env, warned] of cases) {
    const cwd = dir();
    const file = write(join(cwd, '.phonerc.json'), settings, mode);
    const result = await clerk.phone(['get', phone.id], { cwd, env });
    assert.equal(result.code, 0, `${label}: ${result.stderr}`);
    if (warned) {
      assert.equal(warningLines(result).length, 1, `${label}: ${result.stderr}`);
      assert.ok(warningLines(result)[0]!.includes(file) && result.stderr.includes('chmod 600'), `${label}: ${result.stderr}`);
    } else {
      assert.equal(result.stderr, '', label);
    }
  }
});
