import type { ClerkClient } from '../api/client.js';
import type { PhoneNumber } from '../api/phone-numbers.js';
import { getUser, phoneNumbersOf, type User } from '../api/users.js';
import { namingNotFound } from './not-found.js';

export interface UserPhones {
  user: User;
  phones: PhoneNumber[];
  primaryId: string | null;
}

/** A user's phone numbers, and which one is primary. */
export async function listPhones(client: ClerkClient, userId: string): Promise<UserPhones> {
  const user = await namingNotFound(getUser(client, userId), `user ${userId}`);
  return { user, phones: phoneNumbersOf(user), primaryId: user.primary_phone_number_id ?? null };
}
