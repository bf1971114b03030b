import type { ClerkClient } from '../api/client.js';
import type { PhoneNumber } from '../api/phone-numbers.js';
import {
  IDENTIFICATION_STATUSES,
  replaceUserPhoneNumber,
  type IdentificationStatus,
  type ReplaceUserPhoneNumberBody,
} from '../api/users.js';
import { usageError } from '../errors.js';
import { normalizePhoneNumber } from '../validate.js';
import { sendOnce, type Sent } from './change.js';
import { namingNotFound } from './not-found.js';

function isIdentificationStatus(value: string): value is IdentificationStatus {
  return (IDENTIFICATION_STATUSES as readonly string[]).includes(value);
}

/** The body: `identification_status` only when --status was given, so Clerk's default stays Clerk's. */
export function buildReplaceBody(phoneNumber: string, status: string | undefined): ReplaceUserPhoneNumberBody {
  const body: ReplaceUserPhoneNumberBody = { phone_number: normalizePhoneNumber(phoneNumber) };
  if (status !== undefined) {
    if (!isIdentificationStatus(status)) {
      throw usageError(`invalid --status ${JSON.stringify(status)}: one of ${IDENTIFICATION_STATUSES.join(', ')}`);
    }
    body.identification_status = status;
  }
  return body;
}

/**
 * Deletes every phone number of the user and makes one new primary number (PUT
 * /users/{id}/phone_number). Never repeated once it may have reached Clerk, since a repeat would
 * delete the number the first call made.
 */
export function replacePhones(client: ClerkClient, userId: string, body: ReplaceUserPhoneNumberBody): Promise<Sent<PhoneNumber>> {
  const replaced = sendOnce(
    () => replaceUserPhoneNumber(client, userId, body),
    'the phone numbers may have been replaced anyway (a replace is never repeated once it may have reached Clerk: ' +
      `a repeat would delete the number it made); check before trying again: phone list --user-id ${userId}`,
  );
  return namingNotFound(replaced, `user ${userId}`);
}
