import assert from 'node:assert/strict';
import type { RowResult } from '../../src/batch/run-batch.ts';
import type { ErrorObject } from '../../src/output/error-report.ts';
import type { CliResult } from './run-cli.ts';

export type { ErrorObject };

/** One stdout line of a batch run (`create|update|delete --file`): the source's type, with `result` as the JSON object it is. */
export type ResultLine = Omit<RowResult, 'result'> & { result: Record<string, unknown> | null };

/** Every stdout line parsed as JSON, with the contract's keys; stdout carries nothing else. */
export function resultLines(result: CliResult): ResultLine[] {
  if (result.stdout === '') return [];
  assert.ok(result.stdout.endsWith('\n'), `stdout ends with a newline: ${JSON.stringify(result.stdout.slice(-80))}`);
  return result.stdout
    .slice(0, -1)
    .split('\n')
    .map((text) => {
      const parsed = JSON.parse(text) as ResultLine;
      assert.deepEqual(Object.keys(parsed).sort(), ['error', 'input', 'line', 'result', 'status'], text);
      assert.equal(typeof parsed.line, 'number', text);
      return parsed;
    });
}

/**
 * Result lines keyed by `line`: each expected line exactly once, and no other. `expected` is either the
 * line numbers or a row count, meaning lines 1..count.
 */
export function byLine(result: CliResult, expected: number | number[]): Map<number, ResultLine> {
  const expectedLines = typeof expected === 'number' ? Array.from({ length: expected }, (_, i) => i + 1) : [...expected];
  const map = new Map<number, ResultLine>();
  for (const line of resultLines(result)) {
    assert.ok(!map.has(line.line), `line ${line.line} reported twice:\n${result.stdout}`);
    map.set(line.line, line);
  }
  assert.deepEqual(
    [...map.keys()].sort((a, b) => a - b),
    expectedLines.sort((a, b) => a - b),
    `every input row has exactly one result line\n${result.stderr}`,
  );
  return map;
}

const SUMMARY = /^((?:[a-z]+ \d+, )*failed \d+)((?:, not sent \d+ \([a-z_]+\))*) in \d+\.\ds$/;

/**
 * The summary line, the last line on stderr, as counts: `created 97, skipped 2, failed 1 in 3.4s`, and rows
 * never sent apart by why, `…, failed 1, not sent 279 (interrupted) in 3.4s` → `'not sent (interrupted)': 279`.
 */
export function summary(result: CliResult): Record<string, number> {
  const last = result.stderr.trimEnd().split('\n').at(-1) ?? '';
  const match = SUMMARY.exec(last);
  assert.ok(match, `summary line at the end of stderr, got: ${JSON.stringify(result.stderr.slice(-400))}`);
  const counts = Object.fromEntries(match[1]!.split(', ').map((part) => [part.split(' ')[0]!, Number(part.split(' ')[1])]));
  for (const [, count, reason] of match[2]!.matchAll(/, not sent (\d+) \(([a-z_]+)\)/g)) counts[`not sent (${reason})`] = Number(count);
  return counts;
}

/** The `error` object of a JSON error line (`{"error":{...}}`). */
export function parseErrorLine(text: string): ErrorObject {
  return (JSON.parse(text) as { error: ErrorObject }).error;
}

/** The one JSON error line on stderr (json output: stdout is not a terminal, or `--json`). */
export function errorJson(result: CliResult): ErrorObject {
  const lines = result.stderr.split('\n');
  assert.equal(lines.length, 2, `one line on stderr: ${result.stderr}`);
  return parseErrorLine(lines[0]!);
}
