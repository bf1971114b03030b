import assert from 'node:assert/strict';
import { test } from 'node:test';
import { useFakeClerk } from './helpers/fixture.ts';

const clerk = useFakeClerk();

test('get prints the API object as JSON when stdout is not a terminal', async () => {
  const user = clerk.server.addUser();
  const phone = clerk.server.addPhoneNumber(user.id, '+12015550100');
  const result = await clerk.phone(['get', phone.id]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.equal(result.stdout, `${JSON.stringify(phone, null, 2)}\n`);
  assert.equal(clerk.server.requests.length, 1);
  assert.equal(clerk.server.requests[0]!.path, `/v1/phone_numbers/${phone.id}`);
});
