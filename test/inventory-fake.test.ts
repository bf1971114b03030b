// The fake's GET /v1/users and /v1/users/count do what Clerk does: limit, offset, order_by, the
// starting_after cursor and its 422s, phone_number (up to 100) and phone_number_query.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useFakeClerk } from './helpers/fixture.ts';

const clerk = useFakeClerk();

/** A page of users, or a Clerk error body, or a count: loosely typed, as the test reads each. */
type Answer = { id: string }[] & {
  errors: { code: string; meta: { param_name: string } }[];
  clerk_trace_id: string;
};

async function get(pathAndQuery: string): Promise<{ status: number; body: Answer }> {
  const response = await fetch(`${clerk.server.url}/v1${pathAndQuery}`, { headers: { authorization: `Bearer ${clerk.server.secretKey}` } });
  return { status: response.status, body: (await response.json()) as Answer };
}

function seed(count: number, numberOf = (i: number) => `+1201555${String(i).padStart(4, '0')}`) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = clerk.server.addUser();
    clerk.server.addPhoneNumber(user.id, numberOf(i));
    ids.push(user.id);
  }
  return ids;
}

const idsOf = (body: { id: string }[]) => body.map((u) => u.id);

test('without limit a page holds 10 users, newest first (order_by defaults to -created_at)', async () => {
  const ids = seed(12);
  const { status, body } = await get('/users');
  assert.equal(status, 200);
  assert.deepEqual(idsOf(body), ids.slice(2).reverse());
});

test('limit is 1 to 500, offset skips, +created_at is oldest first', async () => {
  const ids = seed(600);
  assert.equal((await get('/users?limit=5000&order_by=%2Bcreated_at')).body.length, 500);
  assert.deepEqual(idsOf((await get('/users?limit=3&offset=4&order_by=%2Bcreated_at')).body), ids.slice(4, 7));
  assert.deepEqual(idsOf((await get('/users?limit=3&offset=4&order_by=created_at')).body), ids.slice(4, 7), 'no sign: + implied');
  assert.deepEqual(idsOf((await get('/users?limit=2&offset=1')).body), [ids[598], ids[597]]);
});

test('starting_after walks from the cursor in either created_at direction; the last page is short', async () => {
  const ids = seed(1203);
  const seen: string[] = [];
  let cursor = '';
  for (;;) {
    const { status, body } = await get(`/users?limit=500&order_by=%2Bcreated_at${cursor ? `&starting_after=${cursor}` : ''}`);
    assert.equal(status, 200);
    seen.push(...idsOf(body));
    if (body.length < 500) break;
    cursor = body.at(-1)!.id;
  }
  assert.deepEqual(seen, ids);
  assert.deepEqual(idsOf((await get(`/users?limit=2&order_by=-created_at&starting_after=${ids[10]}`)).body), [ids[9], ids[8]]);
  assert.deepEqual(idsOf((await get(`/users?limit=2&starting_after=${ids[0]}`)).body), [], 'nothing older than the oldest');
});

test('a user added after the cursor was read comes at the end of a +created_at walk', async () => {
  const ids = seed(5);
  const first = (await get('/users?limit=3&order_by=%2Bcreated_at')).body;
  const late = clerk.server.addUser();
  const rest = (await get(`/users?limit=3&order_by=%2Bcreated_at&starting_after=${first.at(-1)!.id}`)).body;
  assert.deepEqual([...idsOf(first), ...idsOf(rest)], [...ids, late.id]);
});

test('422 for starting_after with another ordering, with a non-zero offset, and for an unknown order_by', async () => {
  const [id] = seed(3);
  for (const [query, param] of [
    [`order_by=phone_number&starting_after=${id}`, 'starting_after'],
    [`order_by=-updated_at&starting_after=${id}`, 'starting_after'],
    [`offset=1&starting_after=${id}`, 'starting_after'],
    ['order_by=shoe_size', 'order_by'],
  ] as const) {
    const { status, body } = await get(`/users?${query}`);
    assert.equal(status, 422, query);
    assert.equal(body.errors[0].code, 'form_param_value_invalid', query);
    assert.equal(body.errors[0].meta.param_name, param, query);
    assert.match(body.clerk_trace_id, /^[0-9a-f]{32}$/);
  }
  assert.equal((await get(`/users?offset=0&starting_after=${id}&order_by=%2Bcreated_at`)).status, 200, 'offset=0 is no offset');
  assert.equal((await get('/users?order_by=phone_number&offset=1')).status, 200, 'other orderings page with offset');
});

test('phone_number takes up to 100 exact numbers; 101 is a 422', async () => {
  const ids = seed(120);
  const numbers = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => `phone_number=%2B1201555${String(from + i).padStart(4, '0')}`).join('&');
  const { status, body } = await get(`/users?limit=500&order_by=%2Bcreated_at&${numbers(0, 100)}`);
  assert.equal(status, 200);
  assert.deepEqual(idsOf(body), ids.slice(0, 100));
  const over = await get(`/users?${numbers(0, 101)}`);
  assert.equal(over.status, 422);
  assert.equal(over.body.errors[0].meta.param_name, 'phone_number');
  assert.deepEqual(idsOf((await get('/users?phone_number=%2B12015550007')).body), [ids[7]], 'an exact match only');
});

test('phone_number_query is a partial match on any number; /users/count takes the same filters', async () => {
  const ids = seed(30, (i) => (i % 3 === 0 ? `+4420794600${String(i).padStart(2, '0')}` : `+1201555${String(i).padStart(4, '0')}`));
  const second = clerk.server.addUser();
  clerk.server.addPhoneNumber(second.id, '+15550000000');
  clerk.server.addPhoneNumber(second.id, '+447700900123');
  const uk = [...ids.filter((_, i) => i % 3 === 0), second.id];
  assert.deepEqual(idsOf((await get('/users?limit=500&order_by=%2Bcreated_at&phone_number_query=%2B44')).body), uk);
  assert.deepEqual(idsOf((await get('/users?limit=500&order_by=%2Bcreated_at&phone_number_query=0794600')).body), uk.slice(0, -1));
  assert.deepEqual((await get('/users/count?phone_number_query=%2B44')).body, { object: 'total_count', total_count: 11 });
  assert.deepEqual((await get('/users/count')).body, { object: 'total_count', total_count: 31 });
  assert.deepEqual((await get('/users/count?phone_number=%2B15550000000')).body, { object: 'total_count', total_count: 1 });
});

test('onRequest runs with each request and how many the server has seen', async () => {
  const seen: number[] = [];
  clerk.server.onRequest((_request, count) => seen.push(count));
  await get('/users');
  await get('/users/count');
  assert.deepEqual(seen, [1, 2]);
});
