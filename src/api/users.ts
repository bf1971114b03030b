import { CliError, ExitCode } from '../errors.js';
import { invalidResponseError } from './api-error.js';
import type { ClerkClient } from './client.js';
import type { PhoneNumber } from './phone-numbers.js';
import type { components, operations } from './clerk-api.generated.js';
import { isJsonObject, type Received } from './received.js';
import type { JsonBody } from './operation-types.js';

export type User = Received<components['schemas']['User']>;

/** Written strictly: `identification_status` only when the user chose one (Clerk's default is verified). */
export type ReplaceUserPhoneNumberBody = JsonBody<operations['ReplaceUserPhoneNumber']>;
export type IdentificationStatus = NonNullable<ReplaceUserPhoneNumberBody['identification_status']>;
export const IDENTIFICATION_STATUSES: readonly IdentificationStatus[] = ['verified', 'reserved', 'unverified'];

/**
 * A user's phone numbers. Clerk always sends the list, empty or not: a user without one is not a
 * user without numbers but an answer that is not Clerk's, and saying "no numbers" would be a lie.
 */
export function phoneNumbersOf(user: User): PhoneNumber[] {
  const phones: unknown = user.phone_numbers;
  if (!Array.isArray(phones))
    throw invalidResponseError(200, `a user whose phone_numbers is ${phones === undefined ? 'missing' : 'not a list'}`);
  if (!phones.every(isJsonObject)) {
    throw invalidResponseError(200, 'a user whose phone_numbers holds something other than objects');
  }
  return phones as PhoneNumber[];
}

export function getUser(client: ClerkClient, userId: string): Promise<User> {
  return client.request<User>({ method: 'GET', path: `/users/${encodeURIComponent(userId)}` });
}

/** Clerk has no phone-number search: `GET /users?phone_number=` finds the users that hold a number. */
export async function findPhoneNumberHolders(client: ClerkClient, phoneNumber: string): Promise<{ user: User; phone: PhoneNumber }[]> {
  const users = await client.request<User[]>({ method: 'GET', path: '/users', query: { phone_number: phoneNumber }, answer: 'list' });
  const holders: { user: User; phone: PhoneNumber }[] = [];
  for (const user of users) {
    const phone = phoneNumbersOf(user).find((candidate) => candidate.phone_number === phoneNumber);
    if (phone) holders.push({ user, phone });
  }
  return holders;
}

/** The one phone number object with this number: exit 3 when nobody has it, exit 2 when several users do. */
export async function resolvePhoneNumber(client: ClerkClient, phoneNumber: string): Promise<PhoneNumber> {
  const holders = await findPhoneNumberHolders(client, phoneNumber);
  if (holders.length === 0) {
    throw new CliError(`no user has the phone number ${phoneNumber}`, ExitCode.notFound, 'not_found');
  }
  if (holders.length > 1) {
    throw new CliError(
      `the phone number ${phoneNumber} is held by ${holders.length} users (${holders.map((h) => h.user.id).join(', ')}); use the phone number ID instead`,
      ExitCode.usage,
      'ambiguous_phone_number',
    );
  }
  return holders[0]!.phone;
}

/**
 * Replaces every phone number of the user with one new primary number. Not idempotent (a repeat
 * deletes the number the first call made and makes another): a PUT follows the POST retry rule.
 */
export function replaceUserPhoneNumber(client: ClerkClient, userId: string, body: ReplaceUserPhoneNumberBody): Promise<PhoneNumber> {
  return client.request<PhoneNumber>({ method: 'PUT', path: `/users/${encodeURIComponent(userId)}/phone_number`, body: { ...body } });
}
