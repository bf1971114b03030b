/**
 * Reading batch input without trusting it: lines of at most MAX_LINE_BYTES, rows nested at most
 * MAX_ROW_DEPTH deep. Past either, that one row fails and the run goes on.
 */

/** The longest line read as a row: a real row is well under 1 kB, so 1 MiB is only ever a broken or hostile file. */
export const MAX_LINE_BYTES = 1024 * 1024;

/**
 * A line past MAX_LINE_BYTES is skipped up to its end; past this many bytes it is taken as
 * endless (`--file -` from /dev/zero) and reading stops there, so the run ends.
 */
export const MAX_SKIPPED_LINE_BYTES = 64 * MAX_LINE_BYTES;

/** Deepest nesting of a JSON row: a row and even a result line of a batch run is a few levels deep. */
export const MAX_ROW_DEPTH = 64;

/** A line of input, numbered from 1 as editors count, or why it cannot be a row. */
export interface NumberedLine {
  line: number;
  text: string;
  problem?: string;
}

const tooLong = `the line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB`;
const endless = `the line is longer than ${MAX_SKIPPED_LINE_BYTES / 1024 / 1024} MiB; reading stopped there, nothing after it was read`;

/**
 * Lines of a stream (split at `\n`, a `\r` before it dropped, a byte-order mark dropped from the
 * first), holding at most MAX_LINE_BYTES of one line in memory whatever the stream sends.
 */
export async function* boundedLines(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<NumberedLine> {
  let line = 1;
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  const finish = (): NumberedLine => {
    if (skipping) return { line, text: '', problem: tooLong };
    const joined = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    let text = joined.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    return { line, text: line === 1 ? text.replace(/^\uFEFF/, '') : text };
  };
  for await (const raw of chunks) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    for (let start = 0; start < chunk.length;) {
      const newline = chunk.indexOf(10, start);
      const end = newline === -1 ? chunk.length : newline;
      size += end - start;
      if (!skipping && size > MAX_LINE_BYTES) {
        skipping = true;
        parts = [];
      }
      if (!skipping) parts.push(chunk.subarray(start, end));
      if (size > MAX_SKIPPED_LINE_BYTES) {
        yield { line, text: '', problem: endless };
        return;
      }
      if (newline === -1) break;
      yield finish();
      line++;
      parts = [];
      size = 0;
      skipping = false;
      start = newline + 1;
    }
  }
  if (size > 0 || skipping) yield finish();
}

/** Whether JSON text nests deeper than `max` arrays and objects; a scan, no recursion, so any depth is safe to ask about. */
export function nestsDeeperThan(json: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const char = json.charCodeAt(i);
    if (inString) {
      if (char === 0x5c) i++;
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > max) return true;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return false;
}
