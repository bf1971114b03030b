import type { ClerkClient } from './client.js';

/** Read leniently: Clerk adds fields and strategies over time, and unknown ones are kept as they are. */
export interface PhoneNumber {
  id: string;
  object: string;
  phone_number: string;
  reserved_for_second_factor?: boolean;
  default_second_factor?: boolean;
  reserved: boolean;
  verification: { status?: string; strategy?: string; attempts?: number | null; expire_at?: number | null; [key: string]: unknown } | null;
  linked_to: { type: string; id: string }[];
  backup_codes?: string[] | null;
  created_at: number;
  updated_at: number;
  [key: string]: unknown;
}

export interface DeletedObject {
  object: string;
  id?: string;
  deleted: boolean;
  [key: string]: unknown;
}

/** Written strictly: only the fields the user gave are sent. */
export interface CreatePhoneNumberBody {
  user_id: string;
  phone_number: string;
  verified?: boolean;
  primary?: boolean;
  reserved_for_second_factor?: boolean;
}

export type UpdatePhoneNumberBody = Partial<Pick<CreatePhoneNumberBody, 'verified' | 'primary' | 'reserved_for_second_factor'>>;

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
