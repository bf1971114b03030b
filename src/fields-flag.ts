import { usageError } from './errors.js';

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

/** The fields of a verification (`phone verify send|check`), in the spec's order. */
export const VERIFICATION_FIELDS = ['object', 'id', 'status', 'strategy', 'attempts', 'expire_at', 'channel'] as const;

/** What `phone list --all` adds to each phone number. */
const INVENTORY_FIELDS = ['user_id', 'primary'] as const;

const KNOWN = new Set<string>([...PHONE_NUMBER_FIELDS, ...VERIFICATION_FIELDS, ...INVENTORY_FIELDS]);

/**
 * `--fields id,phone_number` → the names, checked before any request (settings are resolved
 * first); an unknown one is a usage error that lists the valid ones.
 */
export function parseFields(value: string): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !KNOWN.has(name));
  if (names.length === 0 || unknown.length) {
    throw usageError(
      `${unknown.length ? `unknown field ${unknown.map((n) => JSON.stringify(n)).join(', ')}` : 'no field given'} in --fields; valid fields: phone numbers: ${PHONE_NUMBER_FIELDS.join(', ')} (list --all: also ${INVENTORY_FIELDS.join(', ')}); verifications: ${VERIFICATION_FIELDS.join(', ')}`,
    );
  }
  return names;
}
