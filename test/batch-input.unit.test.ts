import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, test } from 'node:test';
import { openRowSource, type InputRow, type RowSchema, type RowSource } from '../src/batch/input.ts';
import {
  CREATE_SCHEMA,
  DELETE_SCHEMA,
  UPDATE_SCHEMA,
  createRequestFromRow,
  deleteTargetFromRow,
  updateRequestFromRow,
} from '../src/batch/rows.ts';
import { CliError, ExitCode } from '../src/errors.ts';
import { assertThrowsUsage } from './helpers/common.ts';
import { tempDir } from './helpers/run-cli.ts';

// ---------------------------------------------------------------- helpers

const noStdin = () => Readable.from([]);

function file(name: string, content: string | Buffer): string {
  const path = join(tempDir('phone-input-'), name);
  writeFileSync(path, content);
  return path;
}

/** The rows read, without `bytes` (the size the run bounds its read-ahead by, checked apart). */
async function collect(source: RowSource): Promise<InputRow[]> {
  const rows: InputRow[] = [];
  for await (const { bytes, ...row } of source.rows) {
    if (!row.problem) assert.equal(typeof bytes, 'number', `line ${row.line} has its size`);
    rows.push(row);
  }
  return rows;
}

async function read(path: string, schema: RowSchema = CREATE_SCHEMA, format?: 'jsonl' | 'csv', stdin: Readable = noStdin()) {
  const source = await openRowSource(path, format, schema, stdin);
  return { format: source.format, rows: await collect(source) };
}

/** Rejects with the whole-input error: a CliError with exit 2. */
async function assertUnreadable(promise: Promise<unknown>, pattern?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof CliError, `a CliError, got ${String(error)}`);
    assert.equal(error.exitCode, ExitCode.usage);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

const ok = (line: number, fields: Record<string, unknown>): InputRow => ({ line, fields });

// ---------------------------------------------------------------- JSON Lines

describe('openRowSource: JSON Lines', () => {
  test('reads objects with their 1-based file line numbers; blank lines are not rows but count', async () => {
    const path = file(
      'seed.jsonl',
      '{"user_id":"u1","phone_number":"+12015550100"}\n\n   \n{"user_id":"u2","phone_number":"+12015550101","verified":true}\n',
    );
    const { format, rows } = await read(path);
    assert.equal(format, 'jsonl');
    assert.deepEqual(rows, [
      ok(1, { user_id: 'u1', phone_number: '+12015550100' }),
      ok(4, { user_id: 'u2', phone_number: '+12015550101', verified: true }),
    ]);
  });

  test('a last line without a newline, CRLF line ends and a BOM are all fine', async () => {
    const path = file('seed.ndjson', '\uFEFF{"a":1}\r\n{"b":2}\r\n{"c":3}');
    const { format, rows } = await read(path);
    assert.equal(format, 'jsonl');
    assert.deepEqual(rows, [ok(1, { a: 1 }), ok(2, { b: 2 }), ok(3, { c: 3 })]);
  });

  test('a bad line after the first is a row with a problem, and reading goes on', async () => {
    const path = file('seed.jsonl', '{"a":1}\nnot json\n[1,2]\n"a string"\n42\nnull\n{"b":2}\n');
    const { rows } = await read(path);
    assert.deepEqual(
      rows.map((row) => [row.line, Boolean(row.problem)]),
      [
        [1, false],
        [2, true],
        [3, true],
        [4, true],
        [5, true],
        [6, true],
        [7, false],
      ],
    );
    for (const row of rows.filter((r) => r.problem)) {
      assert.deepEqual(row.fields, {});
      assert.equal(typeof row.problem, 'string');
    }
    assert.deepEqual(rows.at(-1), ok(7, { b: 2 }));
  });

  test('a first line that is not a JSON object makes the input unreadable', async () => {
    await assertUnreadable(read(file('seed.jsonl', 'user_id,phone_number\nu1,+12015550100\n')), /line 1/);
    await assertUnreadable(read(file('seed.jsonl', '[{"a":1}]\n{"a":1}\n')));
    await assertUnreadable(read(file('seed.jsonl', '{"a":1\n')));
    // A bare ID is a row only where a bare ID means something (delete).
    await assertUnreadable(read(file('seed.jsonl', 'idn_123\n')));
  });

  test('the first line is the first non-blank one', async () => {
    const { rows } = await read(file('seed.jsonl', '\n\n{"a":1}\n'));
    assert.deepEqual(rows, [ok(3, { a: 1 })]);
    await assertUnreadable(read(file('seed.jsonl', '\n\nnope\n')), /line 3/);
  });

  test('an empty file, or one of blank lines only, has no rows', async () => {
    assert.deepEqual((await read(file('seed.jsonl', ''))).rows, []);
    assert.deepEqual((await read(file('seed.jsonl', '\n \n\n'))).rows, []);
  });

  test('a missing file is unreadable', async () => {
    await assertUnreadable(read(join(tempDir('phone-input-'), 'nope.jsonl')), /nope\.jsonl/);
    await assertUnreadable(read(join(tempDir('phone-input-'), 'nope.csv')));
    await assertUnreadable(read(join(tempDir('phone-input-'), 'nope'), CREATE_SCHEMA, 'csv'));
  });

  test('a directory is unreadable', async () => {
    await assertUnreadable(read(tempDir('phone-input-')));
  });

  test('stdin (-) is recognised by its first line, as a file is: JSON Lines or a CSV header', async () => {
    const { format, rows } = await read('-', CREATE_SCHEMA, undefined, Readable.from(['{"a":1}\n{"b"', ':2}\n']));
    assert.equal(format, 'jsonl');
    assert.deepEqual(rows, [ok(1, { a: 1 }), ok(2, { b: 2 })]);
    const sniffed = await read('-', CREATE_SCHEMA, undefined, Readable.from(['user_id,phone_number\nu1,+12015550100\n']));
    assert.equal(sniffed.format, 'csv');
    assert.deepEqual(sniffed.rows, [ok(2, { user_id: 'u1', phone_number: '+12015550100' })]);
    const csv = await read('-', CREATE_SCHEMA, 'csv', Readable.from(['user_id,phone_number\nu1,+12015550100\n']));
    assert.equal(csv.format, 'csv');
    assert.deepEqual(csv.rows, [ok(2, { user_id: 'u1', phone_number: '+12015550100' })]);
    await assertUnreadable(read('-', CREATE_SCHEMA, 'jsonl', Readable.from(['user_id,phone_number\n'])), /standard input/);
  });

  test('stdin: blank lines before the first row are skipped for the choice and keep their line numbers', async () => {
    const csv = await read('-', CREATE_SCHEMA, undefined, Readable.from(['\n  \nuser_id,phone_number\n', 'u1,+12015550100\n']));
    assert.equal(csv.format, 'csv');
    assert.deepEqual(csv.rows, [ok(4, { user_id: 'u1', phone_number: '+12015550100' })]);
    const jsonl = await read('-', DELETE_SCHEMA, undefined, Readable.from(['\nidn_1\n{"id":"idn_2"}\n']));
    assert.equal(jsonl.format, 'jsonl');
    assert.deepEqual(jsonl.rows, [ok(2, { id: 'idn_1' }), ok(3, { id: 'idn_2' })]);
    const empty = await read('-', CREATE_SCHEMA, undefined, Readable.from(['\n\n']));
    assert.deepEqual(empty.rows, []);
  });

  test('delete rows: a bare ID or a JSON string stands for {"id": …}', async () => {
    const { format, rows } = await read(file('ids.jsonl', 'idn_1\n  idn_2  \n"idn_3"\n{"id":"idn_4"}\nidn-5\n'), DELETE_SCHEMA);
    assert.equal(format, 'jsonl');
    assert.deepEqual(rows.slice(0, 4), [ok(1, { id: 'idn_1' }), ok(2, { id: 'idn_2' }), ok(3, { id: 'idn_3' }), ok(4, { id: 'idn_4' })]);
    assert.equal(rows[4]!.line, 5);
    assert.ok(rows[4]!.problem, 'idn-5 is neither an ID nor JSON');
  });

  test('delete rows: a bare +E164 number stands for {"id": …} too, also on the first line of stdin', async () => {
    const { format, rows } = await read(file('numbers.txt', '+12015550100\n+1 (201) 555-0101\n+x\n'), DELETE_SCHEMA);
    assert.equal(format, 'jsonl');
    assert.deepEqual(rows.slice(0, 2), [ok(1, { id: '+12015550100' }), ok(2, { id: '+1 (201) 555-0101' })]);
    assert.ok(rows[2]!.problem, '+x is neither a number nor JSON');
    const piped = await read('-', DELETE_SCHEMA, undefined, Readable.from(['+12015550100\n']));
    assert.deepEqual(piped, { format: 'jsonl', rows: [ok(1, { id: '+12015550100' })] });
  });
});

// ---------------------------------------------------------------- format choice

describe('openRowSource: choosing the format', () => {
  test('by extension: .csv is CSV, .jsonl and .ndjson are JSON Lines (case-insensitive)', async () => {
    assert.equal((await read(file('a.CSV', 'user_id,phone_number\n'))).format, 'csv');
    assert.equal((await read(file('a.JSONL', '{"a":1}\n'))).format, 'jsonl');
    assert.equal((await read(file('a.ndjson', '{"a":1}\n'))).format, 'jsonl');
  });

  test('--format wins over the extension', async () => {
    const csvInJsonl = await read(file('a.jsonl', 'user_id,phone_number\nu1,+12015550100\n'), CREATE_SCHEMA, 'csv');
    assert.equal(csvInJsonl.format, 'csv');
    assert.deepEqual(csvInJsonl.rows, [ok(2, { user_id: 'u1', phone_number: '+12015550100' })]);
    const jsonlInCsv = await read(file('a.csv', '{"a":1}\n'), CREATE_SCHEMA, 'jsonl');
    assert.equal(jsonlInCsv.format, 'jsonl');
    assert.deepEqual(jsonlInCsv.rows, [ok(1, { a: 1 })]);
  });

  test('no telling extension: a first line starting with { is JSON Lines, else a CSV header', async () => {
    assert.equal((await read(file('seed.txt', '  {"a":1}\n'))).format, 'jsonl');
    assert.equal((await read(file('seed', '\uFEFF{"a":1}\n'))).format, 'jsonl');
    const csv = await read(file('seed.txt', 'user_id,phone_number\nu1,+12015550100\n'));
    assert.equal(csv.format, 'csv');
    assert.deepEqual(csv.rows, [ok(2, { user_id: 'u1', phone_number: '+12015550100' })]);
    // For delete, a bare ID on the first line means one ID a line.
    const ids = await read(file('ids.txt', 'idn_1\nidn_2\n'), DELETE_SCHEMA);
    assert.equal(ids.format, 'jsonl');
    assert.deepEqual(ids.rows, [ok(1, { id: 'idn_1' }), ok(2, { id: 'idn_2' })]);
  });
});

// ---------------------------------------------------------------- CSV

describe('openRowSource: CSV', () => {
  test('the header is line 1; cells are strings keyed by the header; empty cells are empty strings', async () => {
    const path = file('seed.csv', 'user_id,phone_number,verified\nu1,+12015550100,true\nu2,+12015550101,\n');
    const { format, rows } = await read(path);
    assert.equal(format, 'csv');
    assert.deepEqual(rows, [
      ok(2, { user_id: 'u1', phone_number: '+12015550100', verified: 'true' }),
      ok(3, { user_id: 'u2', phone_number: '+12015550101', verified: '' }),
    ]);
  });

  test('header names are trimmed; the column order does not matter; BOM and CRLF are fine', async () => {
    const { rows } = await read(file('seed.csv', '\uFEFF phone_number , user_id\r\n+12015550100,u1\r\n'));
    assert.deepEqual(rows, [ok(2, { phone_number: '+12015550100', user_id: 'u1' })]);
  });

  test('blank lines are skipped but counted; a quoted cell across two lines keeps the next row on its own line', async () => {
    const csv = [
      'user_id,phone_number',
      'u1,+12015550100',
      '',
      'u2,"+1 201',
      '555 0101"',
      '',
      '',
      'u3,"+1,2015550102"',
      'u4,+12015550103',
    ].join('\n');
    const { rows } = await read(file('seed.csv', `${csv}\n`));
    assert.deepEqual(
      rows.map((row) => [row.line, row.fields.user_id]),
      [
        [2, 'u1'],
        [4, 'u2'],
        [8, 'u3'],
        [9, 'u4'],
      ],
    );
    assert.equal(rows[1]!.fields.phone_number, '+1 201\n555 0101');
    assert.equal(rows[2]!.fields.phone_number, '+1,2015550102');
  });

  test('a row with the wrong number of fields is a row with a problem; later rows are read', async () => {
    const csv = 'user_id,phone_number,verified\nu1,+12015550100\nu2,+12015550101,true,extra\nu3,+12015550102,false\n';
    const { rows } = await read(file('seed.csv', csv));
    assert.deepEqual(
      rows.map((row) => [row.line, Boolean(row.problem)]),
      [
        [2, true],
        [3, true],
        [4, false],
      ],
    );
    assert.deepEqual(rows[0]!.fields, {});
    assert.match(rows[0]!.problem!, /2/);
    assert.deepEqual(rows[2], ok(4, { user_id: 'u3', phone_number: '+12015550102', verified: 'false' }));
  });

  test('a quote never closed fails its own row only; the lines after it are read as rows again', async () => {
    const csv = 'user_id,phone_number\nu1,+12015550100\nu2,"+12015550101\nu3,+12015550102\n';
    const { rows } = await read(file('seed.csv', csv));
    assert.equal(rows.length, 3, JSON.stringify(rows));
    assert.deepEqual(rows[0], ok(2, { user_id: 'u1', phone_number: '+12015550100' }));
    assert.equal(rows[1]!.line, 3);
    assert.match(rows[1]!.problem ?? '', /never closed/);
    assert.deepEqual(rows[2], ok(4, { user_id: 'u3', phone_number: '+12015550102' }));
  });

  test('a quoted field may run over several lines; the record keeps its first line number', async () => {
    const csv = 'user_id,phone_number\n"u\n1",+12015550100\nu2,+12015550101\n';
    const { rows } = await read(file('seed.csv', csv));
    assert.deepEqual(rows, [
      ok(2, { user_id: 'u\n1', phone_number: '+12015550100' }),
      ok(4, { user_id: 'u2', phone_number: '+12015550101' }),
    ]);
  });

  test('a stray quote inside a cell fails that row only: one row per record, later rows keep their line numbers', async () => {
    const csv = [
      'user_id,phone_number',
      'u1,+12015550101',
      'u2,+1201"5550102"',
      '',
      'u3,+12015550103',
      'u4,+1201"5550104"',
      'u5,+12015550105',
    ].join('\n');
    const { rows } = await read(file('seed.csv', `${csv}\n`));
    assert.deepEqual(
      rows.map((row) => [row.line, row.problem ? 'problem' : row.fields.user_id]),
      [
        [2, 'u1'],
        [3, 'problem'],
        [5, 'u3'],
        [6, 'problem'],
        [7, 'u5'],
      ],
      JSON.stringify(rows),
    );
    const consecutive = await read(file('seed.csv', 'user_id,phone_number\nu1,+1201"5550101"\nu2,+1201"5550102"\n'));
    assert.deepEqual(
      consecutive.rows.map((row) => [row.line, Boolean(row.problem)]),
      [
        [2, true],
        [3, true],
      ],
      `each bad row once: ${JSON.stringify(consecutive.rows)}`,
    );
  });

  test('a header without a required column is unreadable, naming the column', async () => {
    await assertUnreadable(read(file('seed.csv', 'user_id,verified\nu1,true\n')), /phone_number/);
    await assertUnreadable(read(file('seed.csv', 'phone_number\n+12015550100\n')), /user_id/);
    await assertUnreadable(read(file('changes.csv', 'verified,primary\ntrue,true\n'), UPDATE_SCHEMA), /\bid\b/);
    await assertUnreadable(read(file('ids.csv', 'phone_number\nx\n'), DELETE_SCHEMA), /\bid\b/);
  });

  test('a header with an unknown or repeated column is unreadable', async () => {
    await assertUnreadable(read(file('seed.csv', 'user_id,phone_number,colour\nu1,+12015550100,red\n')), /colour/);
    await assertUnreadable(read(file('seed.csv', 'user_id,phone_number,user_id\nu1,+12015550100,u2\n')));
    // Delete takes any other column: a CSV export with more columns still works.
    const ids = await read(file('ids.csv', 'id,phone_number\nidn_1,+12015550100\n'), DELETE_SCHEMA);
    assert.deepEqual(ids.rows, [ok(2, { id: 'idn_1', phone_number: '+12015550100' })]);
  });

  test('an empty CSV file has no rows; a header alone has no rows', async () => {
    assert.deepEqual((await read(file('seed.csv', ''))).rows, []);
    assert.deepEqual((await read(file('seed.csv', 'user_id,phone_number\n'))).rows, []);
  });
});

// ---------------------------------------------------------------- rows → requests

describe('createRequestFromRow', () => {
  test('sends user_id and the normalised phone number, and only the fields given', () => {
    assert.deepEqual(createRequestFromRow({ user_id: 'user_1', phone_number: '+1 (201) 555-0100' }), {
      user_id: 'user_1',
      phone_number: '+12015550100',
    });
    assert.deepEqual(
      createRequestFromRow({
        user_id: 'user_1',
        phone_number: '+12015550100',
        verified: true,
        primary: false,
        reserved_for_second_factor: true,
      }),
      { user_id: 'user_1', phone_number: '+12015550100', verified: true, primary: false, reserved_for_second_factor: true },
    );
  });

  test('CSV booleans true/false become booleans; empty and null are not sent', () => {
    assert.deepEqual(
      createRequestFromRow({
        user_id: 'user_1',
        phone_number: '+12015550100',
        verified: 'true',
        primary: 'false',
        reserved_for_second_factor: '',
      }),
      {
        user_id: 'user_1',
        phone_number: '+12015550100',
        verified: true,
        primary: false,
      },
    );
    assert.deepEqual(createRequestFromRow({ user_id: 'user_1', phone_number: '+12015550100', verified: null }), {
      user_id: 'user_1',
      phone_number: '+12015550100',
    });
  });

  test('bad rows are usage errors', () => {
    assertThrowsUsage(() => createRequestFromRow({ phone_number: '+12015550100' }), /user_id/);
    assertThrowsUsage(() => createRequestFromRow({ user_id: 'user_1' }), /phone_number/);
    assertThrowsUsage(() => createRequestFromRow({ user_id: '', phone_number: '+12015550100' }), /user_id/);
    assertThrowsUsage(() => createRequestFromRow({ user_id: 7, phone_number: '+12015550100' }), /user_id/);
    assertThrowsUsage(() => createRequestFromRow({ user_id: 'user_1', phone_number: '2015550100' }));
    assertThrowsUsage(() => createRequestFromRow({ user_id: 'user_1', phone_number: 12015550100 }));
    assertThrowsUsage(() => createRequestFromRow({ user_id: '../users/x', phone_number: '+12015550100' }));
    assertThrowsUsage(() => createRequestFromRow({ user_id: 'user_1', phone_number: '+12015550100', verified: 'yes' }), /verified/);
    assertThrowsUsage(() => createRequestFromRow({ user_id: 'user_1', phone_number: '+12015550100', primary: 1 }), /primary/);
    assertThrowsUsage(() => createRequestFromRow({ user_id: 'user_1', phone_number: '+12015550100', colour: 'red' }), /colour/);
    assertThrowsUsage(() => createRequestFromRow({ user_id: 'user_1', phone_number: '+12015550100', id: 'idn_1' }), /\bid\b/);
  });
});

describe('updateRequestFromRow', () => {
  test('id plus the fields given', () => {
    assert.deepEqual(updateRequestFromRow({ id: 'idn_1', verified: true }), { id: 'idn_1', body: { verified: true } });
    assert.deepEqual(updateRequestFromRow({ id: 'idn_1', primary: 'true', reserved_for_second_factor: 'false', verified: '' }), {
      id: 'idn_1',
      body: { primary: true, reserved_for_second_factor: false },
    });
  });

  test('no field, no id, a bad id or an unknown field are usage errors', () => {
    assertThrowsUsage(() => updateRequestFromRow({ id: 'idn_1' }));
    assertThrowsUsage(() => updateRequestFromRow({ id: 'idn_1', verified: '', primary: null }));
    assertThrowsUsage(() => updateRequestFromRow({ verified: true }), /\bid\b/);
    assertThrowsUsage(() => updateRequestFromRow({ id: 'idn/../x', verified: true }));
    assertThrowsUsage(() => updateRequestFromRow({ id: 'idn_1', verified: true, user_id: 'user_1' }), /user_id/);
    assertThrowsUsage(() => updateRequestFromRow({ id: 'idn_1', verified: 'nope' }), /verified/);
  });
});

describe('deleteTargetFromRow', () => {
  test('an {"id"} row is that ID', () => {
    assert.deepEqual(deleteTargetFromRow({ id: 'idn_1' }), { kind: 'id', id: 'idn_1' });
    assert.deepEqual(deleteTargetFromRow({ id: 'idn_1', phone_number: '+12015550100' }), { kind: 'id', id: 'idn_1' });
  });

  test('an id that is a +E164 number is that number, normalised, to be looked up', () => {
    assert.deepEqual(deleteTargetFromRow({ id: '+1 (201) 555-0100' }), { kind: 'number', phoneNumber: '+12015550100' });
    assertThrowsUsage(() => deleteTargetFromRow({ id: '+1' }), /E\.164/);
  });

  test('a create result line is its result.id, or nothing to delete when it has no result', () => {
    const created = {
      line: 3,
      status: 'created',
      input: { user_id: 'user_1', phone_number: '+12015550100' },
      result: { id: 'idn_9', object: 'phone_number' },
      error: null,
    };
    assert.deepEqual(deleteTargetFromRow(created), { kind: 'id', id: 'idn_9' });
    assert.deepEqual(deleteTargetFromRow({ ...created, status: 'skipped' }), { kind: 'id', id: 'idn_9' });
    const failed = {
      line: 4,
      status: 'failed',
      input: {},
      result: null,
      error: { status: null, code: 'usage', message: 'x', errors: [], clerk_trace_id: null },
    };
    assert.equal(deleteTargetFromRow(failed), null);
  });

  test('a missing or bad ID is a usage error', () => {
    assertThrowsUsage(() => deleteTargetFromRow({}));
    assertThrowsUsage(() => deleteTargetFromRow({ id: '' }));
    assertThrowsUsage(() => deleteTargetFromRow({ id: '../users/user_1' }));
    assertThrowsUsage(() => deleteTargetFromRow({ line: 1, status: 'created', input: {}, result: { id: 'a/b' }, error: null }));
    assertThrowsUsage(() => deleteTargetFromRow({ line: 1, status: 'created', input: {}, result: { id: 5 }, error: null }));
  });
});
