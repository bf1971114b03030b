import { setFlagsFromString } from 'node:v8';
import type { ClerkClient } from '../api/client.js';
import { perSecond } from '../api/rate.js';
import { runPace } from '../run-pace.js';
import { isLiveKey, redactIn, redactKey } from '../redact.js';
import { ApiError } from '../api/api-error.js';
import { CliError, ExitCode, usageError, type ExitCodeValue } from '../errors.js';
import { onInterrupt } from '../interrupt.js';
import { errorObject, type ErrorObject } from '../output/error-report.js';
import { openRowSource, type InputFormat, type InputRow, type RowSchema } from './input.js';
import { createProgress } from './progress.js';
import { createLineWriter, serializeResult } from './line-writer.js';
import { resultShaper, withoutKey } from './result-shape.js';
import { Tally } from './summary.js';
import { isMachineOutput } from '../config.js';
import { colorLevel } from '../output/color.js';
import { renderError } from '../output/render-error.js';
import { withKeySource, type CommandContext } from '../context.js';
import { InFlightLimit } from './concurrency.js';
import { HolderLookups } from '../phone/holder-lookups.js';
import { MAX_NUMBERS_PER_LOOKUP } from '../api/users.js';

/** `dry_run`: with --dry-run, the row was valid; its result is the request that would have been sent. */
export type RowStatus = 'created' | 'updated' | 'deleted' | 'skipped' | 'missing' | 'failed' | 'dry_run';

/** One line of batch output: every input row gets exactly one. */
export interface RowResult {
  line: number;
  status: RowStatus;
  input: Record<string, unknown>;
  result: unknown;
  error: ErrorObject | null;
}

export interface RowOutcome {
  status: Exclude<RowStatus, 'failed'>;
  result: unknown;
}

/** What differs between create, update and delete runs. */
export interface BatchJob {
  schema: RowSchema;
  /** The statuses the summary line always names, in order (`failed` is always last). */
  summary: RowStatus[];
  /**
   * Validates the row (throwing a usage error fails it without a request) and returns the work to
   * do. Called as the row is read, ahead of its turn: the numbers it will ask about go to `lookups` now.
   */
  prepare(fields: Record<string, unknown>, lookups: HolderLookups): PreparedRow;
}

export interface PreparedRow {
  run(client: ClerkClient): Promise<RowOutcome>;
  /** What may have happened, and how to check, when the run quits while this row's request is out. */
  ifCutShort: string;
}

export interface BatchOptions {
  file: string;
  format?: InputFormat;
  /** --concurrency; undefined lets the in-flight limit follow the rate and the latency. */
  concurrency?: number;
}

type StopReason = { code: 'interrupted' | 'not_attempted' | 'stdout_closed' | 'output_failed'; message: string; exitCode: ExitCodeValue };

/**
 * A reader that went away (`| head -1`) is not a Ctrl-C (130): the run stops and exits 1, a
 * failure a script with `set -o pipefail` sees, as rows it did not ask to be skipped were not sent.
 */
const STDOUT_CLOSED: StopReason = { code: 'stdout_closed', message: 'not sent: standard output was closed', exitCode: ExitCode.apiRefused };

/** An error of the run's own, no answer behind it: a row not sent, cut short, or failed unexpectedly. */
function ownError(code: string, message: string): ErrorObject {
  return { status: null, code, message, errors: [], clerk_trace_id: null };
}

function stoppedError(reason: StopReason): ErrorObject {
  return ownError(reason.code, reason.message);
}

/** An error no row handler expected: the row fails with it, the run goes on. */
function unexpectedError(error: unknown): ErrorObject {
  return ownError('internal', `unexpected error: ${(error as Error)?.message ?? String(error)}`);
}

/**
 * Rows read and prepared before their turn, so that their numbers are looked up together: two
 * lookups' worth, one being answered while the next gathers. Bounded in bytes too, as a row may be
 * up to 1 MiB.
 */
const READ_AHEAD_ROWS = 2 * MAX_NUMBERS_PER_LOOKUP;
const READ_AHEAD_BYTES = 16 * 1024 * 1024;

/** Runs every row of the input and returns the exit code: 0, 1 when a row failed or stdout closed, 4 on an auth failure, 130 when interrupted. */
export async function runBatch(ctx: CommandContext, job: BatchJob, options: BatchOptions): Promise<ExitCodeValue> {
  // Every row makes short-lived garbage at a steady rate; V8 answers by growing the young
  // generation from 2 MB to 32 MB, so a long run's memory would creep up for its first tens of
  // thousands of rows. Held at its starting size, memory stays flat at no cost in speed (measured).
  setFlagsFromString('--semi-space-growth-factor=1');
  const started = performance.now();
  const settings = await ctx.settings();
  const dryRun = Boolean(ctx.flags.dryRun);
  const shapeResult = resultShaper(ctx.flags, settings.fields);
  if (settings.secretKey && isLiveKey(settings.secretKey.value) && !ctx.flags.live && !dryRun) {
    throw usageError(
      `${redactKey(settings.secretKey.value)} (from ${settings.secretKey.source}) is a production key: a batch run against production needs --live`,
    );
  }
  const secretKey = settings.secretKey?.value;
  const source = await openRowSource(options.file, options.format, job.schema, ctx.io.stdin);
  const { rate, pacer } = runPace(settings, ctx.debug);
  const limit = new InFlightLimit(perSecond(rate), options.concurrency);
  // A stop (Ctrl-C, a refused key, stdout gone) ends every wait at once: a 429's pause, a backoff, a turn at the pacer.
  const interruption = new AbortController();
  const client = await ctx.client({ pacer, onLatency: (ms) => limit.observe(ms), mutating: true, signal: interruption.signal });
  const progress = createProgress(ctx.io, {
    file: options.file,
    hasHeader: source.format === 'csv',
    pausedForMs: () => pacer.pausedForMs(),
    pace: () => pacer.measuredRate(),
    debug: ctx.debugEnabled,
  });
  const say = (text: string) => progress.write(ctx.io.stderr, text);
  let stop: StopReason | undefined;
  const halt = (reason: StopReason): boolean => {
    if (stop) return false;
    stop = reason;
    interruption.abort();
    pacer.stop();
    return true;
  };
  /** The reason read afresh: halt() may set it while a row waits, after `if (stop)` narrowed it for TypeScript. */
  const stoppedNow = (): StopReason | undefined => stop;
  /** The error that stopped the run for authentication, shown as a single command would show it. */
  let authError: ApiError | undefined;
  const write = createLineWriter(
    ctx.io.stdout,
    (text, done) => progress.write(ctx.io.stdout, text, done),
    (error) => {
      if (!error) {
        if (halt(STDOUT_CLOSED)) say('Stopped: standard output was closed (its reader went away); no more rows are sent\n');
        return;
      }
      const failed: StopReason = {
        code: 'output_failed',
        message: `not sent: cannot write output: ${error.message}`,
        exitCode: ExitCode.apiRefused,
      };
      if (halt(failed))
        say(`cannot write output: ${error.message}; stopped sending, and every change whose result line is lost is named here\n`);
    },
    (lost) => {
      if (lost.change) say(`line ${lost.line}: ${lost.change} but could not write the result\n`);
    },
  );
  const tally = new Tally();
  /** Rows whose work has started and whose line is not written yet: what a second Ctrl-C must still report. */
  const inFlight = new Map<InputRow, PreparedRow>();
  let quitting = false;

  const record = async (row: InputRow, status: RowStatus, result: unknown, error: ErrorObject | null, notSentBecause?: string) => {
    if (quitting) return;
    inFlight.delete(row);
    const line = serializeResult({
      line: row.line,
      status,
      input: row.fields,
      result: shapeResult(status, result),
      error: error && withoutKey(error, secretKey),
    });
    tally.add(line.status, notSentBecause);
    progress.tick(line.status === 'failed');
    await write(line);
  };

  const lookups = HolderLookups.using(client);

  /** Prepares the row now (its numbers join the next lookup) and returns what runs it when its turn comes. */
  const begin = (row: InputRow): (() => Promise<void>) => {
    let work: PreparedRow;
    try {
      if (row.problem) throw usageError(row.problem);
      work = job.prepare(row.fields, lookups);
    } catch (error) {
      return () => record(row, 'failed', null, error instanceof CliError ? errorObject(error) : unexpectedError(error));
    }
    return () => runRow(row, work);
  };

  const runRow = async (row: InputRow, work: PreparedRow) => {
    if (stop) return record(row, 'failed', null, stoppedError(stop), stop.code);
    inFlight.set(row, work);
    try {
      const outcome = await work.run(client);
      await record(row, outcome.status, outcome.result, null);
    } catch (error) {
      if (!(error instanceof CliError)) return record(row, 'failed', null, unexpectedError(error));
      // A lookup shared by many rows fails them all with the one error: only the first to see it sent it.
      const stoppedBy = stoppedNow();
      if (error === authError && stoppedBy) return record(row, 'failed', null, stoppedError(stoppedBy), stoppedBy.code);
      if (error instanceof ApiError && error.exitCode === ExitCode.auth && !stop) {
        const refused: StopReason = {
          code: 'not_attempted',
          message: `not sent: an earlier row failed authentication (${error.message})`,
          exitCode: ExitCode.auth,
        };
        if (halt(refused)) authError = error;
      }
      const neverSent = error instanceof ApiError && error.code === 'interrupted' && !error.maybeApplied;
      // A row whose wait a refused key or a closed stdout ended was not sent for that reason, not for a Ctrl-C.
      const reason = stoppedNow();
      if (neverSent && reason && reason.code !== 'interrupted') return record(row, 'failed', null, stoppedError(reason), reason.code);
      await record(row, 'failed', null, errorObject(error), neverSent ? 'interrupted' : undefined);
    }
  };

  const summaryLine = () => tally.line(job.summary, ((performance.now() - started) / 1000).toFixed(1));
  const stopListening = onInterrupt({
    first() {
      halt({ code: 'interrupted', message: 'not started: the run was interrupted', exitCode: ExitCode.interrupted });
      say('\nInterrupted: finishing the requests already sent; press Ctrl-C again to quit at once\n');
    },
    // Quitting at once still reports every row whose request may have reached Clerk, so a teardown from the output misses none.
    async again() {
      // Each record() counts and starts its write at once; `quitting` then keeps a late answer from writing a second line.
      const writes = [...inFlight].map(([row, work]) => record(row, 'failed', null, cutShortError(work)));
      quitting = true;
      await Promise.all(writes);
      say(summaryLine());
      await new Promise<void>((resolve) => ctx.io.stdout.write('', () => resolve()));
    },
  });
  const running = new Set<Promise<void>>();
  /** Rows prepared and waiting for a place in flight, in input order, with their sizes. */
  const waiting: { start: () => Promise<void>; bytes: number }[] = [];
  let waitingBytes = 0;
  const startWaiting = () => {
    while (waiting.length > 0 && running.size < limit.current) {
      const next = waiting.shift()!;
      waitingBytes -= next.bytes;
      const task: Promise<void> = next.start().finally(() => {
        running.delete(task);
        startWaiting();
      });
      running.add(task);
    }
  };
  try {
    for await (const row of source.rows) {
      const bytes = row.bytes ?? 0;
      waiting.push({ start: begin(row), bytes });
      waitingBytes += bytes;
      startWaiting();
      while (running.size > 0 && (waiting.length >= READ_AHEAD_ROWS || waitingBytes >= READ_AHEAD_BYTES)) await Promise.race(running);
    }
    // The last numbers gathered go now, not when the first of their rows needs them.
    lookups.send();
    while (running.size > 0) await Promise.race(running);
  } finally {
    stopListening();
    progress.end();
  }

  if (authError) {
    // As the single command would have printed it, with where the refused key came from.
    const level = colorLevel(ctx.flags.color, ctx.io.env, Boolean(ctx.io.stderr.isTTY));
    const text = await renderError(withKeySource(authError, settings), isMachineOutput(settings.output.value), level);
    ctx.io.stderr.write(redactIn(text, secretKey));
  }
  ctx.io.stderr.write(summaryLine());

  if (stop) return stop.exitCode;
  if (!tally.failed) return ExitCode.ok;
  // A dry run that finds rows it could not send says so as a usage error.
  return dryRun ? ExitCode.usage : ExitCode.apiRefused;
}

function cutShortError(work: PreparedRow): ErrorObject {
  return ownError('interrupted', `quit while the request was on its way: ${work.ifCutShort}`);
}
