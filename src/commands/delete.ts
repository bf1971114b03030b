import type { CommandContext } from '../context.js';
import { ExitCode, usageError, type ExitCodeValue } from '../errors.js';
import { confirmationGate } from '../prompt.js';
import { writeDeleted } from '../output/output.js';
import { deleteById } from '../phone/delete.js';
import { identify, parseTarget, targetId } from '../phone/lookup.js';
import { batchOptions, rejectWithFile, type BatchFlags } from './batch-options.js';
import { announceRowsFromTerminal } from './rows-from-terminal.js';
import { writeSent } from './write-sent.js';

export interface DeleteOptions extends BatchFlags {
  yes?: boolean;
}

export async function runDelete(ctx: CommandContext, argument: string | undefined, options: DeleteOptions): Promise<ExitCodeValue | void> {
  rejectWithFile(options, { '<phone_number_id>': argument });
  if (options.file !== undefined) {
    if (!options.yes && !ctx.flags.dryRun) throw usageError('--yes is required with --file');
    const [{ runBatch }, { deleteJob }] = await Promise.all([import('../batch/run-batch.js'), import('../batch/jobs.js')]);
    announceRowsFromTerminal(ctx, options.file);
    return runBatch(ctx, deleteJob(ctx.debug), batchOptions({ ...options, file: options.file }));
  }
  if (argument === undefined) throw usageError("missing required argument 'phone_number_id' (or give --file)");
  const target = parseTarget(argument);
  // A dry run deletes nothing, so there is nothing to confirm.
  const gate = confirmationGate(ctx.io, Boolean(options.yes || ctx.flags.dryRun));
  const client = await ctx.client({ mutating: true });
  // The question names the number as well as the ID: a mistyped ID shows before it is deleted.
  const { id, phoneNumber } = gate.asks ? await identify(client, target) : { id: await targetId(client, target), phoneNumber: undefined };
  const question = phoneNumber === undefined ? `Delete phone number ${id}?` : `Delete phone number ${id} (${phoneNumber})?`;
  // A declined question is exit 2, as a missing --yes is: nothing was done.
  if (!(await gate.confirm(question, 'Not deleted.'))) return ExitCode.usage;
  await writeSent(ctx, await deleteById(client, id, ctx.debug), 'deleted', (out, deleted) => writeDeleted(out, deleted, id));
}
