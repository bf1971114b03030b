// Maps an authenticated request onto FakeState, validating bodies the way
// Clerk's form-param layer does (unknown / missing / badly typed params).
import { clerkErrors } from './errors.ts';
import { USER_ORDER_FIELDS, type FakeState, type IdentificationStatus, type UserListQuery } from './state.ts';

export interface RouteResult {
  status: number;
  body: unknown;
}

const E164 = /^\+[1-9]\d{7,14}$/;
const IDENTIFICATION_STATUSES: readonly string[] = ['verified', 'reserved', 'unverified'];

type ParamType = 'string' | 'boolean';

/** Unknown keys, then missing required ones, then types; null counts as "not given" like Clerk's nullable params. */
function readParams(body: unknown, spec: Record<string, ParamType>, required: string[] = []): Record<string, string | boolean | undefined> {
  if (body === undefined) body = {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw clerkErrors.bodyInvalid();
  const input = body as Record<string, unknown>;
  for (const key of Object.keys(input)) if (!(key in spec)) throw clerkErrors.paramUnknown(key);
  for (const key of required) {
    if (input[key] === undefined || input[key] === null || input[key] === '') throw clerkErrors.paramMissing(key);
  }
  const out: Record<string, string | boolean | undefined> = {};
  for (const [key, type] of Object.entries(spec)) {
    const value = input[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== type) throw clerkErrors.paramFormatInvalid(key, `${key} must be a ${type}.`);
    out[key] = value as string | boolean;
  }
  return out;
}

function assertE164(phoneNumber: string): void {
  if (!E164.test(phoneNumber)) {
    throw clerkErrors.paramFormatInvalid(
      'phone_number',
      'phone_number must be a valid phone number according to E.164 international standard.',
    );
  }
}

const bool = (v: string | boolean | undefined) => (typeof v === 'boolean' ? v : undefined);

function intParam(raw: string | null, fallback: number, min: number, max: number): number {
  const n = raw === null ? NaN : Number.parseInt(raw, 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

// A malformed %-escape cannot name an existing resource; keep it raw so it 404s.
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Clerk takes up to 100 `phone_number` values in one request. */
export const MAX_PHONE_NUMBER_FILTERS = 100;

/**
 * The parameters of GET /v1/users (and /count) as Clerk checks them: an unknown `order_by` field, more
 * than 100 numbers, and a cursor with another ordering or a non-zero offset are 422s.
 */
function userListQuery(query: URLSearchParams): UserListQuery {
  const phoneNumbers = [...query.getAll('phone_number'), ...query.getAll('phone_number[]')].filter((n) => n !== '');
  if (phoneNumbers.length > MAX_PHONE_NUMBER_FILTERS) {
    throw clerkErrors.paramValueInvalid('phone_number', `phone_number accepts at most ${MAX_PHONE_NUMBER_FILTERS} values.`);
  }
  // Only the first order_by counts, as Clerk documents; without a sign `+` is implied.
  const orderBy = query.get('order_by') ?? '-created_at';
  const field = orderBy.replace(/^[+-]/, '');
  if (!(USER_ORDER_FIELDS as readonly string[]).includes(field)) {
    throw clerkErrors.paramValueInvalid(
      'order_by',
      `order_by must be one of ${USER_ORDER_FIELDS.join(', ')}, optionally prefixed with + or -.`,
    );
  }
  const offset = intParam(query.get('offset'), 0, 0, Number.MAX_SAFE_INTEGER);
  const startingAfter = query.get('starting_after') ?? undefined;
  if (startingAfter !== undefined && field !== 'created_at') {
    throw clerkErrors.paramValueInvalid('starting_after', 'starting_after can only be used when ordering by created_at.');
  }
  if (startingAfter !== undefined && offset !== 0) {
    throw clerkErrors.paramValueInvalid('starting_after', 'starting_after cannot be combined with a non-zero offset.');
  }
  const phoneNumberQuery = query.get('phone_number_query') ?? undefined;
  return {
    phoneNumbers,
    phoneNumberQuery: phoneNumberQuery === '' ? undefined : phoneNumberQuery,
    orderBy: { field, descending: orderBy.startsWith('-') },
    limit: intParam(query.get('limit'), 10, 1, 500),
    offset,
    startingAfter,
  };
}

/** Throws ClerkApiError for every Clerk-level failure; unknown routes are 404 like Clerk's router. */
export function route(state: FakeState, method: string, pathname: string, query: URLSearchParams, body: unknown): RouteResult {
  const parts = pathname.split('/').slice(1).map(safeDecode);
  if (parts[0] !== 'v1') throw clerkErrors.notFound();
  const [, collection, id, action, ...rest] = parts;
  if (rest.length > 0) throw clerkErrors.notFound();
  const ok = (b: unknown): RouteResult => ({ status: 200, body: b });

  if (collection === 'phone_numbers') {
    if (id === undefined) {
      if (method !== 'POST') throw clerkErrors.notFound();
      const p = readParams(
        body,
        { user_id: 'string', phone_number: 'string', verified: 'boolean', primary: 'boolean', reserved_for_second_factor: 'boolean' },
        ['user_id', 'phone_number'],
      );
      assertE164(p.phone_number as string);
      return ok(
        state.createPhone(p.user_id as string, p.phone_number as string, {
          verified: bool(p.verified),
          primary: bool(p.primary),
          reservedForSecondFactor: bool(p.reserved_for_second_factor),
        }),
      );
    }
    if (id === '') throw clerkErrors.notFound();
    if (action === undefined) {
      if (method === 'GET') return ok(state.getPhone(id));
      if (method === 'DELETE') return ok(state.deletePhone(id));
      if (method === 'PATCH') {
        state.getPhone(id); // 404 before body complaints: the resource is named in the path
        const p = readParams(body, { verified: 'boolean', primary: 'boolean', reserved_for_second_factor: 'boolean' });
        return ok(
          state.updatePhone(id, {
            verified: bool(p.verified),
            primary: bool(p.primary),
            reservedForSecondFactor: bool(p.reserved_for_second_factor),
          }),
        );
      }
      throw clerkErrors.notFound();
    }
    if (method === 'POST' && action === 'prepare_verification') return ok(state.prepareVerification(id));
    if (method === 'POST' && action === 'attempt_verification') {
      state.getPhone(id);
      const p = readParams(body, { verification_id: 'string', code: 'string' }, ['verification_id', 'code']);
      return ok(state.attemptVerification(id, p.verification_id as string, p.code as string));
    }
    throw clerkErrors.notFound();
  }

  if (collection === 'users') {
    if (id === undefined || (id === 'count' && action === undefined)) {
      if (method !== 'GET') throw clerkErrors.notFound();
      const q = userListQuery(query);
      if (id === 'count') return ok({ object: 'total_count', total_count: state.countUsers(q) });
      return ok(state.listUsers(q));
    }
    if (id === '') throw clerkErrors.notFound();
    if (action === undefined && method === 'GET') {
      const user = state.userObject(id);
      if (!user) throw clerkErrors.notFound();
      return ok(user);
    }
    if (action === 'phone_number' && method === 'PUT') {
      if (!state.userObject(id)) throw clerkErrors.notFound();
      const p = readParams(body, { phone_number: 'string', identification_status: 'string' }, ['phone_number']);
      assertE164(p.phone_number as string);
      const status = (p.identification_status as string | undefined) ?? 'verified';
      if (!IDENTIFICATION_STATUSES.includes(status)) {
        throw clerkErrors.paramValueInvalid(
          'identification_status',
          'identification_status must be one of: verified, reserved, unverified.',
        );
      }
      return ok(state.replaceUserPhone(id, p.phone_number as string, status as IdentificationStatus));
    }
  }
  throw clerkErrors.notFound();
}
