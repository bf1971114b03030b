import { usageError } from '../errors.js';
import type { CreatePhoneNumberBody } from '../api/phone-numbers.js';
import { buildCreateBody } from '../phone/create.js';
import { FIELD_KEYS, type PhoneNumberFieldValues } from '../phone/fields.js';
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

export function createRequestFromRow(fields: Record<string, unknown>): CreatePhoneNumberBody {
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
 * A delete row is an ID, an object with `id`, or a result line of `create --file`: then its
 * `result.id`, or nothing to delete when the create left no result (null → the row is skipped).
 */
export function deleteTargetFromRow(fields: Record<string, unknown>): string | null {
  const isCreateResult = 'status' in fields && 'result' in fields && 'line' in fields;
  if (isCreateResult) {
    const result = fields.result as { id?: unknown } | null;
    if (!result) return null;
    if (typeof result.id !== 'string') throw usageError('result.id must be a string');
    return validateId(result.id, 'phone number ID');
  }
  return validateId(requiredString(fields, 'id'), 'phone number ID');
}
