// Profiles (`profiles: {dev: {...}}`, --profile, PHONE_PROFILE), `phone config`, `phone config path`
// and PHONE_DEBUG, as issue 6 describes them. Black box: the built CLI against fake Clerk servers.
import assert from 'node:assert/strict';
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { startFakeClerk, type FakeClerk } from './fake-clerk/server.ts';
import { assertOk, write } from './helpers/common.ts';
import { parseErrorLine } from './helpers/results.ts';
import { runCli, tempDir, type CliResult, type RunOptions } from './helpers/run-cli.ts';
import { needsTty, runInTty, stripAnsi } from './helpers/tty.ts';

/** Two instances, so a test can tell which one a profile sent a request to, and with which key. */
const DEV_KEY = 'sk_test_devinstance000000000000000000000000dev1';
const PROD_KEY = 'sk_test_prodinstance00000000000000000000000prd2';
let dev: FakeClerk;
let prod: FakeClerk;

before(async () => {
  dev = await startFakeClerk({ secretKey: DEV_KEY });
  prod = await startFakeClerk({ secretKey: PROD_KEY });
});
beforeEach(() => {
  dev.reset();
  prod.reset();
});
after(async () => {
  await dev.close();
  await prod.close();
});

// ---------------------------------------------------------------- helpers

/** Neither key nor URL from the environment unless a test gives them. */
function phone(args: string[], options: RunOptions = {}): Promise<CliResult> {
  return runCli(args, {
    ...options,
    env: { CLERK_SECRET_KEY: undefined, CLERK_API_URL: undefined, PHONE_PROFILE: undefined, PHONE_DEBUG: undefined, ...options.env },
  });
}

/** A temp directory by its real path, as the CLI sees its working directory. */
function dir(prefix = 'phone-profiles-'): string {
  return realpathSync(tempDir(prefix));
}

/** A config with a dev and a prod profile, each pointing at its own fake server with its key. */
function twoProfiles(extra: Record<string, unknown> = {}) {
  return {
    ...extra,
    profiles: {
      dev: { secretKey: DEV_KEY, apiUrl: dev.url },
      prod: { secretKey: PROD_KEY, apiUrl: prod.url },
    },
  };
}

function twoProfilesYaml(extra = ''): string {
  return `${extra}profiles:
  dev:
    secretKey: ${DEV_KEY}
    apiUrl: "${dev.url}"
  prod:
    secretKey: ${PROD_KEY}
    apiUrl: "${prod.url}"
`;
}

/** A phone number on both servers, with the same ID shape, so `get` succeeds on either one. */
function seed(): { devId: string; prodId: string } {
  const devPhone = dev.addPhoneNumber(dev.addUser().id, '+12015550100');
  const prodPhone = prod.addPhoneNumber(prod.addUser().id, '+12015550100');
  return { devId: devPhone.id, prodId: prodPhone.id };
}

/** Every request went to `server` with `key`, and none to the other server. */
function assertWentTo(server: FakeClerk, key: string, label = ''): void {
  const other = server === dev ? prod : dev;
  assert.ok(server.requests.length > 0, `${label}: a request reached the expected server`);
  for (const request of server.requests) assert.equal(request.headers.authorization, `Bearer ${key}`, label);
  assert.equal(other.requests.length, 0, `${label}: no request reached the other server`);
}

function noRequests(label = ''): void {
  assert.equal(dev.requests.length + prod.requests.length, 0, `${label}: no request was sent`);
}

function warnings(result: CliResult): string[] {
  return result.stderr.split('\n').filter((line) => line.startsWith('warning:'));
}

const redacted = (key: string) => `${key.slice(0, 8)}…${key.slice(-4)}`;

interface Shown {
  value: string | number | null;
  source: string | null;
}

function configJson(result: CliResult): Record<string, Shown> {
  assertOk(result, 'phone config --json');
  return JSON.parse(result.stdout) as Record<string, Shown>;
}

// ---------------------------------------------------------------- selecting a profile

test('YAML config: --profile picks the profile, whose key and API URL the request uses', async () => {
  const { devId, prodId } = seed();
  const cwd = dir();
  write(join(cwd, '.phonerc.yaml'), twoProfilesYaml());

  const toDev = await phone(['get', devId, '--profile', 'dev'], { cwd });
  assertOk(toDev, '--profile dev');
  assertWentTo(dev, DEV_KEY, '--profile dev');
  assert.equal(JSON.parse(toDev.stdout).id, devId);

  dev.requests.length = 0;
  const toProd = await phone(['--profile', 'prod', 'get', prodId], { cwd });
  assertOk(toProd, '--profile prod (before the command)');
  assertWentTo(prod, PROD_KEY, '--profile prod');
  assert.equal(JSON.parse(toProd.stdout).id, prodId);
});

test('JSON config: --profile and PHONE_PROFILE pick the profile', async () => {
  const { devId, prodId } = seed();
  const cwd = dir();
  write(join(cwd, '.phonerc.json'), twoProfiles());

  assertOk(await phone(['get', prodId, '--profile', 'prod'], { cwd }), '--profile prod');
  assertWentTo(prod, PROD_KEY, 'JSON --profile prod');

  prod.requests.length = 0;
  assertOk(await phone(['get', devId], { cwd, env: { PHONE_PROFILE: 'dev' } }), 'PHONE_PROFILE=dev');
  assertWentTo(dev, DEV_KEY, 'PHONE_PROFILE=dev');
});

test('profiles in the user config folder and in a --config file work the same', async () => {
  const { prodId } = seed();
  const home = dir('phone-home-');
  write(join(home, '.config', 'phone', 'config.yaml'), twoProfilesYaml());
  assertOk(
    await phone(['get', prodId], { cwd: dir(), env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), PHONE_PROFILE: 'prod' } }),
    'user config',
  );
  assertWentTo(prod, PROD_KEY, 'user config folder, PHONE_PROFILE=prod');

  prod.requests.length = 0;
  const file = write(join(dir(), 'team.json'), twoProfiles());
  assertOk(await phone(['get', prodId, '--config', file, '--profile', 'prod'], { cwd: dir() }), '--config');
  assertWentTo(prod, PROD_KEY, '--config file, --profile prod');
});

test('--profile beats PHONE_PROFILE', async () => {
  const { devId } = seed();
  const cwd = dir();
  write(join(cwd, '.phonerc.json'), twoProfiles());
  assertOk(await phone(['get', devId, '--profile', 'dev'], { cwd, env: { PHONE_PROFILE: 'prod' } }));
  assertWentTo(dev, DEV_KEY, '--profile dev with PHONE_PROFILE=prod');
});

test('a profile beats the top level of the config file; without a profile the top level applies', async () => {
  const { devId, prodId } = seed();
  const cwd = dir();
  write(join(cwd, '.phonerc.yaml'), twoProfilesYaml(`secretKey: ${PROD_KEY}\napiUrl: "${prod.url}"\nretries: 1\ntimeout: 9000\n`));

  assertOk(await phone(['get', prodId], { cwd }), 'no profile');
  assertWentTo(prod, PROD_KEY, 'no profile: top level');

  prod.requests.length = 0;
  assertOk(await phone(['get', devId, '--profile', 'dev'], { cwd }), '--profile dev');
  assertWentTo(dev, DEV_KEY, '--profile dev over the top level');

  // Settings other than the key and URL: the profile's win, the top level fills in the rest.
  write(
    join(cwd, '.phonerc.yaml'),
    `retries: 1\ntimeout: 9000\noutput: table\nprofiles:\n  dev:\n    secretKey: ${DEV_KEY}\n    apiUrl: "${dev.url}"\n    retries: 0\n    output: json\n`,
  );
  const shown = configJson(await phone(['config', '--profile', 'dev'], { cwd }));
  assert.equal(shown.retries!.value, 0);
  assert.match(String(shown.retries!.source), /profiles\.dev\.retries/);
  // Off a terminal the output is JSON whatever a file says; the source names the setting that applies on a terminal only.
  assert.equal(shown.output!.value, 'json');
  assert.match(String(shown.output!.source), /^default \(not a terminal/);
  assert.equal(shown.timeout!.value, 9000);
  assert.ok(String(shown.timeout!.source).includes('(timeout)'), `timeout from the top level: ${shown.timeout!.source}`);
});

// ---------------------------------------------------------------- a named profile beats the environment

test('a profile asked for by name beats CLERK_SECRET_KEY and CLERK_API_URL, with a warning for each', async () => {
  const { devId } = seed();
  const cwd = dir();
  write(join(cwd, '.phonerc.yaml'), twoProfilesYaml());

  const result = await phone(['get', devId, '--profile', 'dev'], { cwd, env: { CLERK_SECRET_KEY: PROD_KEY, CLERK_API_URL: prod.url } });
  assertOk(result, '--profile dev with prod in the environment');
  assertWentTo(dev, DEV_KEY, 'named profile over the environment');
  const lines = warnings(result);
  assert.equal(lines.length, 2, `a warning for the key and one for the URL:\n${result.stderr}`);
  assert.ok(
    lines.some((line) => line.includes('CLERK_SECRET_KEY')),
    result.stderr,
  );
  assert.ok(
    lines.some((line) => line.includes('CLERK_API_URL')),
    result.stderr,
  );
  assert.ok(
    lines.every((line) => line.includes('dev')),
    `the warnings name the profile:\n${result.stderr}`,
  );
  // The warnings are on stderr only: stdout is still exactly the API's object.
  assert.equal(JSON.parse(result.stdout).id, devId);
  assert.ok(!result.stderr.includes(PROD_KEY) && !result.stderr.includes(DEV_KEY), 'no key in clear on stderr');
});

test('PHONE_PROFILE also asks for a profile by name: it beats the environment, with a warning', async () => {
  const { devId } = seed();
  const cwd = dir();
  write(join(cwd, '.phonerc.json'), twoProfiles());
  const result = await phone(['get', devId], { cwd, env: { PHONE_PROFILE: 'dev', CLERK_SECRET_KEY: PROD_KEY, CLERK_API_URL: prod.url } });
  assertOk(result);
  assertWentTo(dev, DEV_KEY, 'PHONE_PROFILE=dev over the environment');
  assert.equal(warnings(result).length, 2, result.stderr);
});

test('no warning when the environment says what the profile says', async () => {
  const { devId } = seed();
  const cwd = dir();
  write(join(cwd, '.phonerc.yaml'), twoProfilesYaml());
  const result = await phone(['get', devId, '--profile', 'dev'], { cwd, env: { CLERK_SECRET_KEY: DEV_KEY, CLERK_API_URL: dev.url } });
  assertOk(result);
  assertWentTo(dev, DEV_KEY, 'same values');
  assert.equal(result.stderr, '', 'nothing on stderr');
});

test('only the setting that differs is warned about', async () => {
  const { devId } = seed();
  const cwd = dir();
  write(join(cwd, '.phonerc.yaml'), twoProfilesYaml());
  const result = await phone(['get', devId, '--profile', 'dev'], { cwd, env: { CLERK_SECRET_KEY: PROD_KEY, CLERK_API_URL: dev.url } });
  assertOk(result);
  assertWentTo(dev, DEV_KEY, 'key differs');
  const lines = warnings(result);
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /CLERK_SECRET_KEY/);
  assert.doesNotMatch(lines[0]!, /CLERK_API_URL/);
});

test('without a profile the environment beats the config file, and nothing is warned', async () => {
  const { prodId } = seed();
  const cwd = dir();
  write(join(cwd, '.phonerc.yaml'), twoProfilesYaml(`secretKey: ${DEV_KEY}\napiUrl: "${dev.url}"\n`));
  const result = await phone(['get', prodId], { cwd, env: { CLERK_SECRET_KEY: PROD_KEY, CLERK_API_URL: prod.url } });
  assertOk(result);
  assertWentTo(prod, PROD_KEY, 'environment over the top level');
  assert.equal(warnings(result).length, 0, result.stderr);
});

test('a profile that leaves out the key takes it from the environment, without a warning', async () => {
  const { devId } = seed();
  const cwd = dir();
  write(join(cwd, '.phonerc.json'), { profiles: { dev: { apiUrl: dev.url } } });
  const result = await phone(['get', devId, '--profile', 'dev'], { cwd, env: { CLERK_SECRET_KEY: DEV_KEY, CLERK_API_URL: prod.url } });
  assertOk(result);
  assertWentTo(dev, DEV_KEY, 'URL from the profile, key from the environment');
  const lines = warnings(result);
  assert.equal(lines.length, 1, result.stderr);
  assert.match(lines[0]!, /CLERK_API_URL/);
});

// ---------------------------------------------------------------- flags beat a profile

test('--secret-key-file and --api-url beat the profile', async () => {
  const { devId } = seed();
  const cwd = dir();
  write(join(cwd, '.phonerc.yaml'), twoProfilesYaml());
  const keyFile = write(join(dir(), 'dev.key'), `${DEV_KEY}\n`);

  assertOk(await phone(['get', devId, '--profile', 'prod', '--secret-key-file', keyFile, '--api-url', dev.url], { cwd }), 'both flags');
  assertWentTo(dev, DEV_KEY, 'flags over --profile prod');

  // One flag at a time: the key from the file goes to the profile's URL (prod refuses it).
  dev.requests.length = 0;
  const keyOnly = await phone(['get', devId, '--profile', 'prod', '--secret-key-file', keyFile], { cwd });
  assert.equal(keyOnly.code, 4, keyOnly.stderr);
  assertWentTo(prod, DEV_KEY, '--secret-key-file with the profile URL');

  prod.requests.length = 0;
  const urlOnly = await phone(['get', devId, '--profile', 'prod', '--api-url', dev.url], { cwd });
  assert.equal(urlOnly.code, 4, urlOnly.stderr);
  assertWentTo(dev, PROD_KEY, '--api-url with the profile key');
});

// ---------------------------------------------------------------- unknown and bad profiles

test('an unknown profile is exit 2 naming the known ones, and nothing is sent', async () => {
  const cwd = dir();
  write(join(cwd, '.phonerc.yaml'), twoProfilesYaml());

  const byFlag = await phone(['get', 'idn_1', '--profile', 'staging'], { cwd });
  assert.equal(byFlag.code, 2, byFlag.stderr);
  assert.equal(byFlag.stdout, '');
  const error = parseErrorLine(byFlag.stderr.split('\n')[0]!);
  assert.match(error.message, /staging/);
  assert.match(error.message, /\bdev\b/);
  assert.match(error.message, /\bprod\b/);

  const byEnv = await phone(['get', 'idn_1', '-o', 'table'], { cwd, env: { PHONE_PROFILE: 'staging' } });
  assert.equal(byEnv.code, 2, byEnv.stderr);
  assert.equal(byEnv.stdout, '');
  assert.match(byEnv.stderr, /staging/);
  assert.match(byEnv.stderr, /\bdev\b/);
  assert.match(byEnv.stderr, /\bprod\b/);
  noRequests('unknown profile');
});

test('--profile with no config file at all is exit 2', async () => {
  const result = await phone(['get', 'idn_1', '--profile', 'dev'], {
    cwd: dir(),
    env: { CLERK_SECRET_KEY: DEV_KEY, CLERK_API_URL: dev.url },
  });
  assert.equal(result.code, 2, result.stderr);
  assert.equal(result.stdout, '');
  assert.match(parseErrorLine(result.stderr.split('\n')[0]!).message, /dev/);
  noRequests('no config file');
});

const badProfiles: { label: string; yaml: string; key: RegExp }[] = [
  { label: 'unknown key', yaml: `profiles:\n  dev:\n    secretKey: ${DEV_KEY}\n    foo: 1\n`, key: /profiles\.dev\.foo/ },
  { label: 'retries of the wrong type', yaml: `profiles:\n  dev:\n    retries: three\n`, key: /profiles\.dev\.retries/ },
  { label: 'timeout of the wrong type', yaml: `profiles:\n  dev:\n    timeout: "5000"\n`, key: /profiles\.dev\.timeout/ },
  { label: 'output not a format', yaml: `profiles:\n  dev:\n    output: xml\n`, key: /profiles\.dev\.output/ },
  { label: 'secretKey not a string', yaml: `profiles:\n  dev:\n    secretKey: 12345\n`, key: /profiles\.dev\.secretKey/ },
  { label: 'a profile that is not an object', yaml: `profiles:\n  dev: yes\n`, key: /profiles\.dev/ },
];

for (const { label, yaml, key } of badProfiles) {
  test(`bad profile content (${label}) is exit 2 naming the file and the key`, async () => {
    const cwd = dir();
    const file = write(join(cwd, '.phonerc.yaml'), yaml);
    const env = { CLERK_SECRET_KEY: DEV_KEY, CLERK_API_URL: dev.url };
    for (const args of [
      ['get', 'idn_1', '--profile', 'dev'],
      ['get', 'idn_1'],
    ]) {
      const result = await phone(args, { cwd, env });
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      const error = parseErrorLine(result.stderr.split('\n')[0]!);
      assert.ok(error.message.includes(file), `names the file: ${error.message}`);
      assert.match(error.message, key);
    }
    noRequests(label);
  });
}

test('a bad profile in a JSON config is exit 2 naming the file and the key', async () => {
  const cwd = dir();
  const file = write(join(cwd, '.phonerc.json'), { profiles: { dev: { secretKey: DEV_KEY, apiUrl: dev.url, retries: -1 } } });
  const result = await phone(['get', 'idn_1', '--profile', 'dev', '-o', 'table'], { cwd });
  assert.equal(result.code, 2, result.stderr);
  assert.ok(result.stderr.includes(file), result.stderr);
  assert.match(result.stderr, /profiles\.dev\.retries/);
  noRequests('bad JSON profile');
});

// ---------------------------------------------------------------- phone config

test('phone config --json: every setting with its value and source; the key redacted', async () => {
  const cwd = dir();
  const file = write(join(cwd, '.phonerc.yaml'), twoProfilesYaml('retries: 1\n'));
  const result = await phone(['config', '--json', '--profile', 'dev', '--timeout', '1234'], { cwd });
  const shown = configJson(result);
  for (const name of ['profile', 'secretKey', 'apiUrl', 'output', 'retries', 'timeout']) {
    assert.ok(shown[name] && 'value' in shown[name]! && 'source' in shown[name]!, `${name} with value and source: ${result.stdout}`);
  }
  assert.deepEqual(shown.profile, { value: 'dev', source: '--profile' });
  assert.equal(shown.secretKey!.value, redacted(DEV_KEY));
  assert.equal(shown.secretKey!.value, 'sk_test_…dev1');
  assert.ok(String(shown.secretKey!.source).includes(file), `key source names the file: ${shown.secretKey!.source}`);
  assert.match(String(shown.secretKey!.source), /profiles\.dev\.secretKey/);
  assert.equal(shown.apiUrl!.value, `${dev.url}/v1`);
  assert.ok(String(shown.apiUrl!.source).includes(file));
  assert.match(String(shown.apiUrl!.source), /profiles\.dev\.apiUrl/);
  assert.equal(shown.output!.value, 'json');
  assert.equal(shown.output!.source, '--json');
  assert.equal(shown.retries!.value, 1);
  assert.ok(
    String(shown.retries!.source).includes(file) && String(shown.retries!.source).includes('retries'),
    String(shown.retries!.source),
  );
  assert.equal(shown.timeout!.value, 1234);
  assert.equal(shown.timeout!.source, '--timeout');
  assert.ok(!result.stdout.includes(DEV_KEY) && !result.stderr.includes(DEV_KEY), 'the key never in clear');
  noRequests('phone config');
});

test('phone config --json: sources from the environment, flags and defaults', async () => {
  const cwd = dir();
  const keyFile = write(join(dir(), 'key.txt'), `${PROD_KEY}\n`);

  const fromEnv = configJson(await phone(['config'], { cwd, env: { CLERK_SECRET_KEY: DEV_KEY, CLERK_API_URL: dev.url } }));
  assert.equal(fromEnv.profile!.value, null, 'no profile');
  assert.deepEqual(fromEnv.secretKey, { value: 'sk_test_…dev1', source: 'CLERK_SECRET_KEY' });
  assert.deepEqual(fromEnv.apiUrl, { value: `${dev.url}/v1`, source: 'CLERK_API_URL' });
  assert.deepEqual(fromEnv.retries, { value: 3, source: 'default' });
  assert.deepEqual(fromEnv.timeout, { value: 30000, source: 'default' });
  assert.match(String(fromEnv.output!.source), /^default/);
  assert.equal(fromEnv.output!.value, 'json', 'json when stdout is not a terminal');

  const fromFlags = configJson(
    await phone(['config', '--output', 'json', '--secret-key-file', keyFile, '--api-url', prod.url, '--retries', '0'], {
      cwd,
      env: { CLERK_SECRET_KEY: DEV_KEY, CLERK_API_URL: dev.url },
    }),
  );
  assert.equal(fromFlags.secretKey!.value, 'sk_test_…prd2');
  assert.match(String(fromFlags.secretKey!.source), /^--secret-key-file/);
  assert.deepEqual(fromFlags.apiUrl, { value: `${prod.url}/v1`, source: '--api-url' });
  assert.deepEqual(fromFlags.retries, { value: 0, source: '--retries' });
  assert.equal(fromFlags.output!.source, '--output');

  const noKey = configJson(await phone(['config', '--json'], { cwd }));
  assert.equal(noKey.secretKey!.value, null, 'no key found is shown, not an error');
  assert.deepEqual(noKey.apiUrl, { value: 'https://api.clerk.com/v1', source: 'default' });
  noRequests('phone config');
});

test('phone config --json with PHONE_PROFILE names PHONE_PROFILE as the source', async () => {
  const cwd = dir();
  write(join(cwd, '.phonerc.json'), twoProfiles());
  const shown = configJson(await phone(['config', '--json'], { cwd, env: { PHONE_PROFILE: 'prod' } }));
  assert.deepEqual(shown.profile, { value: 'prod', source: 'PHONE_PROFILE' });
  assert.equal(shown.secretKey!.value, 'sk_test_…prd2');
  assert.equal(shown.apiUrl!.value, `${prod.url}/v1`);
});

test('phone config on a terminal: a table of settings, values and sources, the key redacted', needsTty, async () => {
  const cwd = dir();
  const file = write(join(cwd, '.phonerc.yaml'), twoProfilesYaml());
  const result = await runInTty(['config', '--profile', 'prod', '--retries', '2'], { cwd, env: { NO_COLOR: '1' } });
  const output = stripAnsi(result.output);
  assert.equal(result.code, 0, output);
  const row = (name: string) => output.split('\n').find((line) => line.trimStart().startsWith(name)) ?? '';
  assert.match(row('profile'), /prod.*--profile/);
  assert.ok(row('secretKey').includes('sk_test_…prd2'), output);
  assert.ok(row('secretKey').includes(file) && row('secretKey').includes('profiles.prod.secretKey'), output);
  assert.ok(row('apiUrl').includes(`${prod.url}/v1`) && row('apiUrl').includes('profiles.prod.apiUrl'), output);
  assert.match(row('output'), /table/);
  assert.match(row('retries'), /2.*--retries/);
  assert.match(row('timeout'), /30000.*default/);
  assert.ok(!output.includes(PROD_KEY), 'the key never in clear');
  noRequests('phone config on a terminal');
});

test('phone config shows the key source for CLERK_SECRET_KEY in the table too', async () => {
  const result = await phone(['config', '-o', 'table'], { cwd: dir(), env: { CLERK_SECRET_KEY: DEV_KEY } });
  assertOk(result);
  const line = result.stdout.split('\n').find((l) => l.startsWith('secretKey')) ?? '';
  assert.match(line, /sk_test_…dev1/);
  assert.match(line, /CLERK_SECRET_KEY/);
  assert.ok(!result.stdout.includes(DEV_KEY));
});

// ---------------------------------------------------------------- phone config path

interface PathReport {
  files: { path: string; exists: boolean; used: boolean }[];
  used: string[];
  problem: string | null;
}

test('phone config path --json: the files searched in order, the one used marked', async () => {
  const root = dir();
  const cwd = join(root, 'project', 'sub');
  mkdirSync(cwd, { recursive: true });
  const home = dir('phone-home-');
  const used = write(join(root, 'project', '.phonerc.json'), twoProfiles());
  write(join(home, '.config', 'phone', 'config.yaml'), 'retries: 1\n');

  const result = await phone(['config', 'path', '--json'], { cwd, env: { HOME: home, XDG_CONFIG_HOME: join(home, '.config') } });
  assertOk(result);
  const report = JSON.parse(result.stdout) as PathReport;
  const paths = report.files.map((file) => file.path);
  const at = (path: string) => {
    const index = paths.indexOf(path);
    assert.ok(index >= 0, `${path} is listed:\n${paths.join('\n')}`);
    return index;
  };
  // The working directory first, in cosmiconfig's order, then each parent, then the user folder.
  const own = ['package.json', '.phonerc', '.phonerc.json', '.phonerc.yaml', '.phonerc.yml'].map((name) => at(join(cwd, name)));
  assert.deepEqual(
    own,
    [...own].sort((a, b) => a - b),
    'the working directory files in order',
  );
  assert.ok(at(join(cwd, '.phonerc.yml')) < at(join(root, 'project', 'package.json')), 'cwd before its parent');
  assert.ok(at(join(root, 'project', '.phonerc.yml')) < at(join(root, 'package.json')), 'parent before grandparent');
  const userFiles = ['config', 'config.json', 'config.yaml'].map((name) => at(join(home, '.config', 'phone', name)));
  assert.deepEqual(
    userFiles,
    [...userFiles].sort((a, b) => a - b),
  );
  assert.ok(at(join(root, 'project', '.phonerc.json')) < userFiles[0]!, 'project files before the user folder');
  assert.equal(userFiles.at(-1), paths.length - 1, 'the user folder comes last');

  // Both files are used, the project file first: they merge key by key.
  const userFile = join(home, '.config', 'phone', 'config.yaml');
  assert.deepEqual(report.used, [used, userFile]);
  assert.deepEqual(
    report.files.filter((file) => file.used).map((file) => file.path),
    [used, userFile],
    'exactly the used files are marked',
  );
  assert.equal(report.files[at(used)]!.exists, true);
  assert.equal(report.files[at(userFile)]!.exists, true);
  assert.equal(report.problem, null);
});

test('phone config path as a table: one line per file, * on the used one', needsTty, async () => {
  const cwd = dir();
  const home = dir('phone-home-');
  const used = write(join(home, '.config', 'phone', 'config.json'), { retries: 1 });
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, '.config') };

  const check = (text: string, label: string) => {
    const lines = text.split('\n');
    const starred = lines.filter((line) => line.startsWith('*'));
    assert.equal(starred.length, 1, `${label}: one line marked:\n${text}`);
    assert.ok(starred[0]!.includes(used), `${label}: the used file is marked:\n${text}`);
    const listed = (path: string) =>
      lines.findIndex((line) => line.includes(path) && !line.includes(`${path}.`) && !line.includes(`${path}/`));
    for (const name of ['package.json', '.phonerc', '.phonerc.json', '.phonerc.yaml', '.phonerc.yml'])
      assert.ok(listed(join(cwd, name)) >= 0, `${label}: ${name} listed`);
    assert.ok(listed(join(cwd, '.phonerc')) < listed(join(cwd, '.phonerc.json')), `${label}: in order`);
    assert.ok(listed(join(cwd, '.phonerc.yml')) < listed(used), `${label}: project files before the user folder`);
  };

  const piped = await phone(['config', 'path', '-o', 'table'], { cwd, env });
  assertOk(piped);
  check(piped.stdout, '-o table');

  const tty = await runInTty(['config', 'path'], { cwd, env: { ...env, NO_COLOR: '1' } });
  assert.equal(tty.code, 0, tty.output);
  check(stripAnsi(tty.output), 'terminal');
});

test('phone config path with --config lists that file, marked as used', async () => {
  const file = write(join(dir(), 'team.yaml'), 'retries: 2\n');
  const result = await phone(['config', 'path', '--config', file, '--json'], { cwd: dir() });
  assertOk(result);
  const report = JSON.parse(result.stdout) as PathReport;
  assert.deepEqual(report.used, [file]);
  assert.ok(
    report.files.some((entry) => entry.path === file && entry.used),
    result.stdout,
  );
});

test('phone config path with a broken config file still lists the files and names the problem', async () => {
  const cwd = dir();
  const broken = write(join(cwd, '.phonerc.yaml'), `profiles:\n  dev:\n    foo: 1\n`);

  const json = await phone(['config', 'path', '--json'], { cwd });
  assert.ok(json.code === 0 || json.code === 2, `no crash: exit ${json.code}\n${json.stderr}`);
  const report = JSON.parse(json.stdout) as PathReport;
  assert.ok(
    report.files.some((file) => file.path === broken && file.exists),
    `the broken file is listed: ${json.stdout}`,
  );
  assert.ok(report.files.length > 5, 'the other candidates are listed too');
  const problem = `${report.problem ?? ''}${json.stderr}`;
  assert.ok(problem.includes(broken), `the problem names the file: ${problem}`);
  assert.match(problem, /profiles\.dev\.foo/);

  const syntax = write(join(dir(), '.phonerc.json'), '{ "retries": ');
  const table = await phone(['config', 'path', '-o', 'table'], { cwd: dirname(syntax) });
  assert.ok(table.code === 0 || table.code === 2, `no crash: exit ${table.code}\n${table.stderr}`);
  assert.ok(table.stdout.includes(syntax), `the broken file is listed:\n${table.stdout}`);
  assert.ok(
    `${table.stdout}${table.stderr}`.includes(`problem`) || table.stderr.includes(syntax),
    `the problem is reported:\n${table.stdout}${table.stderr}`,
  );
  assert.ok(`${table.stdout}${table.stderr}`.split(syntax).length > 2, `the problem names the file:\n${table.stdout}${table.stderr}`);
});

// ---------------------------------------------------------------- PHONE_DEBUG

const DEBUG_LINE = /^\[phone debug \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\] /;

function debugLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('[phone debug'));
}

/** Debug lines with what changes from run to run (time, durations) taken out. */
function normalized(lines: string[]): string[] {
  return lines.map((line) => line.replace(DEBUG_LINE, '').replace(/ in \d+ ms/g, ' in N ms'));
}

test('PHONE_DEBUG=1 is --debug: timestamped lines on stderr, stdout unchanged, the key redacted', async () => {
  const { devId } = seed();
  const env = { CLERK_SECRET_KEY: DEV_KEY, CLERK_API_URL: dev.url };
  const plain = await phone(['get', devId], { env });
  assertOk(plain, 'plain');
  assert.equal(plain.stderr, '');

  const viaEnv = await phone(['get', devId], { env: { ...env, PHONE_DEBUG: '1' } });
  assertOk(viaEnv, 'PHONE_DEBUG=1');
  assert.equal(viaEnv.stdout, plain.stdout, 'stdout is exactly the same');
  assert.equal(JSON.parse(viaEnv.stdout).id, devId);
  const lines = debugLines(viaEnv.stderr);
  assert.ok(lines.length >= 2, `debug lines on stderr:\n${viaEnv.stderr}`);
  for (const line of viaEnv.stderr.trimEnd().split('\n'))
    assert.match(line, DEBUG_LINE, 'every stderr line is a prefixed, timestamped debug line');
  assert.ok(
    lines.some((line) => line.includes(`/v1/phone_numbers/${devId}`)),
    'the request is shown',
  );
  assert.ok(viaEnv.stderr.includes('sk_test_…dev1'), 'the key is shown redacted');
  assert.ok(!viaEnv.stderr.includes(DEV_KEY), 'never in clear');
  assert.ok(!viaEnv.stdout.includes('[phone debug'), 'no debug line on stdout');

  const viaFlag = await phone(['get', devId, '--debug'], { env });
  assertOk(viaFlag, '--debug');
  assert.deepEqual(normalized(debugLines(viaEnv.stderr)), normalized(debugLines(viaFlag.stderr)), 'the same lines as --debug');
});

test('PHONE_DEBUG=1 on a failure: debug lines and the error, the key redacted', async () => {
  const wrongKey = 'sk_test_wrongwrongwrongwrongwrongwrongwrong9876';
  const result = await phone(['get', 'idn_1', '--retries', '0'], {
    env: { CLERK_SECRET_KEY: wrongKey, CLERK_API_URL: dev.url, PHONE_DEBUG: '1' },
  });
  assert.equal(result.code, 4, result.stderr);
  assert.equal(result.stdout, '');
  assert.ok(debugLines(result.stderr).length >= 2, result.stderr);
  assert.ok(!result.stderr.includes(wrongKey), 'the key never in clear');
  assert.ok(result.stderr.includes('sk_test_…9876'));
});

test('PHONE_DEBUG=0 (and empty) gives no debug output', async () => {
  const { devId } = seed();
  for (const value of ['0', '']) {
    const result = await phone(['get', devId], { env: { CLERK_SECRET_KEY: DEV_KEY, CLERK_API_URL: dev.url, PHONE_DEBUG: value } });
    assertOk(result, `PHONE_DEBUG=${JSON.stringify(value)}`);
    assert.equal(result.stderr, '', `PHONE_DEBUG=${JSON.stringify(value)}: nothing on stderr`);
    assert.equal(JSON.parse(result.stdout).id, devId);
  }
});

test('PHONE_DEBUG=1 with a profile: the profile key is redacted in the debug lines', async () => {
  const { prodId } = seed();
  const cwd = dir();
  write(join(cwd, '.phonerc.yaml'), twoProfilesYaml());
  const result = await phone(['get', prodId, '--profile', 'prod'], { cwd, env: { PHONE_DEBUG: '1' } });
  assertOk(result);
  assertWentTo(prod, PROD_KEY, 'debug with profile');
  assert.ok(debugLines(result.stderr).length >= 2, result.stderr);
  assert.ok(result.stderr.includes('sk_test_…prd2'));
  assert.ok(!result.stderr.includes(PROD_KEY));
  assert.ok(!result.stdout.includes('[phone debug'));
});
