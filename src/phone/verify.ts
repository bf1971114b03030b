import { ApiError } from '../api/api-error.js';
import type { ClerkClient } from '../api/client.js';
import { attemptVerification, prepareVerification, type Verification } from '../api/verifications.js';
import { CliError, ExitCode } from '../errors.js';
import { maybeAppliedError, send, sendOnce, type Sent } from './change.js';
import { namingNotFound } from './not-found.js';

/** Sends a one-time code by SMS; never repeated once it may have reached Clerk. */
export function sendCode(client: ClerkClient, phoneNumberId: string): Promise<Sent<Verification>> {
  const sent = sendOnce(
    () => prepareVerification(client, phoneNumberId),
    'a code may have been sent anyway (a send is never repeated once it may have reached Clerk: each SMS costs money ' +
      'and counts against limits); wait for it before sending another with phone verify send',
  );
  return namingNotFound(sent, `phone number ${phoneNumberId}`);
}

/** Tries a code. A wrong or expired one is no error here: the verification's status tells, see codeRejection. */
export function checkCode(client: ClerkClient, phoneNumberId: string, verificationId: string, code: string): Promise<Sent<Verification>> {
  // Clerk answers 404 for an unknown phone number and for a verification of another one alike.
  return namingNotFound(
    attempt(client, phoneNumberId, verificationId, code),
    `phone number ${phoneNumberId} with verification ${verificationId}`,
  );
}

function attempt(client: ClerkClient, phoneNumberId: string, verificationId: string, code: string): Promise<Sent<Verification>> {
  return send(() => attemptVerification(client, phoneNumberId, { verification_id: verificationId, code })).catch((error: unknown) => {
    if (error instanceof ApiError && error.code === 'verification_already_verified') {
      throw error.withHint(`the code was accepted before; the phone number's own status: phone get ${phoneNumberId}`);
    }
    throw maybeAppliedError(
      error,
      'the code may have been checked anyway (a check is never repeated once it may have reached Clerk); checking it ' +
        `again answers verification_already_verified if it was accepted, and phone get ${phoneNumberId} shows whether ` +
        'the number is verified',
    );
  });
}

function describeAttempts(attempts: unknown): string {
  if (typeof attempts !== 'number') return '';
  return `, ${attempts} attempt${attempts === 1 ? '' : 's'}`;
}

/** What to do after a status other than verified. */
function nextStep(status: unknown, phoneNumberId: string): string | undefined {
  if (status === 'expired') return `the code expired: send a new one with phone verify send ${phoneNumberId}`;
  if (status === 'failed') return `too many wrong codes: send a new one with phone verify send ${phoneNumberId}`;
  if (status === 'unverified') return 'the code was wrong; the verification is still open, so the right code can be tried again';
  return undefined;
}

/** Why a checked code was not accepted (exit 1, so scripts can rely on the code), or undefined when it was. */
export function codeRejection(verification: Verification, phoneNumberId: string): CliError | undefined {
  const { status } = verification;
  if (status === 'verified') return undefined;
  const shown = typeof status === 'string' && status !== '' ? status : 'missing';
  const message = `the code was not accepted: status ${shown}${describeAttempts(verification.attempts)}`;
  return new CliError(message, ExitCode.apiRefused, 'code_not_accepted', { hint: nextStep(status, phoneNumberId) });
}
