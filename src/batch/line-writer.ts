// Result lines of a batch run: each row's line made safe to write, and written with backpressure.
import { usageError } from '../errors.js';
import { errorObject } from '../output/error-report.js';
import type { RowResult, RowStatus } from './run-batch.js';

/** A result line ready to write: its text, the status it carries, and the change it reports (`created idn_…`), if any. */
export interface SerializedLine {
  line: number;
  status: RowStatus;
  text: string;
  change: string | null;
}

const CHANGES: RowStatus[] = ['created', 'updated', 'deleted'];

function canSerialize(value: unknown): boolean {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * A row's result line. One that cannot be serialized (say, a value nested too deep for the stack)
 * becomes a `failed` line with a usage error, keeping the ID of what was done, so the run goes
 * on and a teardown (`delete --file`) still finds the object.
 */
export function serializeResult(result: RowResult): SerializedLine {
  const id = (result.result as { id?: unknown } | null)?.id;
  const change = CHANGES.includes(result.status) && typeof id === 'string' ? `${result.status} ${id}` : null;
  try {
    return { line: result.line, status: result.status, text: `${JSON.stringify(result)}\n`, change };
  } catch (error) {
    const message = `${change ? `${change} but ` : ''}the row's result cannot be written as JSON: ${(error as Error)?.message ?? String(error)}`;
    const failed: RowResult = {
      line: result.line,
      status: 'failed',
      input: canSerialize(result.input) ? result.input : {},
      result: typeof id === 'string' ? { id } : null,
      error: errorObject(usageError(message)),
    };
    return { line: result.line, status: 'failed', text: `${JSON.stringify(failed)}\n`, change };
  }
}

/**
 * Writes result lines, waiting when stdout's buffer is full so memory stays flat. A reader that
 * went away (`| head`, EPIPE) or a failed write (ENOSPC) is told to `onClosed` once: no result
 * can reach anybody any more. After a failed write, each change whose line was lost goes to `onLost`.
 */
export function createLineWriter(
  stdout: NodeJS.WritableStream,
  print: (text: string, done: (error?: Error | null) => void) => boolean,
  onClosed: (error?: Error) => void,
  onLost: (line: SerializedLine) => void,
) {
  let closed = false;
  let failed = false;
  const close = (error?: Error) => {
    if (closed) return;
    closed = true;
    failed = error !== undefined && (error as NodeJS.ErrnoException).code !== 'EPIPE';
    onClosed(failed ? error : undefined);
  };
  stdout.once('close', () => close());
  stdout.once('error', close);
  return async (line: SerializedLine) => {
    if (closed) {
      if (failed) onLost(line);
      return;
    }
    const flushed = print(line.text, (error) => {
      if (!error) return;
      close(error);
      if (failed) onLost(line);
    });
    if (flushed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stdout.off('drain', done);
        stdout.off('close', done);
        resolve();
      };
      stdout.on('drain', done);
      stdout.on('close', done);
    });
  };
}
