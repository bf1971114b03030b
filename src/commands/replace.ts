import type { CommandContext } from '../context.js';
import { ApiError } from '../api/api-error.js';
import type { ClerkClient } from '../api/client.js';
import { DryRunStop } from '../api/dry-run.js';
import { verificationOf, type PhoneNumber } from '../api/phone-numbers.js';
import {
  getUser,
  phoneNumbersOf,
  IDENTIFICATION_STATUSES,
  replaceUserPhoneNumber,
  type IdentificationStatus,
  type ReplaceUserPhoneNumberBody,
  type User,
} from '../api/users.js';
import { usageError } from '../errors.js';
import { canPrompt } from '../io.js';
import { confirm } from '../prompt.js';
import { normalizePhoneNumber, validateId } from '../validate.js';
import { writePhoneNumber, writeReplacePreview } from '../output/output.js';

export interface ReplaceOptions {
  userId?: string;
  phoneNumber?: string;
  status?: string;
  yes?: boolean;
}

function isIdentificationStatus(value: string): value is IdentificationStatus {
  return (IDENTIFICATION_STATUSES as readonly string[]).includes(value);
}

/** The body: `identification_status` only when --status was given, so Clerk's default stays Clerk's. */
export function buildReplaceBody(phoneNumber: string, status: string | undefined): ReplaceUserPhoneNumberBody {
  const body: ReplaceUserPhoneNumberBody = { phone_number: normalizePhoneNumber(phoneNumber) };
  if (status !== undefined) {
    if (!isIdentificationStatus(status)) throw usageError(`invalid --status ${JSON.stringify(status)}: one of ${IDENTIFICATION_STATUSES.join(', ')}`);
    body.identification_status = status;
  }
  return body;
}

function describePhone(phone: PhoneNumber, user: User): string {
  const verification = verificationOf(phone);
  const traits = [
    phone.id !== undefined && phone.id === user.primary_phone_number_id ? 'primary' : null,
    typeof verification?.status === 'string' ? verification.status : 'unverified',
    phone.reserved === true ? 'reserved' : null,
    phone.reserved_for_second_factor === true ? 'reserved for second factor' : null,
  ].filter(Boolean);
  return `  ${phone.id ?? '(no ID)'}  ${phone.phone_number ?? '(no number)'}  (${traits.join(', ')})\n`;
}

/** The user's numbers that the replacement deletes, listed for a person (stderr). */
function listing(user: User, userId: string, phones: PhoneNumber[], lead: string): string {
  if (phones.length === 0) return `${lead} no phone numbers of user ${userId} (it has none).\n`;
  const count = `${phones.length} phone number${phones.length === 1 ? '' : 's'}`;
  return `${lead} ${count} of user ${userId}:\n${phones.map((phone) => describePhone(phone, user)).join('')}`;
}

const UNVERIFIED_WARNING =
  'Note: with --status unverified the new number cannot be used to sign in; a user with no other verified identifier is locked out.\n';

async function currentPhones(client: ClerkClient, userId: string): Promise<{ user: User; phones: PhoneNumber[] }> {
  const user = await getUser(client, userId);
  return { user, phones: phoneNumbersOf(user) };
}

/**
 * `phone replace`: every phone number of the user is deleted and one new primary number made
 * (PUT /users/{id}/phone_number). Asks on a terminal, needs --yes elsewhere; never repeated once
 * it may have reached Clerk, since a repeat would delete the number the first call made.
 */
export async function runReplace(ctx: CommandContext, options: ReplaceOptions): Promise<void> {
  if (options.userId === undefined) throw usageError("required option '--user-id <id>' not specified");
  if (options.phoneNumber === undefined) throw usageError("required option '--phone-number <number>' not specified");
  const userId = validateId(options.userId, 'user ID');
  const body = buildReplaceBody(options.phoneNumber, options.status);
  const dryRun = Boolean(ctx.flags.dryRun);
  // A dry run changes nothing, so it needs neither --yes nor an answer.
  const ask = !dryRun && !options.yes;
  if (ask && !canPrompt(ctx.io)) throw usageError('--yes is required when not running interactively');
  const client = await ctx.client({ mutating: true });
  const warning = body.identification_status === 'unverified' ? UNVERIFIED_WARNING : '';

  if (dryRun) {
    const { user, phones } = await currentPhones(client, userId);
    try {
      await replaceUserPhoneNumber(client, userId, body);
    } catch (error) {
      if (!(error instanceof DryRunStop)) throw error;
      const summary = `${listing(user, userId, phones, 'Dry run: replacing would delete')}${warning}`;
      await writeReplacePreview(ctx, error.preview, phones, summary);
      return;
    }
    throw new Error('dry run: the replacement was sent');
  }

  if (ask) {
    const { user, phones } = await currentPhones(client, userId);
    ctx.io.stderr.write(`${listing(user, userId, phones, 'Replacing deletes')}${warning}`);
    if (!(await confirm(ctx.io, `Replace every phone number of user ${userId} with ${body.phone_number}?`))) {
      throw usageError('not replaced: the confirmation was declined');
    }
  }

  let phone: PhoneNumber;
  try {
    phone = await replaceUserPhoneNumber(client, userId, body);
  } catch (error) {
    if (error instanceof ApiError && error.maybeApplied) {
      throw error.withHint(
        `the phone numbers may have been replaced anyway (a replace is never repeated once it may have reached Clerk: a repeat would delete the number it made); check before trying again: phone list --user-id ${userId}`,
      );
    }
    throw error;
  }
  await writePhoneNumber(ctx, phone);
}
