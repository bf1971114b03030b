import { invalidResponseError } from '../api/api-error.js';
import type { ClerkClient } from '../api/client.js';
import type { PhoneNumber } from '../api/phone-numbers.js';
import { isJsonObject } from '../api/received.js';
import { userPage, type UserFilters } from '../api/user-pages.js';
import { phoneNumbersOf, USER_PAGE_LIMIT, type UserPage } from '../api/users.js';

/**
 * `phone list --all`: every phone number of the instance, one row each, read a page of users at a
 * time and never collected. A row is the API's phone number object with the holder's `user_id`
 * first and `primary` (the user's primary number or not) last.
 */
export type InventoryRow = { user_id: string } & PhoneNumber & { primary: boolean };

/** The filters applied after a page arrives (Clerk has no parameter for them). */
export interface RowFilters {
  /** `verification.status` values, as statusOf() reads them. */
  statuses?: string[];
  secondFactor?: boolean;
  primary?: boolean;
}

export interface InventoryPage {
  /** The users this page held (for the progress line), and the rows the filters kept. */
  users: number;
  rows: InventoryRow[];
}

/**
 * The status a row is filtered on and shown with: `verification.status` as Clerk sends it (any
 * value). Clerk sends `verification: null` (or none at all) for a number nobody verified: that is
 * `reserved` when the number is reserved (locked for its user, as `replace --status reserved`
 * makes it), else `unverified`.
 */
export function statusOf(phone: PhoneNumber): string {
  const verification: unknown = phone.verification;
  if (isJsonObject(verification) && typeof verification.status === 'string') return verification.status;
  return phone.reserved === true ? 'reserved' : 'unverified';
}

function rowsOf(user: UserPage[number]): InventoryRow[] {
  const primaryId = user.primary_phone_number_id;
  return phoneNumbersOf(user).map((phone) => {
    // user_id leads and primary ends, whatever the object itself carries. Spread, not Object.assign:
    // a `__proto__` key the server sent stays a field instead of becoming the row's prototype.
    const row = { user_id: user.id, ...phone } as InventoryRow;
    row.user_id = user.id;
    row.primary = typeof phone.id === 'string' && phone.id === primaryId;
    return row;
  });
}

function rowFilter(filters: RowFilters): (row: InventoryRow) => boolean {
  const statuses = filters.statuses && new Set(filters.statuses);
  return (row) =>
    (!statuses || statuses.has(statusOf(row))) &&
    (!filters.secondFactor || row.reserved_for_second_factor === true) &&
    (!filters.primary || row.primary);
}

/**
 * The cursors a walk remembers to catch a server going round in a circle: the last 1,000 (500,000
 * users), so that memory stays flat however large the instance. A circle longer than that is no
 * different from a server that never ends its pages: the walk goes on until Ctrl-C.
 */
const CURSORS_REMEMBERED = 1_000;

/**
 * The pages of a walk over every user: `limit=500`, `order_by=+created_at`, the last user's id as
 * the next cursor, ending at the first page shorter than the limit. A user added during the walk
 * sorts after the cursor and comes once, on a later page, or not at all if the walk ended first.
 * `stopped` is asked before each request: once it says so, no further page is fetched.
 *
 * A server that does not move past its cursor must not make the walk endless or a backup hold a
 * number twice: a user already read on the page before, or a cursor recently sent
 * (CURSORS_REMEMBERED), comes once; a full page ending on a user already read ends the walk
 * with invalid_response before its rows are written, as the next page would start over.
 */
export async function* inventoryPages(
  client: ClerkClient,
  filters: UserFilters & RowFilters,
  stopped: () => boolean = () => false,
): AsyncGenerator<InventoryPage> {
  const keep = rowFilter(filters);
  const cursors = new Set<string>();
  let previous = new Set<string>();
  let cursor: string | undefined;
  while (!stopped()) {
    const page = await userPage(client, filters, cursor);
    const full = page.length >= USER_PAGE_LIMIT;
    const last = page[page.length - 1]?.id;
    if (full && (cursors.has(last!) || previous.has(last!))) {
      throw invalidResponseError(
        200,
        `a full page of users ending on ${JSON.stringify(last!.slice(0, 40))}, a user already read: the server does not move past starting_after`,
      );
    }
    const seen = new Set<string>();
    const users = page.filter((user) => {
      const repeated = seen.has(user.id) || previous.has(user.id) || cursors.has(user.id);
      seen.add(user.id);
      return !repeated;
    });
    yield { users: users.length, rows: users.flatMap(rowsOf).filter(keep) };
    if (!full) return;
    cursors.add(last!);
    if (cursors.size > CURSORS_REMEMBERED) cursors.delete(cursors.values().next().value!);
    previous = seen;
    cursor = last;
  }
}
