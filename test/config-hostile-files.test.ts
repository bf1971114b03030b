// Issue 12, config files that are not files, or not settings: FIFOs, devices, directories, huge
// files, YAML alias bombs, keys naming Object members, deep nesting; and issue 11's bounds on
// --timeout and --retries (and their config keys). Every case is exit 2 naming the path, before
// any request. Black box: the built CLI against the fake Clerk, hostile files in temp dirs.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { useFakeClerk } from './helpers/fixture.ts';
import { errorJson } from './helpers/results.ts';
import { ROOT, tempDir, type CliResult, type RunOptions } from './helpers/run-cli.ts';

const clerk = useFakeClerk();
const MiB = 1024 * 1024;
/** A hang or a runaway read shows up as this run limit being hit, not as a timing assertion. */
const LIMIT: RunOptions = { timeoutMs: 15_000 };

function dir(prefix = 'phone-hostile-'): string {
  return realpathSync(tempDir(prefix));
}

function write(path: string, content: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

function mkfifo(t: TestContext, path: string): boolean {
  mkdirSync(dirname(path), { recursive: true });
  try {
    execFileSync('mkfifo', [path]);
    return true;
  } catch (error) {
    const reason = `mkfifo is not available here (${(error as Error).message}): FIFO cases skipped`;
    console.log(reason);
    t.skip(reason);
    return false;
  }
}

/** Exit 2 with code `code`, the path named, one JSON line on stderr, nothing on stdout. */
function assertRefused(result: CliResult, path: string, label: string, code = 'bad_config'): string {
  assert.equal(result.code, 2, `${label}: ${result.stderr}`);
  assert.equal(result.stdout, '', label);
  const error = errorJson(result);
  assert.equal(error.code, code, `${label}: ${result.stderr}`);
  assert.ok(error.message.includes(path), `${label}: names ${path}: ${error.message}`);
  return error.message;
}

// ---------------------------------------------------------------- only regular files, up to 1 MiB

test('a FIFO as a project file, the user config file, --config or --secret-key-file is exit 2 naming it, never a hang', async (t) => {
  const cwd = dir();
  const home = dir('phone-home-');
  const places: [string, string, string[], Record<string, string>][] = [
    ['.phonerc', join(cwd, '.phonerc'), [], {}],
    ['.phonerc.json in a parent', join(cwd, '.phonerc.json'), [], {}],
    ['package.json', join(cwd, 'package.json'), [], {}],
    ['user config', join(home, '.config', 'phone', 'config.yaml'), [], { HOME: home }],
    ['--config', join(cwd, 'fifo.json'), ['--config', join(cwd, 'fifo.json')], {}],
    ['--secret-key-file', join(cwd, 'key.fifo'), ['--secret-key-file', join(cwd, 'key.fifo')], {}],
  ];
  for (const [label, path, flags, env] of places) {
    const runDir = label.includes('parent') ? join(cwd, 'sub') : label === 'user config' ? dir() : cwd;
    mkdirSync(runDir, { recursive: true });
    if (!mkfifo(t, path)) return;
    const result = await clerk.phone(['get', 'idn_1', ...flags], { ...LIMIT, cwd: runDir, env });
    const message = assertRefused(result, path, label, label === '--secret-key-file' ? 'usage' : 'bad_config');
    assert.match(message, /FIFO/, label);
    execFileSync('rm', [path]);
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('a symlink to /dev/zero (a device) or a directory is exit 2 naming the path', async () => {
  const cwd = dir();
  const zeroConfig = join(cwd, 'zero', '.phonerc');
  mkdirSync(dirname(zeroConfig));
  symlinkSync('/dev/zero', zeroConfig);
  const dirConfig = join(cwd, 'dir', '.phonerc.json');
  mkdirSync(dirConfig, { recursive: true });
  const zeroJson = join(cwd, 'zero.json');
  symlinkSync('/dev/zero', zeroJson);
  const cases: [string, string, string[], string, RegExp][] = [
    ['.phonerc → /dev/zero', zeroConfig, [], dirname(zeroConfig), /device/],
    ['.phonerc.json directory', dirConfig, [], dirname(dirConfig), /directory/],
    ['--config → /dev/zero', zeroJson, ['--config', zeroJson], cwd, /device/],
    ['--config a directory', join(cwd, 'dir'), ['--config', join(cwd, 'dir')], cwd, /directory/],
    ['--secret-key-file /dev/zero', '/dev/zero', ['--secret-key-file', '/dev/zero'], cwd, /device/],
    ['--secret-key-file a directory', join(cwd, 'dir'), ['--secret-key-file', join(cwd, 'dir')], cwd, /directory/],
  ];
  for (const [label, path, flags, runDir, kind] of cases) {
    const result = await clerk.phone(['get', 'idn_1', ...flags], { ...LIMIT, cwd: runDir });
    const message = assertRefused(result, path, label, label.startsWith('--secret') ? 'usage' : 'bad_config');
    assert.match(message, kind, label);
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('a file over 1 MiB is exit 2 naming it; one of exactly 1 MiB is read', async () => {
  const settings = JSON.stringify({ secretKey: clerk.server.secretKey, apiUrl: clerk.server.url });
  const exactly = settings + ' '.repeat(MiB - settings.length);
  const phone = clerk.server.addPhoneNumber(clerk.server.addUser().id, '+12015550100');
  const cwd = dir();
  write(join(cwd, '.phonerc.json'), exactly);
  const read = await clerk.phone(['get', phone.id], { cwd, env: { CLERK_SECRET_KEY: undefined, CLERK_API_URL: undefined } });
  assert.equal(read.code, 0, read.stderr);

  const over = `${exactly} `;
  const cases: [string, string, string[]][] = [
    ['.phonerc.json', write(join(cwd, 'big', '.phonerc.json'), over), []],
    ['--config', write(join(cwd, 'big.yaml'), over), ['--config', join(cwd, 'big.yaml')]],
    [
      '--secret-key-file',
      write(join(cwd, 'big.key'), `${clerk.server.secretKey}${' '.repeat(MiB)}`),
      ['--secret-key-file', join(cwd, 'big.key')],
    ],
  ];
  for (const [label, path, flags] of cases) {
    const result = await clerk.phone(['get', phone.id, ...flags], { ...LIMIT, cwd: dirname(path) });
    assert.match(assertRefused(result, path, label, label.startsWith('--secret') ? 'usage' : 'bad_config'), /larger than 1 MiB/, label);
  }
});

// ---------------------------------------------------------------- YAML aliases

/** The "billion laughs": nine levels of nine aliases each, 9^9 strings if expanded. */
function aliasBomb(indent = ''): string {
  const lines = [`${indent}a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]`];
  for (const [index, name] of [...'bcdefghi'].entries()) {
    const previous = 'abcdefghi'[index]!;
    lines.push(`${indent}${name}: &${name} [${Array<string>(9).fill(`*${previous}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

test('a YAML alias bomb is exit 2 with a short message, wherever it sits', async () => {
  const placements: [string, string][] = [
    ['top level', aliasBomb()],
    ['under apiUrl (a value that used to be serialized)', `apiUrl:\n${aliasBomb('  ')}`],
    ['under output', `output:\n${aliasBomb('  ')}`],
    ['in a profile', `profiles:\n  dev:\n    retries:\n${aliasBomb('      ')}`],
    ['a list aliased twice', `bomb: &bomb [[1, 2], [3, 4]]\nlist: [*bomb, *bomb]\n`],
  ];
  for (const [label, content] of placements) {
    const cwd = dir();
    const path = write(join(cwd, '.phonerc.yaml'), content);
    const result = await clerk.phone(['get', 'idn_1'], { ...LIMIT, cwd });
    assert.match(assertRefused(result, path, label), /alias/, label);
    assert.ok(result.stderr.length < 1000, `${label}: a short message, not the value (${result.stderr.length} characters)`);
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('aliases of plain values are fine; merge keys (<<) are unknown keys', async () => {
  const cwd = dir();
  write(join(cwd, '.phonerc.yaml'), `output: &format json\nprofiles:\n  dev:\n    output: *format\n`);
  const shown = await clerk.phone(['config', 'show', '--profile', 'dev'], { cwd });
  assert.equal(shown.code, 0, shown.stderr);
  assert.equal((JSON.parse(shown.stdout) as { output: { value: string } }).output.value, 'json');

  const merged = write(join(cwd, 'merge', '.phonerc.yaml'), `base: &base {retries: 1}\nprofiles:\n  dev:\n    <<: *base\n`);
  assertRefused(await clerk.phone(['config', 'show'], { cwd: dirname(merged) }), merged, 'merge key');
});

test('no error message serializes a whole value: long strings and keys are described by their length', async () => {
  const long = 'x'.repeat(200_000);
  const cases: [string, string][] = [
    ['a long output value', JSON.stringify({ output: long })],
    ['a long unknown key', JSON.stringify({ [long]: 1 })],
    ['a long profile value', JSON.stringify({ profiles: { dev: { apiUrl: [long, long] } } })],
    ['a long unknown profile key', JSON.stringify({ profiles: { dev: { [long]: true } } })],
  ];
  for (const [label, content] of cases) {
    const cwd = dir();
    const path = write(join(cwd, '.phonerc.json'), content);
    const result = await clerk.phone(['get', 'idn_1'], { cwd });
    assertRefused(result, path, label);
    assert.ok(!result.stderr.includes('x'.repeat(100)) && result.stderr.length < 1000, `${label}: ${result.stderr.slice(0, 300)}`);
  }
});

// ---------------------------------------------------------------- keys that name Object members

const OBJECT_MEMBERS = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'toLocaleString',
  '__defineGetter__',
];

test('keys naming Object members are unknown keys wherever they appear: exit 2 naming the key', async () => {
  for (const member of OBJECT_MEMBERS) {
    const places: [string, string, string][] = [
      ['top level', '.phonerc.json', `{${JSON.stringify(member)}: {"secretKey": "sk_test_x"}}`],
      ['top level, YAML', '.phonerc.yaml', `${member}: 1\n`],
      ['profile name', '.phonerc.json', `{"profiles": {${JSON.stringify(member)}: {}}}`],
      ['profile name, YAML', '.phonerc.yml', `profiles:\n  ${member}:\n    retries: 1\n`],
      ['key in a profile', '.phonerc.json', `{"profiles": {"dev": {${JSON.stringify(member)}: "x"}}}`],
      ['inside a value', '.phonerc', `output:\n  ${member}: json\n`],
      ['package.json', 'package.json', `{"name": "x", "phone": {${JSON.stringify(member)}: 1}}`],
    ];
    for (const [where, name, content] of places) {
      const cwd = dir();
      const path = write(join(cwd, name), content);
      const label = `${member} (${where})`;
      const result = await clerk.phone(['get', 'idn_1'], { cwd });
      assert.ok(assertRefused(result, path, label).includes(member), `${label}: names the key: ${result.stderr}`);
    }
  }
  assert.equal(clerk.server.requests.length, 0);
});

test('--profile or PHONE_PROFILE naming an Object member is an unknown profile, not a run with the environment key', async () => {
  const withProfiles = dir();
  write(join(withProfiles, '.phonerc.json'), JSON.stringify({ profiles: { dev: { retries: 0 } } }));
  for (const member of OBJECT_MEMBERS) {
    for (const cwd of [dir(), withProfiles]) {
      for (const [args, env] of [
        [['--profile', member, 'get', 'idn_1'], {}],
        [['get', 'idn_1'], { PHONE_PROFILE: member }],
      ] as const) {
        const result = await clerk.phone([...args], { cwd, env });
        assert.equal(result.code, 2, `${member}: ${result.stderr}`);
        const error = errorJson(result);
        assert.equal(error.code, 'unknown_profile', `${member}: ${result.stderr}`);
        assert.ok(error.message.includes(JSON.stringify(member)), error.message);
      }
    }
  }
  assert.equal(clerk.server.requests.length, 0, 'no request with the environment key');
});

// ---------------------------------------------------------------- deep nesting

test('a config nested 200,000 levels deep is exit 2 (bad_config), not an internal error', async () => {
  const depth = 200_000;
  const cases: [string, string][] = [
    ['.phonerc.json', `${'['.repeat(depth)}${']'.repeat(depth)}`],
    ['.phonerc.json', `{"output": ${'['.repeat(depth)}${']'.repeat(depth)}}`],
    ['.phonerc.json', `${'{"":'.repeat(depth)}1${'}'.repeat(depth)}`],
    ['.phonerc.yaml', `output: ${'['.repeat(depth)}${']'.repeat(depth)}\n`],
    ['.phonerc', `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`],
  ];
  for (const [name, content] of cases) {
    const cwd = dir();
    const path = write(join(cwd, name), content);
    const result = await clerk.phone(['get', 'idn_1'], { ...LIMIT, cwd });
    const message = assertRefused(result, path, `${name} ${content.slice(0, 12)}…`);
    assert.match(message, /nest/, message);
  }
  assert.equal(clerk.server.requests.length, 0);
});

// ---------------------------------------------------------------- --timeout and --retries bounds (issue 11)

test('--timeout takes 1 to 2147483647 ms and --retries 0 to 2147483647; anything else is one JSON usage error line', async () => {
  const refused: [string, string][] = [
    ['--timeout', '0'],
    ['--timeout', '2147483648'],
    ['--timeout', '3000000000'],
    ['--timeout', '99999999999999999999'],
    ['--timeout', '1e3'],
    ['--timeout', '-1'],
    ['--retries', '2147483648'],
    ['--retries', '99999999999999999999'],
    ['--retries', '1.5'],
  ];
  for (const [flag, value] of refused) {
    const result = await clerk.phone(['get', 'idn_1', flag, value]);
    const label = `${flag} ${value}`;
    assert.equal(result.code, 2, `${label}: ${result.stderr}`);
    const error = errorJson(result);
    assert.equal(error.code, 'usage', label);
    assert.ok(error.message.includes(flag) && error.message.includes('2147483647'), `${label}: ${error.message}`);
  }
  assert.equal(clerk.server.requests.length, 0);

  for (const [flag, value] of [
    ['--timeout', '1'],
    ['--timeout', '2147483647'],
    ['--retries', '0'],
    ['--retries', '2147483647'],
  ]) {
    const result = await clerk.phone(['config', 'show', flag!, value!]);
    assert.equal(result.code, 0, `${flag} ${value}: ${result.stderr}`);
    assert.equal(result.stderr, '', `${flag} ${value}: no Node warning`);
  }
  const phone = clerk.server.addPhoneNumber(clerk.server.addUser().id, '+12015550100');
  const longest = await clerk.phone(['get', phone.id, '--timeout', '2147483647']);
  assert.equal(longest.code, 0, longest.stderr);
  assert.equal(longest.stderr, '', 'no TimeoutOverflowWarning');
});

test('the config keys timeout and retries have the same bounds', async () => {
  const refused = [
    { timeout: 0 },
    { timeout: 2147483648 },
    { timeout: 3000000000 },
    { timeout: 1e21 },
    { retries: 2147483648 },
    { retries: -1 },
    { profiles: { dev: { timeout: 3000000000 } } },
  ];
  for (const settings of refused) {
    const cwd = dir();
    const path = write(join(cwd, '.phonerc.json'), JSON.stringify(settings));
    const result = await clerk.phone(['get', 'idn_1'], { cwd });
    assert.match(assertRefused(result, path, JSON.stringify(settings)), /from \d+ to 2147483647/);
  }
  const cwd = dir();
  write(join(cwd, '.phonerc.json'), JSON.stringify({ timeout: 2147483647, retries: 2147483647 }));
  const shown = await clerk.phone(['config', 'show'], { cwd });
  assert.equal(shown.code, 0, shown.stderr);
  const settings = JSON.parse(shown.stdout) as { timeout: { value: number }; retries: { value: number } };
  assert.deepEqual([settings.timeout.value, settings.retries.value], [2147483647, 2147483647]);
});

// ---------------------------------------------------------------- import graph

test('the config modules import one another in one direction only (no cycle)', () => {
  const src = join(ROOT, 'src');
  const modules = readdirSync(src).filter((name) => /^(config|regular-file|redact|api-url|validate)[\w-]*\.ts$/.test(name));
  const imports = new Map(
    modules.map((name) => [
      name,
      [...readFileSync(join(src, name), 'utf8').matchAll(/from '\.\/([\w-]+)\.js'|import\('\.\/([\w-]+)\.js'\)/g)]
        .map((m) => `${m[1] ?? m[2]}.ts`)
        .filter((target) => modules.includes(target)),
    ]),
  );
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (done.has(name)) return;
    assert.ok(!visiting.has(name), `import cycle: ${[...path, name].join(' → ')}`);
    visiting.add(name);
    for (const target of imports.get(name) ?? []) visit(target, [...path, name]);
    visiting.delete(name);
    done.add(name);
  };
  for (const name of modules) visit(name, []);
  assert.ok(modules.includes('config-files.ts') && modules.includes('config-parse.ts'), modules.join(', '));
});
