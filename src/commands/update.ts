import type { CommandContext } from '../context.js';
import { usageError, type ExitCodeValue } from '../errors.js';
import { validateId } from '../validate.js';
import { writePhoneNumber } from '../output/output.js';
import { FIELD_FLAG_LIST, fieldFlagsGiven, fieldsFromFlags, type PhoneNumberFlags } from '../phone/fields.js';
import { updatePhone } from '../phone/update.js';
import { batchOptions, rejectWithFile, type BatchFlags } from './batch-options.js';
import { announceRowsFromTerminal } from './rows-from-terminal.js';
import { writeSent } from './write-sent.js';

export type UpdateOptions = PhoneNumberFlags & BatchFlags;

export async function runUpdate(ctx: CommandContext, id: string | undefined, options: UpdateOptions): Promise<ExitCodeValue | void> {
  rejectWithFile(options, { '<phone_number_id>': id, ...fieldFlagsGiven(options) });
  if (options.file !== undefined) {
    const [{ runBatch }, { updateJob }] = await Promise.all([import('../batch/run-batch.js'), import('../batch/jobs.js')]);
    announceRowsFromTerminal(ctx, options.file);
    return runBatch(ctx, updateJob, batchOptions({ ...options, file: options.file }));
  }
  if (id === undefined) throw usageError("missing required argument 'phone_number_id' (or give --file)");
  validateId(id, 'phone number ID');
  const fields = fieldsFromFlags(options);
  if (Object.keys(fields).length === 0) {
    throw usageError(`nothing to update: give at least one of ${FIELD_FLAG_LIST} (or their --no- forms)`);
  }
  await writeSent(ctx, await updatePhone(await ctx.client({ mutating: true }), id, fields), 'updated', writePhoneNumber);
}
