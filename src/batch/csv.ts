/**
 * A streaming CSV reader (RFC 4180: commas, double quotes, "" inside quotes, quoted fields over
 * several lines) that knows the line every record starts on and fails one record at a time:
 * csv-parse's error recovery drops or doubles records around a stray quote, and every row of a
 * batch must get exactly one result line.
 */
import type { NumberedLine } from './bounded-lines.js';

export type CsvRecord = { line: number; fields: string[]; problem?: undefined } | { line: number; fields?: undefined; problem: string };

/** A quoted field may run over this many lines; past it, or at the end of the input, its quote is taken as broken. */
const MAX_RECORD_LINES = 20;

interface Scan {
  fields: string[];
  field: string;
  inQuotes: boolean;
  /** A quoted field just ended: only a comma or the end of the line may follow. */
  closed: boolean;
}

const freshScan = (): Scan => ({ fields: [], field: '', inQuotes: false, closed: false });

/** Scans one physical line into the record; returns a problem, or null (the record goes on while `inQuotes`). */
function scanLine(text: string, scan: Scan): string | null {
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (scan.inQuotes) {
      if (char !== '"') scan.field += char;
      else if (text[i + 1] === '"') {
        scan.field += '"';
        i++;
      } else {
        scan.inQuotes = false;
        scan.closed = true;
      }
    } else if (char === ',') {
      scan.fields.push(scan.field);
      scan.field = '';
      scan.closed = false;
    } else if (scan.closed) {
      if (char.trim() !== '') return `unexpected text after the closing quote in column ${scan.fields.length + 1}`;
    } else if (char === '"') {
      if (scan.field.trim() !== '')
        return `unexpected quote in column ${scan.fields.length + 1} (quote the whole field, and double quotes inside it)`;
      scan.field = '';
      scan.inQuotes = true;
    } else scan.field += char;
  }
  if (scan.inQuotes) scan.field += '\n';
  else scan.fields.push(scan.field);
  return null;
}

/** Records from numbered lines; blank lines between records are not records, a line too long to read fails its record. */
export async function* parseCsv(lines: AsyncIterable<NumberedLine>): AsyncGenerator<CsvRecord> {
  const pending: NumberedLine[] = [];
  const source = lines[Symbol.asyncIterator]();
  const next = async (): Promise<NumberedLine | undefined> =>
    pending.shift() ?? ((step) => (step.done ? undefined : step.value))(await source.next());

  for (let first = await next(); first; first = await next()) {
    if (first.problem === undefined && first.text.trim() === '') continue;
    const scan = freshScan();
    const taken: NumberedLine[] = [first];
    let problem = first.problem ?? scanLine(first.text, scan);
    while (!problem && scan.inQuotes) {
      const more = taken.length < MAX_RECORD_LINES ? await next() : undefined;
      if (!more) {
        problem = `the quote opened in column ${scan.fields.length + 1} is never closed`;
        // The lines after the broken one are read again as records of their own.
        pending.unshift(...taken.slice(1));
        break;
      }
      taken.push(more);
      problem = more.problem ?? scanLine(more.text, scan);
    }
    yield problem ? { line: first.line, problem } : { line: first.line, fields: scan.fields };
  }
}
