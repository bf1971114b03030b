import type { ClerkClient } from './client.js';
import type { operations } from './clerk-api.generated.js';
import type { Received } from './received.js';
import type { JsonBody, JsonResponse } from './operation-types.js';

/**
 * Phone number verifications: sending a one-time code and checking it. The shapes come from
 * Clerk's published spec (`npm run generate`); responses are read through `Received` like every
 * other answer, so a missing field or a status the spec does not list cannot crash the CLI.
 */

/** What prepare_verification and attempt_verification answer (`object: "verification"`). */
export type Verification = Received<JsonResponse<operations['PreparePhoneNumberVerification']>>;

/** Written strictly: exactly the two fields the spec requires. */
export type AttemptVerificationBody = JsonBody<operations['AttemptPhoneNumberVerification']>;

const verificationPath = (phoneNumberId: string, action: 'prepare_verification' | 'attempt_verification') =>
  `/phone_numbers/${encodeURIComponent(phoneNumberId)}/${action}`;

/**
 * Sends a code. A POST: the client repeats it only when it certainly did not arrive (a 429, a
 * connection never made), since a second SMS costs money and counts against Clerk's limits.
 */
export function prepareVerification(client: ClerkClient, phoneNumberId: string): Promise<Verification> {
  return client.request<Verification>({ method: 'POST', path: verificationPath(phoneNumberId, 'prepare_verification') });
}

/** Checks a code. A wrong or expired code is no HTTP error: the verification's `status` tells. */
export function attemptVerification(client: ClerkClient, phoneNumberId: string, body: AttemptVerificationBody): Promise<Verification> {
  return client.request<Verification>({
    method: 'POST',
    path: verificationPath(phoneNumberId, 'attempt_verification'),
    body: { verification_id: body.verification_id, code: body.code },
  });
}
