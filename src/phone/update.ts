import type { ClerkClient } from '../api/client.js';
import { updatePhoneNumber, type PhoneNumber } from '../api/phone-numbers.js';
import { send, type Sent } from './change.js';
import type { PhoneNumberFieldValues } from './fields.js';
import { namingNotFound } from './not-found.js';

/** Sets the given fields of a phone number; an idempotent PATCH, so the client may repeat it. */
export function updatePhone(client: ClerkClient, id: string, fields: PhoneNumberFieldValues): Promise<Sent<PhoneNumber>> {
  return namingNotFound(
    send(() => updatePhoneNumber(client, id, fields)),
    `phone number ${id}`,
  );
}
