import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { phoneAgainst, startPrismMock, type PrismMock } from './helpers/prism.ts';
import { tempDir } from './helpers/run-cli.ts';

/**
 * Every request the CLI can send, checked by Prism against Clerk's published spec: a request
 * Prism finds invalid fails the test, and so does a body field the spec does not define (Clerk's
 * create and update schemas allow unknown properties, so Prism alone would let a misspelt field
 * through). Prism's remarks about its own example responses are not about the CLI and are ignored.
 */
let prism: PrismMock;
before(async () => {
  prism = await startPrismMock();
});
after(() => prism.close());

const phone = (args: string[], allowedExitCodes?: number[]) => phoneAgainst(prism, args, allowedExitCodes);

const BOOLEAN_FLAGS = ['verified', 'primary', 'reserved-for-second-factor'];
/** Each flag absent, given, or negated: every body create and update can send. */
const FLAG_COMBINATIONS: string[][] = BOOLEAN_FLAGS.reduce<string[][]>(
  (combos, flag) => combos.flatMap((combo) => [combo, [...combo, `--${flag}`], [...combo, `--no-${flag}`]]),
  [[]],
);

describe('single commands', () => {
  for (const flags of FLAG_COMBINATIONS) {
    test(`create ${flags.join(' ') || '(no flags)'}`, async () => {
      const { calls } = await phone(['create', '--user-id', 'user_2contract', '--phone-number', '+1 (201) 555-0100', ...flags]);
      assert.deepEqual(
        calls.map((call) => `${call.method} ${call.path}`),
        ['POST /phone_numbers'],
      );
    });
  }

  for (const flags of FLAG_COMBINATIONS.filter((combo) => combo.length > 0)) {
    test(`update ${flags.join(' ')}`, async () => {
      const { calls } = await phone(['update', 'idn_2contract', ...flags]);
      assert.deepEqual(
        calls.map((call) => `${call.method} ${call.path}`),
        ['PATCH /phone_numbers/idn_2contract'],
      );
    });
  }

  test('get by ID', async () => {
    await phone(['get', 'idn_2contract']);
  });

  test('delete by ID', async () => {
    const { calls } = await phone(['delete', 'idn_2contract', '--yes']);
    assert.equal(calls[0]!.method, 'DELETE');
  });

  test('list a user', async () => {
    const { calls } = await phone(['list', '--user-id', 'user_2contract']);
    assert.deepEqual(
      calls.map((call) => `${call.method} ${call.path}`),
      ['GET /users/user_2contract'],
    );
  });

  // Prism's example user holds no such number, so the lookup may end in "not found" (3); the request is what is checked.
  test('get by number', async () => {
    const { calls } = await phone(['get', '+1 201 555 0100'], [0, 3]);
    assert.equal(calls[0]!.path, '/users?phone_number=%2B12015550100&limit=500&order_by=%2Bcreated_at');
  });

  test('delete by number', async () => {
    await phone(['delete', '+12015550100', '--yes'], [0, 3]);
  });
});

describe('batch rows', () => {
  const dir = tempDir();

  test('create --file with every combination of fields, JSONL and CSV', async () => {
    const jsonl = FLAG_COMBINATIONS.map((flags, index) => {
      const row: Record<string, unknown> = { user_id: 'user_2contract', phone_number: `+1201555${String(100 + index).padStart(4, '0')}` };
      for (const flag of flags) row[flag.replace(/^--(no-)?/, '').replaceAll('-', '_')] = !flag.startsWith('--no-');
      return JSON.stringify(row);
    });
    writeFileSync(join(dir, 'seed.jsonl'), `${jsonl.join('\n')}\n`);
    const { calls } = await phone(['create', '--file', join(dir, 'seed.jsonl')]);
    assert.equal(calls.length, FLAG_COMBINATIONS.length);

    writeFileSync(
      join(dir, 'seed.csv'),
      'user_id,phone_number,verified,primary,reserved_for_second_factor\nuser_2contract,+12015550150,true,,false\nuser_2contract,+12015550151,,true,\n',
    );
    await phone(['create', '--file', join(dir, 'seed.csv')]);
  });

  test('update --file and delete --file', async () => {
    writeFileSync(
      join(dir, 'changes.jsonl'),
      '{"id":"idn_2a","verified":true}\n{"id":"idn_2b","primary":false,"reserved_for_second_factor":true}\n',
    );
    await phone(['update', '--file', join(dir, 'changes.jsonl')]);
    writeFileSync(join(dir, 'ids.txt'), 'idn_2a\nidn_2b\n');
    const { calls } = await phone(['delete', '--file', join(dir, 'ids.txt'), '--yes']);
    assert.deepEqual(
      calls.map((call) => call.method),
      ['DELETE', 'DELETE'],
    );
  });
});

describe('every response the spec allows renders', () => {
  test('phone numbers generated from the schema render as table, JSON and JSON Lines', async () => {
    prism.dynamic = true;
    try {
      for (let round = 0; round < 8; round++) {
        for (const output of ['table', 'json', 'jsonl']) {
          const { result } = await phone(['get', 'idn_2contract', '--output', output]);
          assert.equal(result.stderr, '');
          assert.ok(result.stdout.length > 0);
          if (output !== 'table') assert.equal(typeof JSON.parse(result.stdout), 'object');
        }
        const { result } = await phone(['list', '--user-id', 'user_2contract', '--output', 'table']);
        assert.equal(result.stderr, '');
      }
    } finally {
      prism.dynamic = false;
    }
  });
});
