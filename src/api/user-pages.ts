import { invalidResponseError } from './api-error.js';
import type { ClerkClient } from './client.js';
import { usersPage, type UserPage } from './users.js';

/**
 * Walking every user: one page of `GET /v1/users` in the created_at order with a cursor, and
 * `GET /v1/users/count` with the same filters.
 */

export interface UserFilters {
  /** `phone_number_query`: Clerk's case-insensitive partial match on the users' numbers. */
  phoneNumberQuery?: string;
}

function filterQuery(filters: UserFilters): Record<string, string> {
  return filters.phoneNumberQuery === undefined ? {} : { phone_number_query: filters.phoneNumberQuery };
}

/** The users after `startingAfter` (from the first when undefined), oldest first: a user's `id` is the next cursor. */
export function userPage(client: ClerkClient, filters: UserFilters, startingAfter: string | undefined): Promise<UserPage> {
  return usersPage(client, filterQuery(filters), startingAfter === undefined ? {} : { starting_after: startingAfter });
}

/** How many users the filters match (`GET /v1/users/count`). */
export async function countUsers(client: ClerkClient, filters: UserFilters): Promise<number> {
  const answer = await client.request<Record<string, unknown>>({ method: 'GET', path: '/users/count', query: filterQuery(filters) });
  const total = answer.total_count;
  if (typeof total !== 'number' || !Number.isSafeInteger(total) || total < 0) {
    throw invalidResponseError(200, 'a count that is not a whole number');
  }
  return total;
}
