import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { phoneAgainst, startPrismMock, type ContractCall, type PrismMock } from './helpers/prism.ts';

/**
 * The requests of `phone verify send|check` and `phone replace`, checked by Prism against Clerk's
 * published spec, as test/contract.test.ts does for the core commands: a request Prism finds
 * invalid fails, and so does a body field the spec does not define.
 */
let prism: PrismMock;
before(async () => {
  prism = await startPrismMock();
});
after(() => prism.close());

const phone = (args: string[], allowedExitCodes?: number[]) => phoneAgainst(prism, args, allowedExitCodes);

const routes = (calls: ContractCall[]) => calls.map((call) => `${call.method} ${call.path}`);

describe('verify', () => {
  test('send by ID', async () => {
    const { calls } = await phone(['verify', 'send', 'idn_2contract']);
    assert.deepEqual(routes(calls), ['POST /phone_numbers/idn_2contract/prepare_verification']);
    assert.equal(calls[0]!.body, undefined, 'prepare_verification has no body');
  });

  // Prism's example user holds no such number, so the lookup may end in "not found" (3).
  test('send by number', async () => {
    const { calls } = await phone(['verify', 'send', '+1 201 555 0100'], [0, 3]);
    assert.equal(calls[0]!.path, '/users?phone_number=%2B12015550100&limit=500&order_by=%2Bcreated_at');
  });

  // Prism's verification carries whatever status its example has: exit 1 when that is not "verified".
  test('check by ID', async () => {
    const { calls } = await phone(['verify', 'check', 'idn_2contract', '--verification-id', 'ver_2contract', '--code', '424242'], [0, 1]);
    assert.deepEqual(routes(calls), ['POST /phone_numbers/idn_2contract/attempt_verification']);
    assert.deepEqual(calls[0]!.body, { verification_id: 'ver_2contract', code: '424242' });
  });

  test('check by number', async () => {
    const { calls } = await phone(['verify', 'check', '+12015550100', '--verification-id', 'ver_2contract', '--code', '424242'], [0, 1, 3]);
    assert.equal(calls[0]!.path, '/users?phone_number=%2B12015550100&limit=500&order_by=%2Bcreated_at');
  });
});

describe('replace', () => {
  for (const status of [undefined, 'verified', 'reserved', 'unverified']) {
    test(`replace --yes ${status ? `--status ${status}` : '(no status)'}`, async () => {
      const { calls } = await phone([
        'replace',
        '--user-id',
        'user_2contract',
        '--phone-number',
        '+1 (201) 555-0100',
        ...(status ? ['--status', status] : []),
        '--yes',
      ]);
      assert.deepEqual(routes(calls), ['PUT /users/user_2contract/phone_number']);
      assert.deepEqual(calls[0]!.body, { phone_number: '+12015550100', ...(status ? { identification_status: status } : {}) });
    });
  }

  test('replace --dry-run reads the user and sends no PUT', async () => {
    const { calls, result } = await phone(['replace', '--user-id', 'user_2contract', '--phone-number', '+12015550100', '--dry-run']);
    assert.deepEqual(routes(calls), ['GET /users/user_2contract']);
    assert.equal((JSON.parse(result.stdout) as { method: string }).method, 'PUT');
  });
});

describe('every response the spec allows renders', () => {
  test('verifications and replaced numbers generated from the schema render as table, JSON and JSON Lines', async () => {
    prism.dynamic = true;
    try {
      for (let round = 0; round < 6; round++) {
        for (const output of ['table', 'json', 'jsonl']) {
          const { result } = await phone(['verify', 'send', 'idn_2contract', '--output', output]);
          assert.equal(result.stderr, '');
          assert.ok(result.stdout.length > 0);
          if (output !== 'table') assert.equal(typeof JSON.parse(result.stdout), 'object');
          const checked = await phone(
            ['verify', 'check', 'idn_2contract', '--verification-id', 'ver_2', '--code', '1', '--output', output],
            [0, 1],
          );
          assert.ok(checked.result.stdout.length > 0);
          if (checked.result.code === 1) assert.match(checked.result.stderr, /the code was not accepted/);
          const replaced = await phone([
            'replace',
            '--user-id',
            'user_2contract',
            '--phone-number',
            '+12015550100',
            '--yes',
            '--output',
            output,
          ]);
          assert.equal(replaced.result.stderr, '');
        }
        const dry = await phone([
          'replace',
          '--user-id',
          'user_2contract',
          '--phone-number',
          '+12015550100',
          '--dry-run',
          '--output',
          'table',
        ]);
        assert.match(dry.result.stdout, /^Dry run, nothing sent:\nPUT /);
      }
    } finally {
      prism.dynamic = false;
    }
  });
});
