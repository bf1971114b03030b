import type { ClerkClient } from '../api/client.js';
import { invalidResponseError } from '../api/api-error.js';
import { getPhoneNumber, type PhoneNumber } from '../api/phone-numbers.js';
import { findPhoneNumberHolders, resolvePhoneNumber } from '../api/users.js';
import { isPhoneNumberArgument, normalizePhoneNumber, validateId } from '../validate.js';

/** A `<phone_number_id | +E164>` argument, checked before any request. */
export type PhoneNumberTarget = { kind: 'id'; id: string } | { kind: 'number'; phoneNumber: string };

export function parseTarget(argument: string): PhoneNumberTarget {
  if (isPhoneNumberArgument(argument)) return { kind: 'number', phoneNumber: normalizePhoneNumber(argument) };
  return { kind: 'id', id: validateId(argument, 'phone number ID') };
}

/** The phone number ID: given, or looked up by number (a read, allowed before any change). */
export async function targetId(client: ClerkClient, target: PhoneNumberTarget): Promise<string> {
  if (target.kind === 'id') return target.id;
  const { id } = await resolvePhoneNumber(client, target.phoneNumber);
  if (typeof id !== 'string') throw invalidResponseError(200, `a phone number ${target.phoneNumber} without an ID`);
  return validateId(id, 'phone number ID');
}

/** The phone number object, by ID or by number. */
export function getPhone(client: ClerkClient, target: PhoneNumberTarget): Promise<PhoneNumber> {
  return target.kind === 'id' ? getPhoneNumber(client, target.id) : resolvePhoneNumber(client, target.phoneNumber);
}

/** The user's own phone number object with this number, if the user has it now. */
export async function findOnUser(client: ClerkClient, userId: string, phoneNumber: string): Promise<PhoneNumber | undefined> {
  const holders = await findPhoneNumberHolders(client, phoneNumber);
  return holders.find((holder) => holder.user.id === userId)?.phone;
}
