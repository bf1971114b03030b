import { usageError } from '../errors.js';
import type { CreatePhoneNumberBody } from '../api/phone-numbers.js';
import { buildCreateBody } from '../phone/create.js';
import { FIELD_KEYS, type PhoneNumberFieldValues } from '../phone/fields.js';
import { parseTarget, type PhoneNumberTarget } from '../phone/lookup.js';
import { validateId } from '../validate.js';
import type { RowSchema } from './input.js';

/** Turning raw row fields into typed requests; a bad value fails its row with a usage error. */

export const CREATE_SCHEMA: RowSchema = { required: ['user_id', 'phone_number'], optional: [...FIELD_KEYS], bareIds: false };
export const UPDATE_SCHEMA: RowSchema = { required: ['id'], optional: [...FIELD_KEYS], bareIds: false };
export const DELETE_SCHEMA: RowSchema = { required: ['id'], optional: null, bareIds: true };

/** JSON booleans, or the CSV words `true`/`false`; null, absent and an empty CSV cell send nothing. */
function optionalBoolean(fields: Record<string, unknown>, key: string): boolean | undefined {
  const value = fields[key];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string' && /^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  throw usageError(`${key} must be true or false, got ${JSON.stringify(value)}`);
}

function requiredString(fields: Record<string, unknown>, key: string): string {
  const value = fields[key];
  if (typeof value !== 'string' || value.trim() === '') throw usageError(`${key} is required and must be a string`);
  return value.trim();
}

function rejectUnknown(fields: Record<string, unknown>, schema: RowSchema): void {
  const known = new Set([...schema.required, ...(schema.optional ?? [])]);
  const unknown = Object.keys(fields).filter((key) => !known.has(key));
  if (unknown.length) throw usageError(`unknown field ${unknown.join(', ')} (fields: ${[...known].join(', ')})`);
}

function fieldValues(fields: Record<string, unknown>): PhoneNumberFieldValues {
  const values: PhoneNumberFieldValues = {};
  for (const key of FIELD_KEYS) {
    const value = optionalBoolean(fields, key);
    if (value !== undefined) values[key] = value;
  }
  return values;
}

/**
 * A backup row, as `phone list --all -o jsonl` writes them: Clerk's phone number object
 * (`"object": "phone_number"`) with its holder's `user_id` first and `primary` last. Told apart
 * from a create row by `object`, which no create row has (its fields are checked strictly).
 */
function isBackupRow(fields: Record<string, unknown>): boolean {
  return fields.object === 'phone_number';
}

/**
 * The create that makes a backed-up number again: `user_id` and `phone_number` as they are,
 * `verified` when `verification.status` is `verified`, `primary` and `reserved_for_second_factor`
 * from the row; the rest (ID, verification history, `linked_to`, timestamps) cannot be written.
 */
function backupRowRequest(fields: Record<string, unknown>): CreatePhoneNumberBody {
  const body = buildCreateBody({ userId: requiredString(fields, 'user_id'), phoneNumber: requiredString(fields, 'phone_number') });
  const verification = fields.verification ?? null;
  if (verification !== null && (typeof verification !== 'object' || Array.isArray(verification))) {
    throw usageError(`verification must be an object or null, as phone list --all writes it, got ${JSON.stringify(verification)}`);
  }
  const values: PhoneNumberFieldValues = { verified: (verification as { status?: unknown } | null)?.status === 'verified' };
  for (const key of ['primary', 'reserved_for_second_factor'] as const) {
    const value = optionalBoolean(fields, key);
    if (value !== undefined) values[key] = value;
  }
  return { ...body, ...values };
}

/** A create row, or a backup row (isBackupRow). */
export function createRequestFromRow(fields: Record<string, unknown>): CreatePhoneNumberBody {
  if (isBackupRow(fields)) return backupRowRequest(fields);
  rejectUnknown(fields, CREATE_SCHEMA);
  return {
    ...buildCreateBody({ userId: requiredString(fields, 'user_id'), phoneNumber: requiredString(fields, 'phone_number') }),
    ...fieldValues(fields),
  };
}

export function updateRequestFromRow(fields: Record<string, unknown>): { id: string; body: PhoneNumberFieldValues } {
  rejectUnknown(fields, UPDATE_SCHEMA);
  const id = validateId(requiredString(fields, 'id'), 'phone number ID');
  const body = fieldValues(fields);
  if (Object.keys(body).length === 0) throw usageError(`nothing to update: give at least one of ${FIELD_KEYS.join(', ')}`);
  return { id, body };
}

/**
 * A delete row is an ID or a `+E164` number (as `phone delete` takes), an object with `id`, or a
 * result line of `create --file`: then its `result.id`, or nothing to delete when the create left
 * no result (null → the row is skipped).
 */
export function deleteTargetFromRow(fields: Record<string, unknown>): PhoneNumberTarget | null {
  const isCreateResult = 'status' in fields && 'result' in fields && 'line' in fields;
  if (isCreateResult) {
    const result = fields.result as { id?: unknown } | null;
    if (!result) return null;
    if (typeof result.id !== 'string') throw usageError('result.id must be a string');
    return { kind: 'id', id: validateId(result.id, 'phone number ID') };
  }
  return parseTarget(requiredString(fields, 'id'));
}
