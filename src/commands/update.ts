import type { CommandContext } from '../context.js';
import { updatePhoneNumber } from '../api/phone-numbers.js';
import { usageError } from '../errors.js';
import { validateId } from '../validate.js';
import { writePhoneNumber } from '../output/output.js';
import { fieldsFromFlags, type PhoneNumberFlags } from './fields.js';

export async function runUpdate(ctx: CommandContext, id: string, flags: PhoneNumberFlags): Promise<void> {
  validateId(id, 'phone number ID');
  const fields = fieldsFromFlags(flags);
  if (Object.keys(fields).length === 0) {
    throw usageError('nothing to update: give at least one of --verified, --primary, --reserved-for-second-factor (or their --no- forms)');
  }
  const phone = await updatePhoneNumber(await ctx.client(), id, fields);
  await writePhoneNumber(ctx, phone);
}
