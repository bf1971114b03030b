// Issue 13 (config) and the rest of issue 12: the project file and the user file merge key by key,
// a config file's output is the terminal's default only, a 401 names the key's source, and errors
// raised before settings exist never show a key. Black box: the built CLI against a fake Clerk.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { startFakeClerk, type FakeClerk } from './fake-clerk/server.ts';
import { errorJson } from './helpers/results.ts';
import { runCli, tempDir, type CliResult, type RunOptions } from './helpers/run-cli.ts';

const KEY = 'sk_test_mergeinstance0000000000000000000000key1';
const WRONG_KEY = 'sk_test_wrongwrongwrong000000000000000000000bad9';
let clerk: FakeClerk;

before(async () => {
  clerk = await startFakeClerk({ secretKey: KEY });
});
beforeEach(() => clerk.reset());
after(() => clerk.close());

/** A project directory and a home whose user config folder the CLI reads. */
function world(): { cwd: string; home: string; userFile: (name?: string) => string; env: Record<string, string | undefined> } {
  const root = realpathSync(tempDir('phone-merge-'));
  const cwd = join(root, 'project');
  const home = join(root, 'home');
  mkdirSync(cwd, { recursive: true });
  const env = {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    CLERK_SECRET_KEY: undefined,
    CLERK_API_URL: undefined,
    PHONE_PROFILE: undefined,
  };
  return { cwd, home, userFile: (name = 'config.yaml') => join(home, '.config', 'phone', name), env };
}

function write(path: string, content: string | object): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o600 });
  return path;
}

function phone(args: string[], options: RunOptions): Promise<CliResult> {
  return runCli(args, options);
}

type Shown = Record<string, { value: unknown; source: string | null }> & { configFiles: string[] };

async function shownConfig(args: string[], options: RunOptions): Promise<Shown> {
  // Piped: JSON by default.
  const result = await phone(['config', ...args], options);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout) as Shown;
}

function seed(): string {
  return clerk.addPhoneNumber(clerk.addUser().id, '+12015550100').id;
}

// ---------------------------------------------------------------- merging

test('the project file and the user file merge key by key: the key from the user file, the URL and retries from the project', async () => {
  const { cwd, userFile, env } = world();
  const project = write(join(cwd, '.phonerc.json'), { apiUrl: clerk.url, retries: 0 });
  const user = write(userFile(), `secretKey: ${KEY}\nretries: 5\ntimeout: 4000\n`);
  const id = seed();
  const result = await phone(['get', id], { cwd, env });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(JSON.parse(result.stdout).id, id);
  assert.equal(clerk.requests.at(-1)!.headers.authorization, `Bearer ${KEY}`);

  const shown = await shownConfig([], { cwd, env });
  assert.deepEqual(shown.configFiles, [project, user], 'both files, the project file first');
  assert.equal(shown.secretKey!.source, `${user} (secretKey)`);
  assert.equal(shown.apiUrl!.source, `${project} (apiUrl)`);
  assert.deepEqual(shown.retries, { value: 0, source: `${project} (retries)` }, 'the project file wins');
  assert.deepEqual(shown.timeout, { value: 4000, source: `${user} (timeout)` }, 'the user file fills in');
});

test('the environment beats the project file, which beats the user file', async () => {
  const { cwd, userFile, env } = world();
  write(join(cwd, '.phonerc.yaml'), `secretKey: ${WRONG_KEY}\n`);
  write(userFile('config.json'), { secretKey: WRONG_KEY, apiUrl: 'https://api.clerk.com' });
  const shown = await shownConfig([], { cwd, env: { ...env, CLERK_SECRET_KEY: KEY, CLERK_API_URL: clerk.url } });
  assert.deepEqual(shown.secretKey, { value: 'sk_test_…key1', source: 'CLERK_SECRET_KEY' });
  assert.equal(shown.apiUrl!.source, 'CLERK_API_URL');
});

test("the user file's profiles stay available inside a project with its own .phonerc", async () => {
  const { cwd, userFile, env } = world();
  write(join(cwd, '.phonerc.json'), { retries: 0, profiles: { ci: { timeout: 1000 } } });
  write(userFile(), `profiles:\n  dev:\n    secretKey: ${KEY}\n    apiUrl: "${clerk.url}"\n`);
  const id = seed();
  const result = await phone(['get', id, '--profile', 'dev'], { cwd, env });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(clerk.requests.at(-1)!.headers.authorization, `Bearer ${KEY}`);

  const unknown = await phone(['get', id, '--profile', 'nope'], { cwd, env });
  assert.equal(unknown.code, 2);
  const error = errorJson(unknown);
  assert.equal(error.code, 'unknown_profile');
  assert.match(error.message, /ci, dev/, 'the profiles of both files are named');
});

test('a profile defined in both files merges key by key, the project file winning', async () => {
  const { cwd, userFile, env } = world();
  const project = write(join(cwd, '.phonerc.json'), { profiles: { dev: { retries: 1, apiUrl: clerk.url } } });
  const user = write(userFile(), `profiles:\n  dev:\n    secretKey: ${KEY}\n    retries: 9\n    timeout: 2500\n`);
  const shown = await shownConfig(['--profile', 'dev'], { cwd, env });
  assert.deepEqual(shown.retries, { value: 1, source: `${project} (profiles.dev.retries)` });
  assert.deepEqual(shown.timeout, { value: 2500, source: `${user} (profiles.dev.timeout)` });
  assert.equal(shown.secretKey!.source, `${user} (profiles.dev.secretKey)`);
  assert.equal(shown.apiUrl!.source, `${project} (profiles.dev.apiUrl)`);
});

test("a project file's profile still may not point the user's key elsewhere", async () => {
  const { cwd, userFile, env } = world();
  write(join(cwd, '.phonerc.json'), { profiles: { dev: { apiUrl: 'https://elsewhere.example' } } });
  write(userFile(), `profiles:\n  dev:\n    secretKey: ${KEY}\n`);
  const result = await phone(['get', 'idn_1', '--profile', 'dev'], { cwd, env });
  assert.equal(result.code, 2, result.stderr);
  assert.equal(errorJson(result).code, 'untrusted_api_url');
  assert.ok(!result.stderr.includes(KEY));
  assert.equal(clerk.requests.length, 0);
});

test('phone config path marks both files used, in order; phone config on a table names both', async () => {
  const { cwd, userFile, env } = world();
  const project = write(join(cwd, '.phonerc.yaml'), 'retries: 1\n');
  const user = write(userFile('config.json'), { timeout: 1000 });
  const table = await phone(['config', 'path', '-o', 'table'], { cwd, env });
  assert.equal(table.code, 0, table.stderr);
  const starred = table.stdout.split('\n').filter((line) => line.startsWith('*'));
  assert.deepEqual(starred, [`* ${project}`, `* ${user}`]);
  const shown = await phone(['config', '-o', 'table'], { cwd, env });
  assert.ok(shown.stdout.includes(`config files: ${project}, then ${user}`), shown.stdout);
});

// ---------------------------------------------------------------- output

test("a config file's output applies on a terminal only: piped, phone config says why the output is JSON", async () => {
  const { cwd, userFile, env } = world();
  const user = write(userFile(), 'output: table\n');
  const shown = await shownConfig([], { cwd, env });
  assert.equal(shown.output!.value, 'json');
  assert.equal(shown.output!.source, `default (not a terminal; ${user} (output) applies on a terminal only)`);
  const flagged = await phone(['config', '-o', 'jsonl'], { cwd, env });
  assert.equal(JSON.parse(flagged.stdout).output.source, '--output', 'a flag still decides');
});

// ---------------------------------------------------------------- 401

test('a 401 names the key (redacted), where it came from, and what to check', async () => {
  const { cwd, userFile, env } = world();
  const keyFile = write(join(cwd, 'wrong.key'), `${WRONG_KEY}\n`);
  const configFile = write(userFile(), `profiles:\n  dev:\n    secretKey: ${WRONG_KEY}\n`);
  const runs: [string, string[], Record<string, string>][] = [
    ['CLERK_SECRET_KEY', [], { CLERK_SECRET_KEY: WRONG_KEY }],
    [`--secret-key-file ${keyFile}`, ['--secret-key-file', keyFile], {}],
    [`${configFile} (profiles.dev.secretKey)`, ['--profile', 'dev'], {}],
  ];
  for (const [source, args, extra] of runs) {
    const json = await phone(['get', 'idn_1', '--retries', '0', '--api-url', clerk.url, ...args], { cwd, env: { ...env, ...extra } });
    assert.equal(json.code, 4, json.stderr);
    const { message } = errorJson(json);
    assert.ok(message.includes(`sk_test_…bad9 from ${source}`), `${source}: ${message}`);
    assert.match(message, /test \(development\) key/);
    assert.match(message, /API Keys/);
    const table = await phone(['get', 'idn_1', '--retries', '0', '--api-url', clerk.url, '-o', 'table', ...args], {
      cwd,
      env: { ...env, ...extra },
    });
    assert.ok(table.stderr.includes(`from ${source}`), table.stderr);
    for (const text of [json.stdout, json.stderr, table.stdout, table.stderr])
      assert.ok(!text.includes(WRONG_KEY), 'never the key in clear');
  }
});

// ---------------------------------------------------------------- errors before settings

test("commander's own --output choice error never shows a key: CLERK_SECRET_KEY, or anything shaped like one", async () => {
  const odd = 'not-a-clerk-shape-but-secret-0123456789';
  for (const [value, secret] of [
    [KEY, undefined],
    [odd, odd],
  ] as const) {
    const result = await phone(['get', 'idn_1', '--output', value], { env: { CLERK_SECRET_KEY: secret } });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(errorJson(result).code, 'usage');
    assert.ok(!result.stderr.includes(value), result.stderr);
    const table = await phone(['get', 'idn_1', `--output=${value}`, '--no-color'], { env: { CLERK_SECRET_KEY: secret } });
    assert.equal(table.code, 2);
    assert.ok(!table.stderr.includes(value), table.stderr);
  }
});

test('root help says what 403 means now', async () => {
  const help = await phone(['--help'], {});
  assert.equal(help.code, 0);
  assert.match(help.stdout, /4 +authentication: no secret key, 401, or a 403 whose code says the key may not act/);
  assert.match(help.stdout, /any other 403 refuses that request only: exit 1/);
});

// ---------------------------------------------------------------- cosmiconfig, lazily

test('cosmiconfig loads the settings files, and is loaded only when a candidate file exists', async () => {
  const { cwd, userFile, env } = world();
  const loaded = join(cwd, '..', 'loaded.txt');
  // Records which vendor bundles the process required, as it exits.
  const hook = write(
    join(cwd, '..', 'hook.cjs'),
    `const M = require('module'); const seen = new Set(); const load = M._load;
M._load = function (request, ...rest) { if (/vendor[\\\\/]/.test(request)) seen.add(request.replace(/.*vendor[\\\\/]/, '')); return load.call(this, request, ...rest); };
process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(loaded)}, [...seen].sort().join(',')));`,
  );
  const vendors = async (label: string): Promise<string> => {
    const result = await runCli(['config', 'show'], { cwd, env: { ...env, NODE_OPTIONS: `--require ${hook}` } });
    assert.equal(result.code, 0, `${label}: ${result.stderr}`);
    return readFileSync(loaded, 'utf8');
  };
  assert.equal(await vendors('no file'), '', 'no config file: no cosmiconfig');
  write(join(cwd, 'package.json'), { name: 'p', version: '1.0.0' });
  assert.equal(await vendors('package.json without phone'), '', 'a package.json without a phone key: no cosmiconfig');
  write(join(cwd, '.phonerc.json'), { retries: 1 });
  assert.equal(await vendors('JSON file'), 'cosmiconfig.js', 'a JSON file: cosmiconfig, without js-yaml');
  write(userFile(), 'timeout: 1000\n');
  assert.equal(await vendors('YAML file'), 'cosmiconfig.js,js-yaml.js');
});
