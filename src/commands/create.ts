import type { CommandContext } from '../context.js';
import { ApiError } from '../api/api-error.js';
import type { ClerkClient } from '../api/client.js';
import { createPhoneNumber, type CreatePhoneNumberBody, type PhoneNumber } from '../api/phone-numbers.js';
import { findPhoneNumberHolders } from '../api/users.js';
import { usageError, type ExitCodeValue } from '../errors.js';
import { normalizePhoneNumber, validateId } from '../validate.js';
import { writePhoneNumber } from '../output/output.js';
import { fieldsFromFlags, type PhoneNumberFlags } from './fields.js';
import { batchOptions, rejectWithFile, type BatchFlags } from './batch-options.js';

export interface CreateOptions extends PhoneNumberFlags, BatchFlags {
  userId?: string;
  phoneNumber?: string;
  skipExisting?: boolean;
}

export interface CreateInput extends PhoneNumberFlags {
  userId: string;
  phoneNumber: string;
}

export function buildCreateBody(input: CreateInput): CreatePhoneNumberBody {
  return {
    user_id: validateId(input.userId, 'user ID'),
    phone_number: normalizePhoneNumber(input.phoneNumber),
    ...fieldsFromFlags(input),
  };
}

/** The user's own phone number object with this number, if the user has it now. */
export async function findOnUser(client: ClerkClient, body: CreatePhoneNumberBody): Promise<PhoneNumber | undefined> {
  const holders = await findPhoneNumberHolders(client, body.phone_number);
  return holders.find((holder) => holder.user.id === body.user_id)?.phone;
}

export function maybeCreatedHint(body: CreatePhoneNumberBody): string {
  return `the phone number may have been created anyway (a create is never repeated once it may have reached Clerk); check before trying again: phone list --user-id ${body.user_id}, or phone get ${body.phone_number}`;
}

export async function runCreate(ctx: CommandContext, options: CreateOptions): Promise<ExitCodeValue | void> {
  const { userId, phoneNumber, verified, primary, reservedForSecondFactor } = options;
  rejectWithFile(options, { '--user-id': userId, '--phone-number': phoneNumber, '--[no-]verified': verified, '--[no-]primary': primary, '--[no-]reserved-for-second-factor': reservedForSecondFactor });
  if (options.file !== undefined) {
    const [{ runBatch }, { createJob }] = await Promise.all([import('../batch/run-batch.js'), import('../batch/jobs.js')]);
    return runBatch(ctx, createJob(Boolean(options.skipExisting)), batchOptions({ ...options, file: options.file }));
  }
  if (options.skipExisting) throw usageError('--skip-existing only applies with --file');
  if (userId === undefined) throw usageError("required option '--user-id <id>' not specified (or give --file)");
  if (phoneNumber === undefined) throw usageError("required option '--phone-number <number>' not specified");
  const body = buildCreateBody({ ...options, userId, phoneNumber });
  const client = await ctx.client({ mutating: true });
  let phone;
  try {
    phone = await createPhoneNumber(client, body);
  } catch (error) {
    if (error instanceof ApiError && error.maybeApplied) {
      throw error.withHint(maybeCreatedHint(body));
    }
    throw error;
  }
  await writePhoneNumber(ctx, phone);
}
