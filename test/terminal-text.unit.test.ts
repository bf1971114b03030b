// The pure pieces behind terminal output and batch reading: escaping, cutting, column fitting,
// bounded lines and the depth check.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { boundedLines, MAX_LINE_BYTES, MAX_SKIPPED_LINE_BYTES, nestsDeeperThan, type NumberedLine } from '../src/batch/bounded-lines.ts';
import { fitWidths, UNCUT_COLUMN_WIDTH } from '../src/output/table-kit.ts';
import { escapeForTerminal, fitCell } from '../src/output/terminal-text.ts';

describe('escapeForTerminal', () => {
  test('C0, DEL, C1 and bidi controls are written out; everything else is left alone', () => {
    assert.equal(escapeForTerminal('a\x1b[2Jb\x07c\rd\ne\tf\x00g\x7fh'), 'a\\x1b[2Jb\\x07c\\rd\\ne\\tf\\x00g\\x7fh');
    assert.equal(escapeForTerminal('\u009b31m\u0085\u202e\u2066\u2069'), '\\u009b31m\\u0085\\u202e\\u2066\\u2069');
    assert.equal(escapeForTerminal('+1 (201) é 日本 😀 \\ —'), '+1 (201) é 日本 😀 \\ —');
  });

  test('keepNewlines keeps only the newline', () => {
    assert.equal(escapeForTerminal('{\n  "a": "\u202e"\r\n}', { keepNewlines: true }), '{\n  "a": "\\u202e"\\r\n}');
  });

  test('no output of it carries a control character, whatever the input', () => {
    let all = '';
    for (let code = 0; code < 0x3000; code++) all += String.fromCharCode(code);
    assert.doesNotMatch(escapeForTerminal(all), /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });
});

describe('fitCell', () => {
  test('short text is unchanged; long text is cut to the width with …', () => {
    assert.equal(fitCell('abc', 3), 'abc');
    assert.equal(fitCell('abcd', 3), 'ab…');
    assert.equal(fitCell('x'.repeat(65536), 10), `${'x'.repeat(9)}…`);
  });

  test('counts code points: an emoji is never split in half', () => {
    assert.equal(fitCell('😀😀😀', 3), '😀😀😀');
    assert.equal(fitCell('😀😀😀😀', 3), '😀😀…');
  });
});

describe('fitWidths', () => {
  test('a table that fits keeps its widths', () => {
    assert.deepEqual(fitWidths([10, 20], 30), [10, 20]);
  });

  test('the widest column gives way first', () => {
    assert.deepEqual(fitWidths([26, 65536], 73), [26, 47]);
    assert.deepEqual(fitWidths([100, 200, 5], 105), [50, 50, 5]);
  });

  test(`columns of ${UNCUT_COLUMN_WIDTH} or fewer are never cut, even when the table then overflows`, () => {
    assert.deepEqual(fitWidths([31, 24, 65536], 58), [31, 24, UNCUT_COLUMN_WIDTH]);
  });
});

async function collect(chunks: (Buffer | string)[]): Promise<NumberedLine[]> {
  const lines: NumberedLine[] = [];
  for await (const line of boundedLines(Readable.from(chunks))) lines.push(line);
  return lines;
}

describe('boundedLines', () => {
  test('splits at \\n across chunks, drops a \\r before it and the BOM, keeps UTF-8 split between chunks whole', async () => {
    const euro = Buffer.from('€');
    const lines = await collect(['\uFEFFa\r\nb', Buffer.concat([Buffer.from('\nc'), euro.subarray(0, 1)]), euro.subarray(1), '\n\nd']);
    assert.deepEqual(lines, [
      { line: 1, text: 'a' },
      { line: 2, text: 'b' },
      { line: 3, text: 'c€' },
      { line: 4, text: '' },
      { line: 5, text: 'd' },
    ]);
  });

  test('a line past MAX_LINE_BYTES is a problem and the next line is read', async () => {
    const lines = await collect(['ok\n', 'x'.repeat(MAX_LINE_BYTES), 'x\nnext\n']);
    assert.deepEqual(lines, [
      { line: 1, text: 'ok' },
      { line: 2, text: '', problem: 'the line is longer than 1 MiB' },
      { line: 3, text: 'next' },
    ]);
  });

  test('a line past MAX_SKIPPED_LINE_BYTES ends the reading', async () => {
    const block = Buffer.alloc(1024 * 1024);
    let sent = 0;
    const endless = new Readable({
      read() {
        sent += block.length;
        this.push(block);
      },
    });
    const lines: NumberedLine[] = [];
    for await (const line of boundedLines(endless)) lines.push(line);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!.problem!, /reading stopped there/);
    assert.ok(sent <= MAX_SKIPPED_LINE_BYTES + 2 * block.length + 16 * 1024 * 1024, `${sent} bytes read`);
  });
});

describe('nestsDeeperThan', () => {
  test('counts arrays and objects, not brackets inside strings', () => {
    assert.equal(nestsDeeperThan('{"a":[{"b":1}]}', 3), false);
    assert.equal(nestsDeeperThan('{"a":[{"b":[1]}]}', 3), true);
    assert.equal(nestsDeeperThan(`{"a":"${'['.repeat(100)}\\"["}`, 1), false);
    assert.equal(nestsDeeperThan('['.repeat(50_000) + ']'.repeat(50_000), 64), true);
  });
});
