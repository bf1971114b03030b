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

/** A user holding a number: the user's ID and their phone number object (not the whole user, which may be large). */
export interface Holder {
  userId: string;
  phone: PhoneNumber;
}

/** Clerk takes at most this many `phone_number` values in one `GET /users` (more is a 422). */
export const MAX_NUMBERS_PER_LOOKUP = 100;
/** Clerk's largest page of users; its default is 10, so a request that forgets `limit` misses users silently. */
export const USER_PAGE_LIMIT = 500;
/**
 * The bounds of one page of users. A real user is 2-5 kB of JSON and 20-40 objects and lists (up to
 * ~30 kB with full metadata): 500 of them, or even the 100 holders of a lookup, outgrow the 1 MiB
 * and 50,000-container bounds of a single answer. 16 MiB and 250,000 containers keep a page of
 * heavy users readable while one page stays the most a walk or a lookup holds (a few tens of MB of
 * heap at worst).
 */
const USER_PAGE_BOUNDS = { bodyBytes: 16 * 1024 * 1024, containers: 250_000 };
/** 10,000 users holding 100 numbers is no instance's data but a server that does not stop: a bound, not a limit. */
const MAX_PAGES = 20;

/** A page of `GET /users` in which every user has an ID: a walk's next cursor, a lookup's holder. */
export type UserPage = (User & { id: string })[];

/**
 * One page of `GET /users`: up to USER_PAGE_LIMIT users matching `filter`, oldest first, from
 * where `from` says (`offset`, `starting_after`), read with a page's bounds. A user without an
 * ID, or more users than asked for, is no answer of Clerk's: invalid_response.
 */
export async function usersPage(
  client: ClerkClient,
  filter: Record<string, string | readonly string[]>,
  from: Record<string, string>,
): Promise<UserPage> {
  const users = await client.request<User[]>({
    method: 'GET',
    path: '/users',
    query: { ...filter, limit: String(USER_PAGE_LIMIT), order_by: '+created_at', ...from },
    answer: 'list',
    bounds: USER_PAGE_BOUNDS,
  });
  for (const user of users) {
    if (typeof user.id !== 'string' || user.id === '') throw invalidResponseError(200, 'a user without an id in a page of users');
  }
  if (users.length > USER_PAGE_LIMIT)
    throw invalidResponseError(200, `a page of ${users.length} users where at most ${USER_PAGE_LIMIT} were asked for`);
  return users as UserPage;
}

/**
 * The holders of each of up to 100 numbers, in one `GET /users` (`phone_number` repeated) and more
 * pages only when one comes back full. Pages go by `offset` in `+created_at` order, where a user
 * added meanwhile lands at the end instead of shifting the rest; a user seen twice counts once, and
 * a full page bringing no user not seen yet ends the walk (a server repeating itself).
 */
export async function findHoldersOfNumbers(client: ClerkClient, phoneNumbers: readonly string[]): Promise<Map<string, Holder[]>> {
  const wanted = [...new Set(phoneNumbers)];
  if (wanted.length > MAX_NUMBERS_PER_LOOKUP) throw new Error(`at most ${MAX_NUMBERS_PER_LOOKUP} numbers per lookup`);
  const seen = new Set<string>();
  const holders = new Map<string, Holder[]>(wanted.map((phoneNumber) => [phoneNumber, []]));
  for (let offset = 0; ; offset += USER_PAGE_LIMIT) {
    if (offset >= MAX_PAGES * USER_PAGE_LIMIT)
      throw invalidResponseError(200, `more than ${offset} users holding ${wanted.length} numbers`);
    const page = await usersPage(client, { phone_number: wanted }, offset ? { offset: String(offset) } : {});
    const before = seen.size;
    // Only the numbers asked about are kept of each user: a page is let go before the next comes.
    for (const user of page) {
      if (seen.has(user.id)) continue;
      seen.add(user.id);
      for (const phone of phoneNumbersOf(user)) holders.get(phone.phone_number as string)?.push({ userId: user.id, phone });
    }
    if (page.length < USER_PAGE_LIMIT || seen.size === before) break;
  }
  return holders;
}

/**
 * The holders of one number, asked as a lookup of 100 is: Clerk has no phone-number search, and
 * `GET /users` without `limit` would stop at 10 holders (an 11th user's create would not be found).
 */
export async function findPhoneNumberHolders(client: ClerkClient, phoneNumber: string): Promise<Holder[]> {
  return (await findHoldersOfNumbers(client, [phoneNumber])).get(phoneNumber) ?? [];
}

/** A number held by thousands of users (a server's answer) names the first of them, not all. */
const MAX_HOLDERS_NAMED = 20;

/** Several users hold the number (possible while it is unverified): which one is meant is never guessed. */
export function ambiguousNumberError(phoneNumber: string, holders: readonly Holder[]): CliError {
  const named = holders.slice(0, MAX_HOLDERS_NAMED).map((h) => h.userId);
  const more = holders.length > MAX_HOLDERS_NAMED ? `, and ${holders.length - MAX_HOLDERS_NAMED} more` : '';
  return new CliError(
    `the phone number ${phoneNumber} is held by ${holders.length} users (${named.join(', ')}${more}); use the phone number ID instead`,
    ExitCode.usage,
    'ambiguous_phone_number',
  );
}

/** The one phone number object with this number: exit 3 when nobody has it, exit 2 when several users do. */
export async function resolvePhoneNumber(client: ClerkClient, phoneNumber: string): Promise<PhoneNumber> {
  const holders = await findPhoneNumberHolders(client, phoneNumber);
  if (holders.length === 0) {
    throw new CliError(`no user has the phone number ${phoneNumber}`, ExitCode.notFound, 'not_found');
  }
  if (holders.length > 1) throw ambiguousNumberError(phoneNumber, holders);
  return holders[0]!.phone;
}

/**
 * Replaces every phone number of the user with one new primary number. Not idempotent (a repeat
 * deletes the number the first call made and makes another): a PUT follows the POST retry rule.
 */
export function replaceUserPhoneNumber(client: ClerkClient, userId: string, body: ReplaceUserPhoneNumberBody): Promise<PhoneNumber> {
  return client.request<PhoneNumber>({ method: 'PUT', path: `/users/${encodeURIComponent(userId)}/phone_number`, body: { ...body } });
}
