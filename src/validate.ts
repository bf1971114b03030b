import { usageError } from './errors.js';

export const ID_PATTERN = /^[A-Za-z0-9_]+$/;
const E164_PATTERN = /^\+\d{8,15}$/;
/** Separators people type or paste from contact cards. */
const PHONE_SEPARATORS = /[\s\-.()]/g;

/** IDs become URL path segments: anything but letters, digits and `_` could reach another endpoint. */
export function validateId(value: string, label: string): string {
  if (!ID_PATTERN.test(value)) {
    throw usageError(`invalid ${label} ${JSON.stringify(value)}: only letters, digits and _ are allowed`);
  }
  return value;
}

/** `+1 (201) 555-0123` → `+12015550123`; anything that is not then E.164 is refused before a request. */
export function normalizePhoneNumber(value: string): string {
  const normalized = value.replace(PHONE_SEPARATORS, '');
  if (!E164_PATTERN.test(normalized)) {
    throw usageError(`invalid phone number ${JSON.stringify(value)}: expected E.164, a + and 8 to 15 digits (e.g. +12015550123)`);
  }
  return normalized;
}

export function isPhoneNumberArgument(value: string): boolean {
  return value.trimStart().startsWith('+');
}

export function parseNonNegativeInteger(value: string, flag: string): number {
  if (!/^\d+$/.test(value)) throw usageError(`${flag} must be a whole number of 0 or more, got ${JSON.stringify(value)}`);
  return Number(value);
}

export function parsePositiveInteger(value: string, flag: string): number {
  const n = parseNonNegativeInteger(value, flag);
  if (n === 0) throw usageError(`${flag} must be at least 1, got ${JSON.stringify(value)}`);
  return n;
}

/** A whole number from `min` to `max`; past the bound is an error, never a value that wraps around. */
export function parseBoundedInteger(value: string, flag: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) throw usageError(`${flag} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}
