import type { CommandContext } from '../context.js';
import { updatePhoneNumber } from '../api/phone-numbers.js';
import { usageError, type ExitCodeValue } from '../errors.js';
import { validateId } from '../validate.js';
import { writePhoneNumber } from '../output/output.js';
import { fieldsFromFlags, type PhoneNumberFlags } from './fields.js';
import { batchOptions, rejectWithFile, type BatchFlags } from './batch-options.js';

export interface UpdateOptions extends PhoneNumberFlags, BatchFlags {}

export async function runUpdate(ctx: CommandContext, id: string | undefined, options: UpdateOptions): Promise<ExitCodeValue | void> {
  const { verified, primary, reservedForSecondFactor } = options;
  rejectWithFile(options, { '<phone_number_id>': id, '--[no-]verified': verified, '--[no-]primary': primary, '--[no-]reserved-for-second-factor': reservedForSecondFactor });
  if (options.file !== undefined) {
    const [{ runBatch }, { updateJob }] = await Promise.all([import('../batch/run-batch.js'), import('../batch/jobs.js')]);
    return runBatch(ctx, updateJob, batchOptions({ ...options, file: options.file }));
  }
  if (id === undefined) throw usageError("missing required argument 'phone_number_id' (or give --file)");
  validateId(id, 'phone number ID');
  const fields = fieldsFromFlags(options);
  if (Object.keys(fields).length === 0) {
    throw usageError('nothing to update: give at least one of --verified, --primary, --reserved-for-second-factor (or their --no- forms)');
  }
  const phone = await updatePhoneNumber(await ctx.client({ mutating: true }), id, fields);
  await writePhoneNumber(ctx, phone);
}
