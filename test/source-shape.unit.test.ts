// Files of src/ stay small enough to read whole (issue 10): a file that grows past the bound is split.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers/run-cli.ts';

const MAX_LINES = 350;
const GENERATED = new Set(['src/api/clerk-api.generated.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

test(`no file of src/ but the generated types is over ${MAX_LINES} lines`, () => {
  const files = sourceFiles(join(ROOT, 'src')).map((path) => relative(ROOT, path));
  assert.ok(files.length > 50, `src/ was read: ${files.length} files`);
  const long = files
    .filter((path) => !GENERATED.has(path))
    .map((path) => ({ path, lines: readFileSync(join(ROOT, path), 'utf8').split('\n').length }))
    .filter(({ lines }) => lines > MAX_LINES);
  assert.deepEqual(long, []);
});
