import { verificationOf, type PhoneNumber } from '../api/phone-numbers.js';
import type { User } from '../api/users.js';
import { escapeForTerminal } from './terminal-text.js';

function describePhone(phone: PhoneNumber, user: User): string {
  const verification = verificationOf(phone);
  const traits = [
    phone.id !== undefined && phone.id === user.primary_phone_number_id ? 'primary' : null,
    typeof verification?.status === 'string' ? verification.status : 'unverified',
    phone.reserved === true ? 'reserved' : null,
    phone.reserved_for_second_factor === true ? 'reserved for second factor' : null,
  ].filter(Boolean);
  return `  ${escapeForTerminal(`${phone.id ?? '(no ID)'}  ${phone.phone_number ?? '(no number)'}  (${traits.join(', ')})`)}\n`;
}

const UNVERIFIED_WARNING =
  'Note: with --status unverified the new number cannot be used to sign in; a user with no other verified identifier is locked out.\n';

function listing(user: User, userId: string, phones: PhoneNumber[], lead: string): string {
  if (phones.length === 0) return `${lead} no phone numbers of user ${userId} (it has none).\n`;
  const count = `${phones.length} phone number${phones.length === 1 ? '' : 's'}`;
  return `${lead} ${count} of user ${userId}:\n${phones.map((phone) => describePhone(phone, user)).join('')}`;
}

/** The user's numbers that a replacement deletes, listed for a person (stderr) after `lead`, and the risk of an unverified number; the API's values escaped for the terminal. */
export function renderReplaceListing(user: User, userId: string, phones: PhoneNumber[], lead: string, unverified: boolean): string {
  return `${listing(user, userId, phones, lead)}${unverified ? UNVERIFIED_WARNING : ''}`;
}
