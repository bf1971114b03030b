import { usageError } from '../errors.js';

/** The fields of Clerk's PhoneNumber object, in the spec's order: what `--fields` may name. */
export const PHONE_NUMBER_FIELDS = [
  'id',
  'object',
  'phone_number',
  'reserved_for_second_factor',
  'default_second_factor',
  'reserved',
  'verification',
  'linked_to',
  'backup_codes',
  'created_at',
  'updated_at',
] as const;

/** `--fields id,phone_number` → the names, checked; an unknown one is a usage error that lists the valid ones. */
export function parseFields(value: string): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(PHONE_NUMBER_FIELDS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length) {
    throw usageError(
      `${unknown.length ? `unknown field ${unknown.map((n) => JSON.stringify(n)).join(', ')}` : 'no field given'} in --fields; valid fields: ${PHONE_NUMBER_FIELDS.join(', ')}`,
    );
  }
  return names;
}

/** The object with only the chosen fields, in the order they were asked for. */
export function pickFields(value: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields) return value;
  return Object.fromEntries(fields.map((name) => [name, value[name] ?? null]));
}
