import { setFlagsFromString } from 'node:v8';
import type { CommandContext } from '../context.js';
import { ApiError } from '../api/api-error.js';
import type { Pacer } from '../api/pacer.js';
import { runPace } from '../run-pace.js';
import { countUsers, type UserFilters } from '../api/user-pages.js';
import { ExitCode, usageError, type ExitCodeValue } from '../errors.js';
import { onInterrupt } from '../interrupt.js';
import { inventoryPages, type RowFilters } from '../phone/inventory.js';
import { createRowWriter } from '../output/inventory-output.js';
import { createWalkProgress, NO_PROGRESS, type WalkProgress } from '../output/walk-progress.js';

export interface ListAllOptions {
  search?: string;
  status?: string;
  secondFactor?: boolean;
  primary?: boolean;
  /** Read by the settings, as every command's `--rate` is; here only so that list --user-id can refuse it. */
  rate?: string;
}

/** Separators people paste with a number; what is left must be digits, a leading `+` allowed. */
const SEARCH_SEPARATORS = /[\s\-.()]/g;
const SEARCH_PATTERN = /^\+?\d{1,15}$/;
/** Any status Clerk sends (it adds new ones): a word, and a handful of them at most. */
const STATUS_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
const MAX_STATUSES = 10;
/** How long the progress total may hold up the first page, on a terminal. */
const COUNT_TIMEOUT_MS = 3_000;

function parseSearch(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const digits = value.replace(SEARCH_SEPARATORS, '');
  if (!SEARCH_PATTERN.test(digits)) {
    throw usageError(`--search must be 1 to 15 digits, a leading + allowed (e.g. +44 or 555), got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return digits;
}

function parseStatuses(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const statuses = value.split(',').map((status) => status.trim().toLowerCase());
  const bad = statuses.find((status) => !STATUS_PATTERN.test(status));
  if (bad !== undefined || statuses.length > MAX_STATUSES) {
    throw usageError(
      `--status takes up to ${MAX_STATUSES} comma-separated statuses such as verified,unverified,reserved,failed,expired, got ${JSON.stringify(value.slice(0, 60))}`,
    );
  }
  return statuses;
}

/**
 * The progress line, on a terminal and not under --debug (its lines would garble it). The total is
 * for a person watching: without it (an old API, an error, a slow answer) the line just counts. It
 * is asked once, briefly, as the walk waits for it; a Ctrl-C meanwhile ends the walk.
 */
async function startProgress(ctx: CommandContext, filters: UserFilters, pacer: Pacer, signal: AbortSignal): Promise<WalkProgress> {
  if (!ctx.io.stderr.isTTY || ctx.debugEnabled) return NO_PROGRESS;
  const counter = await ctx.client({ pacer, signal, retries: 0, timeoutMs: COUNT_TIMEOUT_MS });
  const total = await countUsers(counter, filters).catch((error: unknown) => {
    if (signal.aborted) throw error;
    return undefined;
  });
  return createWalkProgress(ctx.io.stderr, Boolean(ctx.io.stdout.isTTY), total);
}

/** `phone list --all`: every phone number of the instance, streamed; 130 after Ctrl-C, with the rows read so far written. */
export async function runListAll(ctx: CommandContext, options: ListAllOptions): Promise<ExitCodeValue> {
  // As in batch runs: each page is short-lived garbage at a steady rate, and a young generation
  // left to grow would take memory up with the length of the walk.
  setFlagsFromString('--semi-space-growth-factor=1');
  const filters: UserFilters & RowFilters = {
    phoneNumberQuery: parseSearch(options.search),
    statuses: parseStatuses(options.status),
    secondFactor: options.secondFactor,
    primary: options.primary,
  };
  const settings = await ctx.settings();
  const out = await ctx.output();
  // Paced as batch runs are: a 429 slows the walk and pauses it instead of using up retries.
  const { pacer } = runPace(settings, ctx.debug);
  const interruption = new AbortController();
  const client = await ctx.client({ pacer, signal: interruption.signal });
  const writer = createRowWriter(out);
  let interrupted = false;
  let quitting: Promise<void> | undefined;
  const stopListening = onInterrupt({
    first() {
      interrupted = true;
      interruption.abort();
      pacer.stop();
    },
    // A second Ctrl-C quits at once, the JSON array closed first.
    again: () => (quitting ??= writer.end(false)),
  });
  let users = 0;
  let progress = NO_PROGRESS;
  try {
    progress = await startProgress(ctx, filters, pacer, interruption.signal);
    for await (const page of inventoryPages(client, filters, () => interrupted)) {
      progress.hide();
      const reading = await writer.page(page.rows);
      users += page.users;
      progress.read(page.users);
      if (!reading) break; // stdout's reader went away (`| head`): nobody reads the rest
    }
  } catch (error) {
    const cutShort = interrupted && error instanceof ApiError && error.code === 'interrupted';
    if (!cutShort) {
      progress.end();
      await (quitting ??= writer.end(false));
      throw error;
    }
  } finally {
    stopListening();
  }
  progress.end();
  await (quitting ??= writer.end(!interrupted));
  if (!interrupted) return ExitCode.ok;
  ctx.io.stderr.write(`Interrupted: ${writer.written} phone numbers of ${users} users written\n`);
  return ExitCode.interrupted;
}
