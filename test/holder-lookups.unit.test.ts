// HolderLookups on its own: which questions go out together, and what each row gets back.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../src/api/api-error.ts';
import type { ApiRequest, ClerkClient } from '../src/api/client.ts';
import { findHoldersOfNumbers, type Holder } from '../src/api/users.ts';
import { ExitCode } from '../src/errors.ts';
import { deleteJob } from '../src/batch/jobs.ts';
import { heldBy, HolderLookups } from '../src/phone/holder-lookups.ts';
import { number } from './helpers/common.ts';

const holder = (userId: string, phoneNumber: string): Holder => ({
  userId,
  phone: { id: `idn_${userId}`, object: 'phone_number', phone_number: phoneNumber },
});

/** Lookups answered from `held` (number → user IDs), recording the numbers of each lookup sent. */
function recording(held: Record<string, string[]> = {}, fail?: unknown) {
  const sent: string[][] = [];
  const lookups = new HolderLookups(async (numbers) => {
    sent.push([...numbers]);
    if (fail) throw fail;
    return new Map(numbers.map((n) => [n, (held[n] ?? []).map((userId) => holder(userId, n))]));
  });
  return { lookups, sent };
}

describe('HolderLookups', () => {
  test('numbers asked ahead go out 100 at a time, as soon as 100 are gathered; the rest when an answer is needed', async () => {
    const { lookups, sent } = recording({ [number(0)]: ['user_a'], [number(150)]: ['user_b'] });
    const answers = Array.from({ length: 250 }, (_, i) => lookups.ask(number(i)));
    assert.deepEqual(
      sent.map((numbers) => numbers.length),
      [100, 100],
      'two full lookups sent while reading, the last 50 wait',
    );
    assert.deepEqual(heldBy(await answers[0]!(), 'user_a')?.phone_number, number(0));
    assert.deepEqual(await answers[1]!(), []);
    assert.equal(sent.length, 2, 'an answer already on its way sends nothing');
    const last = await answers[249]!();
    assert.deepEqual(last, []);
    assert.deepEqual(
      sent.map((numbers) => numbers.length),
      [100, 100, 50],
    );
    assert.deepEqual(
      (await answers[150]!()).map((h) => h.userId),
      ['user_b'],
    );
    assert.deepEqual(
      sent.flat(),
      Array.from({ length: 250 }, (_, i) => number(i)),
      'each number asked once',
    );
  });

  test('the same number asked twice before its lookup leaves is sent once; asked after, it is sent again (fresh)', async () => {
    const { lookups, sent } = recording();
    const first = lookups.ask(number(1));
    const again = lookups.ask(number(1));
    await Promise.all([first(), again()]);
    assert.deepEqual(sent, [[number(1)]]);
    await lookups.now(number(1));
    assert.deepEqual(sent, [[number(1)], [number(1)]]);
  });

  test('questions that need their answers at about the same time share one lookup', async () => {
    const { lookups, sent } = recording();
    await Promise.all([lookups.now(number(1)), lookups.now(number(2)), lookups.now(number(3))]);
    assert.deepEqual(sent, [[number(1), number(2), number(3)]]);
  });

  test('a failed lookup rejects every question in it with its error; one never asked for is no unhandled rejection', async () => {
    const refused = new ApiError('bad key', ExitCode.auth, 'authentication_invalid', { status: 401 });
    const { lookups } = recording({}, refused);
    const asked = [lookups.ask(number(1)), lookups.ask(number(2)), lookups.ask(number(3))];
    await assert.rejects(asked[0]!(), (error) => error === refused);
    await assert.rejects(asked[1]!(), (error) => error === refused);
    // asked[2] is never awaited: the test runner fails on an unhandled rejection.
    await new Promise((resolve) => setTimeout(resolve, 20));
  });

  test('send() with nothing gathered sends nothing', () => {
    const { lookups, sent } = recording();
    lookups.send();
    assert.deepEqual(sent, []);
  });
});

test('a question that went out with 100 others does not send the numbers gathered after it', async () => {
  const { lookups, sent } = recording();
  const first = lookups.ask(number(0));
  const answer = first();
  for (let i = 1; i < 102; i++) lookups.ask(number(i));
  await answer;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.deepEqual(
    sent.map((numbers) => numbers.length),
    [100],
    'numbers 100 and 101 wait for their rows',
  );
});

describe('findHoldersOfNumbers', () => {
  const user = (id: string, ...numbers: string[]) => ({
    id,
    phone_numbers: numbers.map((n) => ({ id: `idn_${id}_${n.slice(-4)}`, phone_number: n })),
  });

  /** A client answering each GET /users with the next page; records the queries. */
  function paged(pages: unknown[][]) {
    const queries: ApiRequest['query'][] = [];
    const client = {
      async request(request: ApiRequest) {
        queries.push(request.query);
        return pages[queries.length - 1] ?? [];
      },
    } as unknown as ClerkClient;
    return { client, queries };
  }

  test('one request for up to 100 numbers, pages of 500; a full page asks for the next by offset', async () => {
    const full = Array.from({ length: 500 }, (_, i) => user(`user_${i}`, number(1)));
    const { client, queries } = paged([full, [user('user_last', number(1), number(2))]]);
    const holders = await findHoldersOfNumbers(client, [number(1), number(2), number(3), number(1)]);
    assert.deepEqual(queries, [
      { phone_number: [number(1), number(2), number(3)], limit: '500', order_by: '+created_at' },
      { phone_number: [number(1), number(2), number(3)], limit: '500', order_by: '+created_at', offset: '500' },
    ]);
    assert.equal(holders.get(number(1))!.length, 501);
    assert.deepEqual(
      holders.get(number(2))!.map((h) => h.userId),
      ['user_last'],
    );
    assert.deepEqual(holders.get(number(3)), []);
  });

  test('holders keep only the user ID and the number asked about; a user without an ID is an invalid response', async () => {
    const heavy = { ...user('user_a', number(1), number(2)), public_metadata: { blob: 'x'.repeat(1000) } };
    const holders = await findHoldersOfNumbers(paged([[heavy]]).client, [number(1)]);
    assert.deepEqual(holders.get(number(1)), [{ userId: 'user_a', phone: heavy.phone_numbers[0] }]);
    const { id: _id, ...withoutId } = user('user_b', number(1));
    await assert.rejects(
      findHoldersOfNumbers(paged([[withoutId]]).client, [number(1)]),
      (error: ApiError) => error.code === 'invalid_response',
    );
  });

  test('a server repeating a full page ends the walk; one that never stops is an invalid response; over 100 numbers is refused', async () => {
    const full = Array.from({ length: 500 }, (_, i) => user(`user_${i}`, number(1)));
    const repeating = paged([full, full, full]);
    assert.equal((await findHoldersOfNumbers(repeating.client, [number(1)])).get(number(1))!.length, 500);
    assert.equal(repeating.queries.length, 2);
    const endless = paged(Array.from({ length: 30 }, (_, p) => Array.from({ length: 500 }, (_, i) => user(`user_${p}_${i}`, number(1)))));
    await assert.rejects(findHoldersOfNumbers(endless.client, [number(1)]), (error: ApiError) => error.code === 'invalid_response');
    assert.equal(endless.queries.length, 20);
    await assert.rejects(
      findHoldersOfNumbers(
        endless.client,
        Array.from({ length: 101 }, (_, i) => number(i)),
      ),
    );
  });
});

describe('delete --file with +E164 rows', () => {
  test('the one holder’s phone number without an ID (no answer of Clerk’s) fails the row as invalid_response, sending nothing', async () => {
    const lookups = new HolderLookups(
      async (numbers) => new Map(numbers.map((n) => [n, [{ userId: 'user_1', phone: { phone_number: n } }]])),
    );
    const work = deleteJob(() => {}).prepare({ id: number(1) }, lookups);
    const client = new Proxy({}, { get: () => assert.fail('no request is sent') }) as ClerkClient;
    await assert.rejects(work.run(client), (error: ApiError) => error instanceof ApiError && error.code === 'invalid_response');
  });
});
