import type { CommandContext } from '../context.js';
import { ApiError } from '../api/api-error.js';
import { createPhoneNumber, type CreatePhoneNumberBody } from '../api/phone-numbers.js';
import { normalizePhoneNumber, validateId } from '../validate.js';
import { writePhoneNumber } from '../output/output.js';
import { fieldsFromFlags, type PhoneNumberFlags } from './fields.js';

export interface CreateOptions extends PhoneNumberFlags {
  userId: string;
  phoneNumber: string;
}

export function buildCreateBody(options: CreateOptions): CreatePhoneNumberBody {
  return {
    user_id: validateId(options.userId, 'user ID'),
    phone_number: normalizePhoneNumber(options.phoneNumber),
    ...fieldsFromFlags(options),
  };
}

export async function runCreate(ctx: CommandContext, options: CreateOptions): Promise<void> {
  const body = buildCreateBody(options);
  const client = await ctx.client();
  let phone;
  try {
    phone = await createPhoneNumber(client, body);
  } catch (error) {
    if (error instanceof ApiError && error.maybeApplied) {
      throw error.withHint(
        `the phone number may have been created anyway (a create is never repeated once it may have arrived): check the user's phone numbers (GET /v1/users/${body.user_id}) before trying again`,
      );
    }
    throw error;
  }
  await writePhoneNumber(ctx, phone);
}
