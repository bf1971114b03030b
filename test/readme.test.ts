import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir } from './helpers/run-cli.ts';
import { runScript } from './helpers/run-script.ts';

const SCRIPT = join(ROOT, 'scripts', 'readme-help.mjs');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function check(root = ROOT) {
  return runScript(join(root, 'scripts', 'readme-help.mjs'), ['--check'], root);
}

test("REFERENCE.md is exactly the CLI's --help, for every command", async () => {
  const result = await check();
  assert.equal(result.code, 0, result.output);
  assert.match(result.output, /matches --help for \d+ commands/);
});

test('a REFERENCE.md that drifted from --help fails the check', async () => {
  // The script resolves REFERENCE.md and bin/ next to itself: give it a copy of the tree's top.
  const copy = tempDir();
  mkdirSync(join(copy, 'scripts'));
  copyFileSync(SCRIPT, join(copy, 'scripts', 'readme-help.mjs'));
  symlinkSync(join(ROOT, 'bin'), join(copy, 'bin'));
  const reference = readFileSync(join(ROOT, 'REFERENCE.md'), 'utf8');
  assert.ok(reference.includes('add a phone number to a user'));
  writeFileSync(join(copy, 'REFERENCE.md'), reference.replace('add a phone number to a user', 'add a number to somebody'));
  const result = await check(copy);
  assert.equal(result.code, 1);
  assert.match(result.output, /REFERENCE.md differs from the CLI help/);
});

test('the README stays what a newcomer reads: under 600 lines, the full reference in REFERENCE.md', () => {
  const lines = README.split('\n').length;
  assert.ok(lines < 600, `README.md has ${lines} lines`);
  assert.match(README, /\[REFERENCE\.md\]\(REFERENCE\.md\)/);
});

test("the README's synopsis and global options name every command and global option --help lists", () => {
  const reference = readFileSync(join(ROOT, 'REFERENCE.md'), 'utf8');
  const top = reference.slice(reference.indexOf('## phone\n'), reference.indexOf('## phone create'));
  const commands = [...top.slice(top.indexOf('Commands:')).matchAll(/^ {2}([a-z]+) /gm)]
    .map((m) => m[1]!)
    .filter((name) => name !== 'help');
  const options = [...top.slice(top.indexOf('Options:'), top.indexOf('Commands:')).matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map(
    (m) => m[1]!,
  );
  assert.ok(commands.length >= 9 && options.length >= 12, `read ${commands.length} commands and ${options.length} options`);
  const synopsis = section(README, '## Commands');
  for (const command of commands) assert.match(synopsis, new RegExp(`^phone ${command}\\b`, 'm'), `synopsis lacks ${command}`);
  const globals = section(README, '### Global options');
  for (const option of options) assert.ok(globals.includes(option), `global options table lacks ${option}`);
});

/** The error codes the CLI makes itself, read from the source: errors built with an exit code, and `code:` fields. */
function errorCodesInSource(): Set<string> {
  const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(
    (file) => file.endsWith('.ts') && !file.endsWith('.generated.ts'),
  );
  const codes = new Set<string>();
  for (const file of files) {
    const source = readFileSync(join(ROOT, 'src', file), 'utf8');
    for (const match of source.matchAll(/ExitCode\.\w+,\s*'([a-z][a-z_]*)'/g)) codes.add(match[1]!);
    for (const match of source.matchAll(/\bcode: '([a-z][a-z_]*)'/g)) codes.add(match[1]!);
  }
  // The codes the API client gives an HTTP error that carries none of Clerk's.
  const fallback = /function ownCodeForStatus[\s\S]*?\n}/.exec(readFileSync(join(ROOT, 'src', 'api', 'api-error.ts'), 'utf8'))?.[0] ?? '';
  for (const match of fallback.matchAll(/return '([a-z][a-z_]*)'/g)) codes.add(match[1]!);
  if (fallback.includes('`http_${status}`')) codes.add('http_<status>');
  return codes;
}

function missingFromErrorSection(readme: string, codes: Set<string>): string[] {
  const errors = section(readme, '## Errors and exit codes');
  return [...codes].filter((code) => !errors.includes(`\`${code}\``));
}

test('every error code the source can produce is listed under "Errors and exit codes"', () => {
  const codes = errorCodesInSource();
  // The reading above must find the codes of each kind of error, or this test would pass on nothing.
  for (const known of [
    'usage',
    'bad_config',
    'unknown_profile',
    'unreadable_input',
    'not_found',
    'network',
    'interrupted',
    'not_attempted',
    'http_<status>',
  ]) {
    assert.ok(codes.has(known), `found no ${known} in src/: update errorCodesInSource`);
  }
  assert.deepEqual(missingFromErrorSection(README, codes), []);
  const withoutOne = README.replace('| `unknown_profile` |', '| unknown profile |');
  assert.deepEqual(missingFromErrorSection(withoutOne, codes), ['unknown_profile']);
});

/** The text from a heading to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README has no "${heading}"`);
  const level = heading.indexOf(' ');
  const rest = markdown.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}
