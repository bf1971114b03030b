import type { CommandContext } from '../context.js';
import { ApiError } from '../api/api-error.js';
import { deletePhoneNumber, type DeletedObject } from '../api/phone-numbers.js';
import { ExitCode, usageError } from '../errors.js';
import { canPrompt } from '../io.js';
import { confirm } from '../prompt.js';
import { validateId } from '../validate.js';
import { writeDeleted } from '../output/output.js';

export interface DeleteOptions {
  yes?: boolean;
}

export async function runDelete(ctx: CommandContext, id: string, options: DeleteOptions): Promise<void> {
  validateId(id, 'phone number ID');
  if (!options.yes) {
    if (!canPrompt(ctx.io)) throw usageError('--yes is required when not running interactively');
    if (!(await confirm(ctx.io, `Delete phone number ${id}?`))) throw usageError('not deleted: the confirmation was declined');
  }
  const client = await ctx.client();
  let deleted: DeletedObject;
  try {
    deleted = await deletePhoneNumber(client, id);
  } catch (error) {
    // A retry that finds nothing after an attempt that may have arrived: that attempt deleted it.
    if (!(error instanceof ApiError && error.exitCode === ExitCode.notFound && error.maybeApplied)) throw error;
    ctx.debug(`DELETE ${id}: 404 after an earlier attempt may have applied; reporting it as deleted`);
    deleted = { object: 'phone_number', id, deleted: true };
  }
  await writeDeleted(ctx, deleted, id);
}
