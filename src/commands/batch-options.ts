import { usageError } from '../errors.js';
import type { InputFormat } from '../batch/formats.js';
import type { BatchOptions } from '../batch/run-batch.js';
import { parsePositiveInteger } from '../validate.js';
import { MAX_IN_FLIGHT } from '../batch/concurrency.js';

/** The flags every `--file` run shares, as commander parsed them. */
export interface BatchFlags {
  file?: string;
  concurrency?: string;
  rate?: string;
  format?: string;
  live?: boolean;
}

/** Without --concurrency the in-flight limit follows the rate and the latency (InFlightLimit). */
export function batchOptions(flags: BatchFlags & { file: string }): BatchOptions {
  const concurrency = flags.concurrency === undefined ? undefined : parsePositiveInteger(flags.concurrency, '--concurrency');
  if (concurrency !== undefined && concurrency > MAX_IN_FLIGHT)
    throw usageError(`--concurrency must be at most ${MAX_IN_FLIGHT}, got ${concurrency}`);
  return {
    file: flags.file,
    concurrency,
    // commander already checked --format against its choices.
    format: flags.format as InputFormat | undefined,
  };
}

/** `--file` replaces the single-row arguments; giving both is a mistake worth stopping on. */
export function rejectWithFile(flags: BatchFlags, given: Record<string, unknown>): void {
  const clashing = Object.entries(given)
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
  if (flags.file !== undefined && clashing.length)
    throw usageError(`--file cannot be combined with ${clashing.join(', ')}: the rows give those`);
  const batchOnly = { '--concurrency': flags.concurrency, '--rate': flags.rate, '--format': flags.format, '--live': flags.live };
  const misplaced = Object.entries(batchOnly).find(([, value]) => value !== undefined);
  if (flags.file === undefined && misplaced) throw usageError(`${misplaced[0]} only applies with --file`);
}
