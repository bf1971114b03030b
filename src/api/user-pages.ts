import { invalidResponseError } from './api-error.js';
import type { ClerkClient } from './client.js';
import { USER_PAGE_BOUNDS, USER_PAGE_LIMIT, type User } from './users.js';

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

/**
 * The users after `startingAfter` (from the first when undefined), oldest first. A user's `id` is
 * the next cursor, so a user without a string id ends the walk with invalid_response.
 */
export async function userPage(client: ClerkClient, filters: UserFilters, startingAfter: string | undefined): Promise<User[]> {
  const users = await client.request<User[]>({
    method: 'GET',
    path: '/users',
    query: {
      limit: String(USER_PAGE_LIMIT),
      order_by: '+created_at',
      ...(startingAfter === undefined ? {} : { starting_after: startingAfter }),
      ...filterQuery(filters),
    },
    answer: 'list',
    bounds: USER_PAGE_BOUNDS,
  });
  for (const user of users) {
    if (typeof user.id !== 'string' || user.id === '') throw invalidResponseError(200, 'a user without an id in a page of users');
  }
  if (users.length > USER_PAGE_LIMIT)
    throw invalidResponseError(200, `a page of ${users.length} users where at most ${USER_PAGE_LIMIT} were asked for`);
  return users;
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
