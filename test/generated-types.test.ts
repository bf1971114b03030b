import assert from 'node:assert/strict';
import { copyFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir } from './helpers/run-cli.ts';
import { runScript } from './helpers/run-script.ts';

const GENERATOR = join(ROOT, 'scripts', 'generate-types.mjs');
const COMMITTED = join(ROOT, 'src', 'api', 'clerk-api.generated.ts');

function check(file?: string) {
  return runScript(GENERATOR, ['--check', ...(file ? [file] : [])]);
}

test('the committed API types are exactly what the spec generates', async () => {
  const result = await check();
  assert.equal(result.code, 0, result.output);
});

test('the check fails when the committed types drift from the spec', async () => {
  const drifted = join(tempDir(), 'clerk-api.generated.ts');
  copyFileSync(COMMITTED, drifted);
  appendFileSync(drifted, 'export type HandWritten = { phone_number: string };\n');
  const result = await check(drifted);
  assert.equal(result.code, 1);
  assert.match(result.output, /differs from what .* generates/);
});
