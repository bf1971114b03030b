import { ApiError } from '../api/api-error.js';
import type { ClerkClient } from '../api/client.js';
import { createPhoneNumber, type CreatePhoneNumberBody, type PhoneNumber } from '../api/phone-numbers.js';
import { findPhoneNumberHolders, type Holder } from '../api/users.js';
import { ExitCode } from '../errors.js';
import { normalizePhoneNumber, validateId } from '../validate.js';
import { maybeAppliedError, send, type Sent } from './change.js';
import type { PhoneNumberFieldValues } from './fields.js';
import { heldBy } from './holder-lookups.js';
import { namingNotFound } from './not-found.js';

export interface CreateInput {
  userId: string;
  phoneNumber: string;
  fields?: PhoneNumberFieldValues;
}

export function buildCreateBody(input: CreateInput): CreatePhoneNumberBody {
  return { user_id: validateId(input.userId, 'user ID'), phone_number: normalizePhoneNumber(input.phoneNumber), ...input.fields };
}

export function maybeCreatedHint(body: CreatePhoneNumberBody): string {
  return (
    'the phone number may have been created anyway (a create is never repeated once it may have reached Clerk); ' +
    `check before trying again: phone list --user-id ${body.user_id}, or phone get ${body.phone_number}`
  );
}

export interface CreatePolicy {
  /**
   * A create whose outcome is unknown (5xx, timeout, dropped connection) is settled by looking
   * the number up; without it, it fails with a hint on how to check.
   */
  settleUnknown: boolean;
  /** A number the user already has is `skipped` with that existing object, not failed. */
  skipExisting: boolean;
}

export interface Created {
  status: 'created' | 'skipped';
  phone: PhoneNumber;
  /** The failure whose outcome a lookup settled: the number was found on the user after it. */
  settledAfter?: ApiError;
}

/**
 * Where a create asks who holds its number: by default one lookup when asked; in a batch run, the
 * run's shared lookups of 100 numbers at a time.
 */
export interface HolderQuestions {
  /** With skipExisting: who held the number before the create (asked ahead of time), so a number the user has is never sent. */
  before?: () => Promise<Holder[]>;
  /** Who holds it now, asked after the create was sent: never an answer from before it. */
  after: () => Promise<Holder[]>;
}

/** Creates a phone number once: never sent again, an unknown outcome is only ever looked up. */
export async function createPhone(
  client: ClerkClient,
  body: CreatePhoneNumberBody,
  policy: CreatePolicy,
  holders: HolderQuestions = { after: () => findPhoneNumberHolders(client, body.phone_number) },
): Promise<Sent<Created>> {
  if (policy.skipExisting && holders.before) {
    const existing = await existingBefore(holders.before, body);
    if (existing) return { dryRun: false, result: { status: 'skipped', phone: existing } };
  }
  let sent: Sent<PhoneNumber>;
  try {
    sent = await namingNotFound(
      send(() => createPhoneNumber(client, body)),
      `user ${body.user_id}`,
    );
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const settle = (error.maybeApplied && policy.settleUnknown) || (policy.skipExisting && error.code === 'form_identifier_exists');
    if (!settle) throw maybeAppliedError(error, maybeCreatedHint(body));
    return { dryRun: false, result: await settleByLookup(holders.after, body, error) };
  }
  return sent.dryRun ? sent : { dryRun: false, result: { status: 'created', phone: sent.result } };
}

/**
 * The user's number as a lookup ahead of the create found it. That lookup is only a shortcut: when
 * it failed, the create is sent as without it (Clerk refuses a number the user has, and that is
 * settled as ever). A refused key or a stopped run is no failure to go past.
 */
async function existingBefore(before: () => Promise<Holder[]>, body: CreatePhoneNumberBody): Promise<PhoneNumber | undefined> {
  try {
    return heldBy(await before(), body.user_id);
  } catch (error) {
    if (!(error instanceof ApiError) || error.exitCode === ExitCode.auth || error.code === 'interrupted') throw error;
    return undefined;
  }
}

async function settleByLookup(after: () => Promise<Holder[]>, body: CreatePhoneNumberBody, error: ApiError): Promise<Created> {
  let existing;
  try {
    existing = heldBy(await after(), body.user_id);
  } catch (lookupError) {
    // A refused key stops the run; any other failure leaves the outcome open, and says so.
    if (lookupError instanceof ApiError && lookupError.exitCode === ExitCode.auth) throw lookupError;
    throw error.maybeApplied ? error.withHint(`${maybeCreatedHint(body)} (the lookup failed: ${(lookupError as Error).message})`) : error;
  }
  if (!existing) throw error.maybeApplied ? error.withHint(notCreatedHint(body, error)) : error;
  return error.maybeApplied ? { status: 'created', phone: existing, settledAfter: error } : { status: 'skipped', phone: existing };
}

/**
 * The lookup did not find the number. After an answer (a 5xx) that means it was not created; after
 * none (a timeout, a dropped connection) the request may still be under way at Clerk. Either way a
 * new try cannot make a second one: Clerk refuses a number the user already has.
 */
function notCreatedHint(body: CreatePhoneNumberBody, error: ApiError): string {
  const found = `a lookup found no ${body.phone_number} on user ${body.user_id}`;
  const safe = 'trying again is safe: Clerk refuses a number the user already has';
  return error.status !== null
    ? `${found} afterwards: it was not created; ${safe}`
    : `${found} right afterwards, though the request may still be under way at Clerk; ${safe}`;
}
