import { createReadStream, statSync } from 'node:fs';
import type { IO } from '../io.js';
import { escapeForTerminal } from '../output/terminal-text.js';

export interface Progress {
  tick(failed: boolean): void;
  end(): void;
}

const NO_PROGRESS: Progress = { tick() {}, end() {} };
const BAR_WIDTH = 24;

/** Counts a file's rows in the background, for the bar's total; stdin's total stays unknown. */
function countRows(path: string, hasHeader: boolean, onTotal: (total: number) => void): void {
  let lines = 0;
  let last = 10;
  createReadStream(path)
    .on('data', (chunk: string | Buffer) => {
      if (typeof chunk === 'string') return;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      last = chunk[chunk.length - 1] ?? last;
    })
    .on('end', () => onTotal(lines + (last === 10 ? 0 : 1) - (hasHeader ? 1 : 0)))
    .on('error', () => {});
}

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A progress line on stderr, only when stderr is a terminal: done/total, rate, failures, ETA. */
export function createProgress(io: IO, file: string, hasHeader: boolean): Progress {
  if (!io.stderr.isTTY) return NO_PROGRESS;
  const started = performance.now();
  let done = 0;
  let failed = 0;
  let total: number | undefined;
  // Only a regular file can be read twice; a second reader of a pipe would take rows away.
  if (file !== '-' && statSync(file, { throwIfNoEntry: false })?.isFile()) countRows(file, hasHeader, (count) => (total = count));

  const draw = () => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const parts: string[] = [];
    if (total) {
      const filled = Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH));
      parts.push(`[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total}`);
    } else parts.push(`${done} rows`);
    parts.push(`${rate.toFixed(1)}/s`, `failed ${failed}`);
    if (total && rate > 0) parts.push(`ETA ${duration((total - done) / rate)}`);
    // Our own CR and erase-line only; whatever the line shows is escaped.
    io.stderr.write(`\r\x1b[2K${escapeForTerminal(parts.join('  '))}`);
  };
  const timer = setInterval(draw, 200);
  timer.unref();
  return {
    tick(rowFailed) {
      done++;
      if (rowFailed) failed++;
    },
    end() {
      clearInterval(timer);
      io.stderr.write('\r\x1b[2K');
    },
  };
}
