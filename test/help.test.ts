// Help that teaches (issue 6): Examples in every command's --help, the root help's environment
// and exit codes, suggestions for mistyped commands, and usage on stderr for usage errors.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { parseErrorLine } from './helpers/results.ts';
import { runInProcess } from './helpers/in-process.ts';
import type { CliResult } from './helpers/run-cli.ts';
import { needsTty, runInTty, stripAnsi } from './helpers/tty.ts';

/** No key, no server: help and usage errors must never need either. */
const env = { CLERK_SECRET_KEY: undefined, CLERK_API_URL: undefined, PHONE_PROFILE: undefined, PHONE_DEBUG: undefined };
const phone = (args: string[]) => runInProcess(args, { env });

/** The lines of a help section (`Commands:`, `Examples:`, …): from its heading to the next blank line. */
function section(help: string, heading: string): string[] {
  const lines = help.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) return [];
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    body.push(line);
  }
  return body;
}

/** Command names of a `Commands:` section, without commander's own `help`. */
function commandNames(help: string): string[] {
  return section(help, 'Commands:')
    .filter((line) => /^ {2}\S/.test(line))
    .map((line) => line.trim().split(/\s+/)[0]!)
    .filter((name) => name !== 'help');
}

let rootHelp: CliResult;
/** Every command path, found by walking the `Commands:` sections of the help, e.g. `verify send`. */
const commands: string[][] = [];

before(async () => {
  rootHelp = await phone(['--help']);
  const walk = async (path: string[], help: string) => {
    for (const name of commandNames(help)) {
      const child = [...path, name];
      commands.push(child);
      const childHelp = await phone([...child, '--help']);
      await walk(child, childHelp.stdout);
    }
  };
  await walk([], rootHelp.stdout);
});

function assertExamples(help: string, label: string, path: string[]): void {
  const examples = section(help, 'Examples:');
  assert.ok(examples.length > 0, `${label}: an Examples: section\n${help}`);
  const commandsShown = examples.map((line) => line.trim()).filter((line) => line.startsWith('$ phone'));
  assert.ok(commandsShown.length > 0, `${label}: example lines starting "$ phone"\n${examples.join('\n')}`);
  const name = path.at(-1);
  if (name) {
    assert.ok(
      commandsShown.some((line) => line.split(/\s+/).includes(name)),
      `${label}: an example uses "${path.join(' ')}"\n${examples.join('\n')}`,
    );
  }
}

// ---------------------------------------------------------------- the command list

test('phone --help lists every command of the contract', () => {
  assert.equal(rootHelp.code, 0, rootHelp.stderr);
  const found = commands.map((path) => path.join(' '));
  for (const expected of ['create', 'get', 'list', 'update', 'delete', 'config', 'completion', 'verify send', 'verify check', 'replace']) {
    assert.ok(found.includes(expected), `"${expected}" is found from the help (found: ${found.join(', ')})`);
  }
});

test('phone --help has Examples with "$ phone" lines', () => {
  assert.equal(rootHelp.code, 0);
  assert.equal(rootHelp.stderr, '', 'help goes to stdout');
  assertExamples(rootHelp.stdout, 'phone --help', []);
});

test("every command's --help has an Examples section with $ phone lines", async () => {
  assert.ok(commands.length >= 10, `commands found: ${commands.map((path) => path.join(' ')).join(', ')}`);
  const missing: string[] = [];
  for (const path of commands) {
    const result = await phone([...path, '--help']);
    assert.equal(result.code, 0, `phone ${path.join(' ')} --help: ${result.stderr}`);
    assert.equal(result.stderr, '', `phone ${path.join(' ')} --help: help goes to stdout`);
    assert.match(result.stdout, new RegExp(`^Usage: phone ${path.join(' ')}\\b`), `phone ${path.join(' ')} --help: its own usage`);
    try {
      assertExamples(result.stdout, `phone ${path.join(' ')} --help`, path);
    } catch (error) {
      missing.push((error as Error).message.split('\n')[0]!);
    }
  }
  assert.deepEqual(missing, [], 'commands whose help lacks examples');
});

test('`phone help [command]` shows the same help as `phone [command] --help`, exit 0', async () => {
  const root = await phone(['help']);
  assert.equal(root.code, 0, 'phone help');
  assert.equal(root.stdout, rootHelp.stdout);
  for (const name of ['create', 'delete']) {
    const viaHelp = await phone(['help', name]);
    const viaFlag = await phone([name, '--help']);
    assert.equal(viaHelp.code, 0, `phone help ${name}`);
    assert.equal(viaHelp.stdout, viaFlag.stdout, name);
  }
});

// ---------------------------------------------------------------- the root help

test('the root help lists the commands and the global options', () => {
  const help = rootHelp.stdout;
  const listed = commandNames(help);
  for (const name of ['create', 'get', 'list', 'update', 'delete', 'verify', 'replace', 'config', 'completion']) {
    assert.ok(listed.includes(name), `${name} in Commands:\n${section(help, 'Commands:').join('\n')}`);
  }
  const options = section(help, 'Options:').join('\n');
  for (const option of [
    '--output',
    '--json',
    '--api-url',
    '--config',
    '--secret-key-file',
    '--retries',
    '--timeout',
    '--debug',
    '--no-color',
    '--profile',
    '--version',
    '--help',
  ]) {
    assert.ok(new RegExp(`(^|[\\s,])${option}\\b`, 'm').test(options), `${option} in Options:\n${options}`);
  }
});

test('the root help lists the environment variables read', () => {
  const help = rootHelp.stdout;
  const environment = section(help, 'Environment:');
  assert.ok(environment.length > 0, `an Environment: section\n${help}`);
  for (const name of ['CLERK_SECRET_KEY', 'CLERK_API_URL', 'PHONE_PROFILE', 'NO_COLOR', 'FORCE_COLOR', 'PHONE_DEBUG']) {
    assert.ok(
      environment.some((line) => line.trim().startsWith(`${name} `)),
      `${name} has a line of its own in Environment:\n${environment.join('\n')}`,
    );
  }
});

test('the root help lists the exit codes 0, 1, 2, 3, 4, 5 and 130', () => {
  const codes = section(rootHelp.stdout, 'Exit codes:');
  assert.ok(codes.length > 0, `an Exit codes: section\n${rootHelp.stdout}`);
  const listed = codes.map((line) => /^\s+(\d+)\s+\S/.exec(line)?.[1]).filter(Boolean);
  assert.deepEqual(listed, ['0', '1', '2', '3', '4', '5', '130']);
  const meaning = (code: string) => codes.find((line) => line.trim().startsWith(`${code} `)) ?? '';
  assert.match(meaning('2'), /usage/i);
  assert.match(meaning('3'), /not found/i);
  assert.match(meaning('4'), /auth/i);
  assert.match(meaning('130'), /interrupt/i);
});

test('phone with no command prints the help on stderr and exits 2', async () => {
  const result = await phone([]);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, /^Usage: phone/);
});

// ---------------------------------------------------------------- mistyped commands

for (const [typo, meant] of [
  ['lsit', 'list'],
  ['craete', 'create'],
  ['delte', 'delete'],
  ['confg', 'config'],
] as const) {
  test(`phone ${typo} suggests ${meant}, exit 2`, async () => {
    const json = await phone([typo]);
    assert.equal(json.code, 2, json.stderr);
    assert.equal(json.stdout, '');
    const error = parseErrorLine(json.stderr.split('\n')[0]!);
    assert.equal(error.code, 'usage');
    assert.match(error.message, new RegExp(`\\b${typo}\\b`));
    assert.match(error.message, new RegExp(`Did you mean ${meant}\\?`));

    const table = await phone([typo, '-o', 'table']);
    assert.equal(table.code, 2, table.stderr);
    assert.equal(table.stdout, '');
    assert.match(table.stderr, new RegExp(`Did you mean ${meant}\\?`));
  });
}

test('a mistyped subcommand suggests the nearest one: phone verify sedn', async () => {
  const result = await phone(['verify', 'sedn', 'idn_1', '-o', 'table']);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /Did you mean send\?/);
});

test('a mistyped option suggests the nearest one', async () => {
  const result = await phone(['create', '--user-idd', 'user_1', '-o', 'table']);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /Did you mean --user-id\?/);
});

// ---------------------------------------------------------------- usage on stderr

/** The `Usage: phone <path> …` line on stderr (table mode), or a failure naming what was printed. */
function assertUsage(stderr: string, path: string, label: string): void {
  const usage = stderr.split('\n').find((line) => line.startsWith('Usage: '));
  assert.ok(usage, `${label}: a usage line on stderr:\n${stderr}`);
  assert.match(usage, new RegExp(`^Usage: phone ${path} `), `${label}: the usage of "phone ${path}":\n${stderr}`);
}

test('a usage error on a terminal prints the command usage: phone list without --user-id', needsTty, async () => {
  const result = await runInTty(['list'], { env: { NO_COLOR: '1' } });
  const output = stripAnsi(result.output);
  assert.equal(result.code, 2, output);
  assert.match(output, /--user-id/);
  assertUsage(output, 'list', 'phone list on a terminal');
});

test('a usage error on a terminal prints the command usage: phone get without an argument', needsTty, async () => {
  const result = await runInTty(['get'], { env: { NO_COLOR: '1' } });
  const output = stripAnsi(result.output);
  assert.equal(result.code, 2, output);
  assertUsage(output, 'get', 'phone get on a terminal');
});

const usageErrors: { args: string[]; path: string }[] = [
  { args: ['create', '--bogus'], path: 'create' },
  { args: ['list'], path: 'list' },
  { args: ['get'], path: 'get' },
  { args: ['completion', 'tcsh'], path: 'completion' },
  { args: ['create', '--user-id', 'user_1'], path: 'create' },
  { args: ['update', 'idn_1'], path: 'update' },
  { args: ['delete'], path: 'delete' },
  { args: ['replace', '--user-id', 'user_1'], path: 'replace' },
  { args: ['verify', 'check', 'idn_1', '--verification-id', 'ver_1'], path: 'verify check' },
  { args: ['verify', 'send'], path: 'verify send' },
  { args: ['config', 'path', '--bogus'], path: 'config path' },
];

for (const { args, path } of usageErrors) {
  test(`-o table: phone ${args.join(' ')} is exit 2 with the usage of phone ${path} on stderr`, async () => {
    const result = await runInProcess([...args, '-o', 'table'], {
      env: { ...env, CLERK_SECRET_KEY: 'sk_test_unused00000000000000000000unused', CLERK_API_URL: 'http://127.0.0.1:9' },
    });
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /Error:/);
    assertUsage(result.stderr, path, `phone ${args.join(' ')}`);
  });
}

test('in JSON mode a usage error is one JSON line on stderr, without the usage text', async () => {
  const result = await phone(['create', '--bogus']);
  assert.equal(result.code, 2);
  assert.equal(result.stdout, '');
  const lines = result.stderr.split('\n');
  assert.equal(lines.length, 2, result.stderr);
  const error = parseErrorLine(lines[0]!);
  assert.deepEqual(Object.keys(error).sort(), ['clerk_trace_id', 'code', 'errors', 'message', 'status']);
  assert.equal(error.code, 'usage');
  assert.equal(error.status, null);
  assert.match(error.message, /--bogus/);
});
