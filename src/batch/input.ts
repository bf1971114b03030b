import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import { CliError, ExitCode } from '../errors.js';
import { ID_PATTERN } from '../validate.js';

import type { InputFormat } from './formats.js';
import { boundedLines, MAX_ROW_DEPTH, nestsDeeperThan, type NumberedLine } from './bounded-lines.js';
import { parseCsv } from './csv.js';

export type { InputFormat };

/** One input row: its raw fields, or why it could not be read. `line` is 1-based, as editors count. */
export interface InputRow {
  line: number;
  fields: Record<string, unknown>;
  problem?: string;
  /** About how much text the row was, for bounding the rows read ahead. */
  bytes?: number;
}

export interface RowSchema {
  /** Column names a CSV header must have. */
  required: string[];
  /** Other columns it may have; anything else makes the file unreadable. Null: any. */
  optional: string[] | null;
  /** A JSONL line that is a bare ID (`idn_123`) stands for `{"id": …}` (delete's "an id per line"). */
  bareIds: boolean;
}

export interface RowSource {
  format: InputFormat;
  rows: AsyncIterable<InputRow>;
}

function unreadable(path: string, message: string): CliError {
  return new CliError(`cannot read ${path === '-' ? 'standard input' : path}: ${message}`, ExitCode.usage, 'unreadable_input');
}

/** A bare line `delete` reads as `{"id": …}`: an ID, or a `+E164` number as `phone delete` takes one. */
const BARE_TARGET = new RegExp(`${ID_PATTERN.source}|^\\+[0-9 ().-]+$`);

function formatFromName(path: string): InputFormat | undefined {
  const extension = extname(path).toLowerCase();
  if (extension === '.csv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  return undefined;
}

/** A JSON Lines row, or why the line is not one; `notJson`: not even JSON, which on line 1 means the file is no JSON Lines at all. */
type ParsedLine = { fields: Record<string, unknown>; problem?: undefined } | { problem: string; notJson: boolean };

function parseJsonLine(text: string, schema: RowSchema): ParsedLine {
  const trimmed = text.trim();
  if (schema.bareIds && BARE_TARGET.test(trimmed)) return { fields: { id: trimmed } };
  // Checked before parsing: JSON.parse takes any depth, but writing such a row back out (its result line) would overflow the stack.
  if (nestsDeeperThan(trimmed, MAX_ROW_DEPTH)) return { problem: `the row is nested deeper than ${MAX_ROW_DEPTH} levels`, notJson: false };
  let value: unknown;
  const notJson = {
    problem: `not a JSON object${schema.bareIds ? ' or an ID' : ''}: ${trimmed.length > 60 ? `${trimmed.slice(0, 60)}…` : trimmed}`,
    notJson: true,
  };
  try {
    value = JSON.parse(trimmed);
  } catch {
    return notJson;
  }
  if (schema.bareIds && typeof value === 'string') return { fields: { id: value } };
  if (!value || typeof value !== 'object' || Array.isArray(value)) return notJson;
  return { fields: value as Record<string, unknown> };
}

function rowFromLine(line: NumberedLine, schema: RowSchema): { row: InputRow; notJson: boolean } {
  if (line.problem !== undefined) return { row: { line: line.line, fields: {}, problem: line.problem }, notJson: false };
  const parsed = parseJsonLine(line.text, schema);
  return parsed.problem === undefined
    ? { row: { line: line.line, fields: parsed.fields, bytes: line.text.length }, notJson: false }
    : { row: { line: line.line, fields: {}, problem: parsed.problem }, notJson: parsed.notJson };
}

/** Blank lines are not rows; a line too long to read is one, whatever it held. */
async function* nonBlank(lines: AsyncIterable<NumberedLine>): AsyncGenerator<NumberedLine> {
  for await (const line of lines) if (line.problem !== undefined || line.text.trim() !== '') yield line;
}

async function* jsonlRows(first: InputRow, rest: AsyncIterator<NumberedLine>, schema: RowSchema) {
  yield first;
  for (let step = await rest.next(); !step.done; step = await rest.next()) yield rowFromLine(step.value, schema).row;
}

async function openJsonl(path: string, source: AsyncIterable<NumberedLine>, schema: RowSchema): Promise<RowSource> {
  const lines = nonBlank(source)[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) return { format: 'jsonl', rows: (async function* () {})() };
  const { row, notJson } = rowFromLine(first.value, schema);
  if (notJson) {
    const array = first.value.text.trim().startsWith('[') ? ' (a JSON array: phone list --all -o jsonl writes JSON Lines)' : '';
    throw unreadable(
      path,
      `line ${row.line} is ${row.problem}${array}; expected JSON Lines (one object a line) or CSV with a header row (--format csv)`,
    );
  }
  return { format: 'jsonl', rows: jsonlRows(row, lines, schema) };
}

async function openCsv(path: string, source: AsyncIterable<NumberedLine>, schema: RowSchema): Promise<RowSource> {
  const records = parseCsv(source)[Symbol.asyncIterator]();
  const head = await records.next();
  if (head.done) return { format: 'csv', rows: (async function* () {})() };
  if (head.value.problem !== undefined) throw unreadable(path, `the CSV header (line ${head.value.line}): ${head.value.problem}`);
  const header = head.value.fields.map((name) => name.trim());
  const missing = schema.required.filter((name) => !header.includes(name));
  const unknown = schema.optional ? header.filter((name) => !schema.required.includes(name) && !schema.optional!.includes(name)) : [];
  const repeated = new Set(header).size !== header.length;
  if (missing.length || unknown.length || repeated) {
    const problems = [
      missing.length ? `missing column ${missing.join(', ')}` : '',
      unknown.length ? `unknown column ${unknown.join(', ')}` : '',
      repeated ? 'a column appears twice' : '',
    ].filter(Boolean);
    const known = [...schema.required, ...(schema.optional ?? [])].join(', ');
    throw unreadable(path, `the CSV header (line ${head.value.line}) has ${problems.join('; ')} (columns: ${known})`);
  }

  async function* rows(): AsyncGenerator<InputRow> {
    for await (const record of { [Symbol.asyncIterator]: () => records }) {
      if (record.problem !== undefined) yield { line: record.line, fields: {}, problem: `CSV: ${record.problem}` };
      else if (record.fields.length !== header.length) {
        yield { line: record.line, fields: {}, problem: `CSV: the row has ${record.fields.length} fields, the header ${header.length}` };
      } else {
        const fields = Object.fromEntries(header.map((name, index) => [name, record.fields[index]]));
        yield { line: record.line, fields, bytes: record.fields.reduce((sum, field) => sum + field.length, 0) };
      }
    }
  }
  return { format: 'csv', rows: rows() };
}

/**
 * Neither flag nor file name tells: a first line that starts with `{` (or a bare ID) is JSON Lines,
 * anything else a CSV header. One that starts with `[` is JSON too (a JSON array, as `phone list`
 * writes by default when piped), refused as JSON Lines are, not as a CSV header named `[`.
 */
function formatOfFirstLine(text: string, schema: RowSchema): InputFormat {
  const first = text.trim();
  return first.startsWith('{') || first.startsWith('[') || (schema.bareIds && BARE_TARGET.test(first)) ? 'jsonl' : 'csv';
}

/**
 * The format the first non-blank line shows, and every line read so far put back in front: a
 * pipe or standard input cannot be read twice, so it is read once and what was read replayed.
 */
async function sniffLines(
  lines: AsyncIterable<NumberedLine>,
  schema: RowSchema,
): Promise<{ format: InputFormat; lines: AsyncIterable<NumberedLine> }> {
  const iterator = lines[Symbol.asyncIterator]();
  const seen: NumberedLine[] = [];
  let step = await iterator.next();
  while (!step.done && step.value.text.trim() === '') {
    seen.push(step.value);
    step = await iterator.next();
  }
  if (!step.done) seen.push(step.value);
  const format = step.done ? 'jsonl' : formatOfFirstLine(step.value.text, schema);
  async function* replayed(): AsyncGenerator<NumberedLine> {
    yield* seen;
    if (step.done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { format, lines: replayed() };
}

/** Opens a batch input; throws (exit 2) when it cannot be read as a whole, before any request. */
export async function openRowSource(path: string, format: InputFormat | undefined, schema: RowSchema, stdin: Readable): Promise<RowSource> {
  let stream: Readable = stdin;
  let chosen = format ?? formatFromName(path);
  if (path !== '-') {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw unreadable(path, error.code === 'ENOENT' ? 'no such file' : error.message);
    });
    if (!info.isFile() && !info.isFIFO()) throw unreadable(path, info.isDirectory() ? 'it is a directory' : 'not a regular file');
    const file = createReadStream(path);
    await new Promise<void>((resolve, reject) => {
      file.once('open', () => resolve());
      file.once('error', (error: NodeJS.ErrnoException) => reject(unreadable(path, error.message)));
    });
    stream = file;
  }
  let lines: AsyncIterable<NumberedLine> = boundedLines(stream);
  if (chosen === undefined) ({ format: chosen, lines } = await sniffLines(lines, schema));
  return chosen === 'csv' ? openCsv(path, lines, schema) : openJsonl(path, lines, schema);
}
