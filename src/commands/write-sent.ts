import type { CommandContext } from '../context.js';
import { writeRequestPreview, type OutputTarget } from '../output/output.js';
import type { Sent } from '../phone/change.js';

/** A change's result through `write`, or under --dry-run the request it would have sent. */
export async function writeSent<T>(ctx: CommandContext, sent: Sent<T>, write: (out: OutputTarget, result: T) => unknown): Promise<void> {
  const out = await ctx.output();
  if (sent.dryRun) writeRequestPreview(out, sent.preview);
  else await write(out, sent.result);
}
