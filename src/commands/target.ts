import type { ClerkClient } from '../api/client.js';
import { resolvePhoneNumber } from '../api/users.js';
import { invalidResponseError } from '../api/api-error.js';
import { isPhoneNumberArgument, normalizePhoneNumber, validateId } from '../validate.js';

/** A command's `<phone_number_id | +E164>` argument, checked before any request. */
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
