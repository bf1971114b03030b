import { ApiError } from '../api/api-error.js';

/**
 * Clerk's 404 says only "not found" (or "Resource not found"); the request that got it knows
 * what was asked for. A Clerk 404 is thrown again with `what` in its message (`user user_1 not
 * found`), Clerk's code, status, trace id and errors[] kept as sent. A 404 that is not Clerk's
 * JSON (a proxy's page, a wrong API URL) keeps its own message: it says nothing about `what`.
 */
export async function namingNotFound<T>(request: Promise<T>, what: string, hint?: string): Promise<T> {
  try {
    return await request;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404 && error.errors.length > 0)) throw error;
    const details = { ...error.details, maybeApplied: error.maybeApplied, hint: hint ?? error.hint, restated: true };
    throw new ApiError(`${what} not found`, error.exitCode, error.code, details);
  }
}

/** What an argument that matched no phone number ID may have meant instead. */
export function phoneNumberIdHint(argument: string): string | undefined {
  if (argument.startsWith('user_')) return `${argument} is a user ID; a user's phone numbers: phone list --user-id ${argument}`;
  if (looksLikeNumberWithoutPlus(argument)) return COUNTRY_CODE_HINT;
  return undefined;
}

/** `2015550123`, `201 555 0123`: digits (and separators) without the + of E.164. */
export function looksLikeNumberWithoutPlus(argument: string): boolean {
  return /^[\d\s\-.()]+$/.test(argument) && (argument.match(/\d/g) ?? []).length >= 5;
}

export const COUNTRY_CODE_HINT = 'a phone number is given with + and its country code (E.164), e.g. +12015550123 for a US number';
