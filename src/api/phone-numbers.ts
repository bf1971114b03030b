import type { ClerkClient } from './client.js';
import type { components, operations } from './clerk-api.generated.js';
import type { Received } from './received.js';
import type { JsonBody } from './operation-types.js';

/**
 * The shapes come from Clerk's published spec (`npm run generate`). Reading stays lenient all the
 * same: rendering code checks what it reads, and JSON output passes objects through unchanged,
 * fields unknown to the spec included.
 */

export type PhoneNumber = Received<components['schemas']['PhoneNumber']>;
export type DeletedObject = Received<components['schemas']['DeletedObject']>;

/** Written strictly: only the fields the user gave are sent. */
export type CreatePhoneNumberBody = JsonBody<operations['CreatePhoneNumber']>;
export type UpdatePhoneNumberBody = JsonBody<operations['UpdatePhoneNumber']>;

/** A phone number's verification if it has one that is an object (Clerk sends null, or more shapes over time). */
export function verificationOf(phone: PhoneNumber): Record<string, unknown> | null {
  return phone.verification && typeof phone.verification === 'object' ? phone.verification : null;
}

const phoneNumberPath = (id: string) => `/phone_numbers/${encodeURIComponent(id)}`;

export function createPhoneNumber(client: ClerkClient, body: CreatePhoneNumberBody): Promise<PhoneNumber> {
  return client.request<PhoneNumber>({ method: 'POST', path: '/phone_numbers', body: { ...body } });
}

export function getPhoneNumber(client: ClerkClient, id: string): Promise<PhoneNumber> {
  return client.request<PhoneNumber>({ method: 'GET', path: phoneNumberPath(id) });
}

export function updatePhoneNumber(client: ClerkClient, id: string, body: UpdatePhoneNumberBody): Promise<PhoneNumber> {
  return client.request<PhoneNumber>({ method: 'PATCH', path: phoneNumberPath(id), body: { ...body } });
}

export function deletePhoneNumber(client: ClerkClient, id: string): Promise<DeletedObject> {
  return client.request<DeletedObject>({ method: 'DELETE', path: phoneNumberPath(id) });
}
