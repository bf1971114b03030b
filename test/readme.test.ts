import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir } from './helpers/run-cli.ts';
import { runScript } from './helpers/run-script.ts';

const SCRIPT = join(ROOT, 'scripts', 'readme-help.mjs');

function check(root = ROOT) {
  return runScript(join(root, 'scripts', 'readme-help.mjs'), ['--check'], root);
}

test("the README's command reference is exactly the CLI's --help, for every command", async () => {
  const result = await check();
  assert.equal(result.code, 0, result.output);
  assert.match(result.output, /matches --help for \d+ commands/);
});

test('a README whose reference drifted from --help fails the check', async () => {
  // The script resolves README.md and bin/ next to itself: give it a copy of the tree's top.
  const copy = tempDir();
  mkdirSync(join(copy, 'scripts'));
  copyFileSync(SCRIPT, join(copy, 'scripts', 'readme-help.mjs'));
  symlinkSync(join(ROOT, 'bin'), join(copy, 'bin'));
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  writeFileSync(join(copy, 'README.md'), readme.replace('add a phone number to a user', 'add a number to somebody'));
  const result = await check(copy);
  assert.equal(result.code, 1);
  assert.match(result.output, /differs from the CLI help/);
});
