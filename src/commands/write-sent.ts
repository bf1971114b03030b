import type { CommandContext } from '../context.js';
import { CliError } from '../errors.js';
import { writeRequestPreview, type OutputTarget } from '../output/output.js';
import { OutputError } from '../output/write-output.js';
import type { Sent } from '../phone/change.js';

/**
 * A change's result through `write`, or under --dry-run the request it would have sent. When the
 * change went through but stdout failed, the error says what was done and to which ID (`done`:
 * `deleted`, followed by the result's `id`; or the whole phrase from the result), so a full disk
 * never hides a change that happened.
 */
export async function writeSent<T>(
  ctx: CommandContext,
  sent: Sent<T>,
  done: string | ((result: T) => string),
  write: (out: OutputTarget, result: T) => Promise<void>,
): Promise<void> {
  const out = await ctx.output();
  if (sent.dryRun) return writeRequestPreview(out, sent.preview);
  try {
    await write(out, sent.result);
  } catch (error) {
    if (!(error instanceof OutputError)) throw error;
    const id = (sent.result as { id?: unknown } | null)?.id;
    const what = typeof done === 'function' ? done(sent.result) : typeof id === 'string' ? `${done} ${id}` : done;
    throw new CliError(`${what} but could not write the result: ${error.message}`, error.exitCode, error.code);
  }
}
