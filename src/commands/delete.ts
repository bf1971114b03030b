import type { CommandContext } from '../context.js';
import { ApiError } from '../api/api-error.js';
import type { ClerkClient } from '../api/client.js';
import { deletePhoneNumber, type DeletedObject } from '../api/phone-numbers.js';
import { ExitCode, usageError, type ExitCodeValue } from '../errors.js';
import { canPrompt } from '../io.js';
import { confirm } from '../prompt.js';
import { writeDeleted } from '../output/output.js';
import { batchOptions, rejectWithFile, type BatchFlags } from './batch-options.js';
import { parseTarget, targetId } from './target.js';

export interface DeleteOptions extends BatchFlags {
  yes?: boolean;
}

/**
 * Deletes one phone number. A 404 on a retry after an attempt that may have arrived means that
 * attempt deleted it: that is success. Any other 404 is thrown.
 */
export async function deleteById(client: ClerkClient, id: string, debug: (line: string) => void): Promise<DeletedObject> {
  try {
    return await deletePhoneNumber(client, id);
  } catch (error) {
    if (!(error instanceof ApiError && error.exitCode === ExitCode.notFound && error.maybeApplied)) throw error;
    debug(`DELETE ${id}: 404 after an earlier attempt may have applied; reporting it as deleted`);
    return { object: 'phone_number', id, deleted: true };
  }
}

export async function runDelete(ctx: CommandContext, argument: string | undefined, options: DeleteOptions): Promise<ExitCodeValue | void> {
  rejectWithFile(options, { '<phone_number_id>': argument });
  if (options.file !== undefined) {
    if (!options.yes && !ctx.flags.dryRun) throw usageError('--yes is required with --file');
    const [{ runBatch }, { deleteJob }] = await Promise.all([import('../batch/run-batch.js'), import('../batch/jobs.js')]);
    return runBatch(ctx, deleteJob(ctx.debug), batchOptions({ ...options, file: options.file }));
  }
  if (argument === undefined) throw usageError("missing required argument 'phone_number_id' (or give --file)");
  const target = parseTarget(argument);
  // A dry run deletes nothing, so there is nothing to confirm.
  const confirmed = Boolean(options.yes || ctx.flags.dryRun);
  if (!confirmed && !canPrompt(ctx.io)) throw usageError('--yes is required when not running interactively');
  const client = await ctx.client({ mutating: true });
  const id = await targetId(client, target);
  if (!confirmed) {
    const question = target.kind === 'number' ? `Delete phone number ${id} (${target.phoneNumber})?` : `Delete phone number ${id}?`;
    if (!(await confirm(ctx.io, question))) throw usageError('not deleted: the confirmation was declined');
  }
  await writeDeleted(ctx, await deleteById(client, id, ctx.debug), id);
}
