import { createReadStream, statSync } from 'node:fs';
import type { IO } from '../io.js';
import { escapeForTerminal } from '../output/terminal-text.js';

/**
 * Owns the progress line. Every write of a batch run to stdout or stderr goes through `write`,
 * so on a terminal the line is cleared before anything else is printed and drawn again after it.
 */
export interface Progress {
  tick(failed: boolean): void;
  /** `done` is stream.write's callback: it sees a failed write (ENOSPC). */
  write(stream: NodeJS.WritableStream & { isTTY?: boolean }, text: string, done?: (error?: Error | null) => void): boolean;
  end(): void;
}

export interface ProgressOptions {
  file: string;
  hasHeader: boolean;
  /** How long requests are paused for a rate limit from now (0: not paused). */
  pausedForMs: () => number;
  /** Requests per second leaving now (the pacer's measured pace). */
  pace: () => number;
  /** Debug lines are written past this owner: a line redrawn among them would garble both. */
  debug: boolean;
}

const BAR_WIDTH = 24;
const TERMINAL_REDRAW_MS = 200;
/** Off a terminal (a CI log): one line this often says the run is alive. */
const LOG_INTERVAL_MS = 10_000;
const CLEAR_LINE = '\r\x1b[2K';

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

/** PHONE_PROGRESS_INTERVAL_MS (undocumented, for tests) shortens the log interval. */
function logIntervalMs(env: NodeJS.ProcessEnv): number {
  const value = Number(env.PHONE_PROGRESS_INTERVAL_MS);
  return Number.isInteger(value) && value > 0 ? value : LOG_INTERVAL_MS;
}

/**
 * On a terminal, a line on stderr redrawn in place: done/total, rate, failures, ETA. Elsewhere
 * (a CI log, or with --debug), the same facts as a plain stderr line at a steady interval.
 * While a 429 pauses the run, the line says so instead of showing a rate and a growing ETA.
 */
export function createProgress(io: IO, options: ProgressOptions): Progress {
  const onTerminal = Boolean(io.stderr.isTTY) && !options.debug;
  const started = performance.now();
  let done = 0;
  let failed = 0;
  let total: number | undefined;
  let shown = false;
  // Only a regular file can be read twice; a second reader of a pipe would take rows away.
  const { file, hasHeader } = options;
  if (file !== '-' && statSync(file, { throwIfNoEntry: false })?.isFile()) countRows(file, hasHeader, (count) => (total = count));

  const describe = (): string[] => {
    const elapsed = (performance.now() - started) / 1000;
    const rate = elapsed > 0 ? done / elapsed : 0;
    const parts: string[] = [];
    if (total) {
      const filled = Math.min(BAR_WIDTH, Math.round((done / total) * BAR_WIDTH));
      parts.push(
        `${onTerminal ? `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ` : ''}${done}/${total}${onTerminal ? '' : ' rows'}`,
      );
    } else parts.push(`${done} rows`);
    const paused = options.pausedForMs();
    if (paused > 0) parts.push(`rate limited: resuming in ${Math.ceil(paused / 1000)} s`);
    // The pace requests leave at now; the ETA goes by the rows done so far.
    else parts.push(`${Math.round(options.pace())}/s`);
    parts.push(`failed ${failed}`);
    if (total && rate > 0 && paused <= 0) parts.push(`ETA ${duration((total - done) / rate)}`);
    return parts;
  };
  const draw = () => {
    if (onTerminal) {
      // Our own erase-line only; whatever the line shows is escaped.
      io.stderr.write(`${CLEAR_LINE}${escapeForTerminal(describe().join('  '))}`);
      shown = true;
    } else io.stderr.write(`progress: ${escapeForTerminal(describe().join(', '))}\n`);
  };
  const clear = () => {
    if (!shown) return;
    io.stderr.write(CLEAR_LINE);
    shown = false;
  };
  const timer = setInterval(draw, onTerminal ? TERMINAL_REDRAW_MS : logIntervalMs(io.env));
  timer.unref();
  let ended = false;
  return {
    tick(rowFailed) {
      done++;
      if (rowFailed) failed++;
    },
    write(stream, text, done) {
      // A stdout that is a file or a pipe does not share the line; a terminal stdout does.
      const sharesLine = shown && (stream === io.stderr || Boolean(stream.isTTY));
      if (sharesLine) clear();
      const flushed = done ? stream.write(text, done) : stream.write(text);
      if (sharesLine && !ended) draw();
      return flushed;
    },
    end() {
      ended = true;
      clearInterval(timer);
      clear();
    },
  };
}
