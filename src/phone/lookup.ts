import type { ClerkClient } from '../api/client.js';
import { invalidResponseError } from '../api/api-error.js';
import { getPhoneNumber, type PhoneNumber } from '../api/phone-numbers.js';
import { ambiguousNumberError, resolvePhoneNumber, type Holder } from '../api/users.js';
import { CliError } from '../errors.js';
import { isPhoneNumberArgument, normalizePhoneNumber, validateId } from '../validate.js';
import { COUNTRY_CODE_HINT, looksLikeNumberWithoutPlus, namingNotFound, phoneNumberIdHint } from './not-found.js';

/** A `<phone_number_id | +E164>` argument, checked before any request. */
export type PhoneNumberTarget = { kind: 'id'; id: string } | { kind: 'number'; phoneNumber: string };

export function parseTarget(argument: string): PhoneNumberTarget {
  if (isPhoneNumberArgument(argument)) return { kind: 'number', phoneNumber: normalizePhoneNumber(argument) };
  try {
    return { kind: 'id', id: validateId(argument, 'phone number ID') };
  } catch (error) {
    // `201 555 0123` is no ID, but neither is it a number yet: say what it lacks.
    if (!(error instanceof CliError && looksLikeNumberWithoutPlus(argument))) throw error;
    throw new CliError(error.message, error.exitCode, error.code, { ...error.details, hint: COUNTRY_CODE_HINT });
  }
}

/** The phone number ID: given, or looked up by number (a read, allowed before any change). */
export async function targetId(client: ClerkClient, target: PhoneNumberTarget): Promise<string> {
  if (target.kind === 'id') return target.id;
  return idOf(await resolvePhoneNumber(client, target.phoneNumber), target.phoneNumber);
}

function idOf(phone: PhoneNumber, asked: string): string {
  if (typeof phone.id !== 'string') throw invalidResponseError(200, `a phone number ${asked} without an ID`);
  return validateId(phone.id, 'phone number ID');
}

/**
 * The ID of the one phone number among a number's holders (a batch run's lookup answered them):
 * undefined when nobody holds it, exit 2 when several users do, invalid_response without an ID.
 */
export function onlyHolderId(phoneNumber: string, holders: readonly Holder[]): string | undefined {
  if (holders.length === 0) return undefined;
  if (holders.length > 1) throw ambiguousNumberError(phoneNumber, holders);
  return idOf(holders[0]!.phone, phoneNumber);
}

/** The phone number object, by ID or by number. */
export function getPhone(client: ClerkClient, target: PhoneNumberTarget): Promise<PhoneNumber> {
  if (target.kind === 'number') return resolvePhoneNumber(client, target.phoneNumber);
  return namingNotFound(getPhoneNumber(client, target.id), `phone number ${target.id}`, phoneNumberIdHint(target.id));
}

/** The ID and the number itself, for a question that names both: looked up whichever was given. */
export async function identify(client: ClerkClient, target: PhoneNumberTarget): Promise<{ id: string; phoneNumber: string | undefined }> {
  const phone = await getPhone(client, target);
  const id = target.kind === 'id' ? target.id : idOf(phone, target.phoneNumber);
  return { id, phoneNumber: typeof phone.phone_number === 'string' ? phone.phone_number : undefined };
}
