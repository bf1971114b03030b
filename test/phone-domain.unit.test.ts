// The domain layer (src/phone/) on its own: the field table, the one place a dry run is caught,
// and how a create whose outcome is unknown is settled or reported.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Command } from 'commander';
import { ApiError } from '../src/api/api-error.ts';
import { ClerkClient, type ApiRequest } from '../src/api/client.ts';
import { CREATE_SCHEMA, UPDATE_SCHEMA } from '../src/batch/rows.ts';
import { buildProgram } from '../src/cli.ts';
import { ExitCode } from '../src/errors.ts';
import type { IO } from '../src/io.ts';
import { send } from '../src/phone/change.ts';
import { createPhone } from '../src/phone/create.ts';
import { FIELD_KEYS, fieldFlagsGiven, fieldsFromFlags, SETTABLE_FIELDS } from '../src/phone/fields.ts';

const USER = 'user_1';
const NUMBER = '+12015550100';
const PHONE = { id: 'idn_1', object: 'phone_number', phone_number: NUMBER };

/** A create that may have reached Clerk: the outcome a timeout or a dropped connection leaves. */
const maybeCreated = () => new ApiError('no answer within 10 ms (--timeout)', ExitCode.temporary, 'timeout', { maybeApplied: true });

/** Answers the create with `createError` and the lookup with the users given; records every request. */
function stubClient(createError: ApiError, users: unknown[]): { client: ClerkClient; requests: ApiRequest[] } {
  const requests: ApiRequest[] = [];
  const client = {
    async request(request: ApiRequest) {
      requests.push(request);
      if (request.method === 'POST') throw createError;
      return users;
    },
  } as unknown as ClerkClient;
  return { client, requests };
}

describe('the field table', () => {
  test('fieldsFromFlags sends only the flags given, false for --no-, in the table order', () => {
    assert.deepEqual(fieldsFromFlags({}), {});
    assert.deepEqual(Object.entries(fieldsFromFlags({ reservedForSecondFactor: false, verified: true })), [
      ['verified', true],
      ['reserved_for_second_factor', false],
    ]);
  });

  test('the --file conflicts name every field flag', () => {
    assert.deepEqual(fieldFlagsGiven({ primary: false }), {
      '--[no-]verified': undefined,
      '--[no-]primary': false,
      '--[no-]reserved-for-second-factor': undefined,
    });
  });

  test('create and update get --x and --no-x for every field, and the batch rows a column for each', () => {
    const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {}, cwd: process.cwd() } as IO;
    const program = buildProgram(io, async () => {});
    for (const name of ['create', 'update']) {
      const command = program.commands.find((candidate) => candidate.name() === name) as Command;
      const flags = command.options.map((option) => option.long);
      for (const { flag } of SETTABLE_FIELDS)
        assert.ok(flags.includes(`--${flag}`) && flags.includes(`--no-${flag}`), `${name} --[no-]${flag}`);
    }
    assert.deepEqual(CREATE_SCHEMA.optional, [...FIELD_KEYS]);
    assert.deepEqual(UPDATE_SCHEMA.optional, [...FIELD_KEYS]);
  });
});

describe('send', () => {
  test('under --dry-run the request held back is the outcome, with the key redacted', async () => {
    const client = new ClerkClient({
      baseUrl: 'http://127.0.0.1:1/v1',
      secretKey: 'sk_test_abcdefghijklmnop1234',
      retries: 0,
      timeoutMs: 1000,
      userAgent: 'phone/test',
      dryRun: true,
    });
    const sent = await send(() => client.request({ method: 'DELETE', path: '/phone_numbers/idn_1' }));
    assert.ok(sent.dryRun, 'the request was held back');
    assert.equal(sent.preview.method, 'DELETE');
    assert.equal(sent.preview.url, 'http://127.0.0.1:1/v1/phone_numbers/idn_1');
    assert.doesNotMatch(JSON.stringify(sent.preview), /abcdefghijklmnop/);
  });

  test('any other failure is thrown as it is', async () => {
    const error = maybeCreated();
    await assert.rejects(
      send(() => Promise.reject(error)),
      (thrown) => thrown === error,
    );
  });
});

describe('createPhone with an unknown outcome', () => {
  const body = { user_id: USER, phone_number: NUMBER };

  test('not settled: it fails with the hint on how to check, and looks nothing up', async () => {
    const { client, requests } = stubClient(maybeCreated(), [{ id: USER, phone_numbers: [PHONE] }]);
    await assert.rejects(createPhone(client, body, { settleUnknown: false, skipExisting: false }), (error: ApiError) => {
      assert.equal(error.code, 'timeout');
      assert.match(error.hint ?? '', /may have been created anyway.*phone list --user-id user_1, or phone get \+12015550100/);
      return true;
    });
    assert.deepEqual(
      requests.map((request) => request.method),
      ['POST'],
    );
  });

  test('settled: the number found on the user is the created one, with the failure it settled', async () => {
    const error = maybeCreated();
    const { client, requests } = stubClient(error, [
      { id: 'user_other', phone_numbers: [PHONE] },
      { id: USER, phone_numbers: [PHONE] },
    ]);
    assert.deepEqual(await createPhone(client, body, { settleUnknown: true, skipExisting: false }), {
      dryRun: false,
      result: { status: 'created', phone: PHONE, settledAfter: error },
    });
    assert.deepEqual(
      requests.map((request) => [request.method, request.query]),
      [
        ['POST', undefined],
        ['GET', { phone_number: [NUMBER], limit: '500', order_by: '+created_at' }],
      ],
    );
  });

  test('settled, and the user does not have it: the create failed, saying the lookup did not find it', async () => {
    const { client } = stubClient(maybeCreated(), []);
    await assert.rejects(createPhone(client, body, { settleUnknown: true, skipExisting: false }), (error: ApiError) => {
      assert.equal(error.code, 'timeout');
      assert.equal(
        error.hint,
        'a lookup found no +12015550100 on user user_1 right afterwards, though the request may still be under way at Clerk; trying again is safe: Clerk refuses a number the user already has',
      );
      return true;
    });
    const answered = new ApiError('Internal error', ExitCode.temporary, 'server_error', { status: 500, maybeApplied: true });
    const { client: client500 } = stubClient(answered, []);
    await assert.rejects(createPhone(client500, body, { settleUnknown: true, skipExisting: false }), (error: ApiError) => {
      assert.equal(
        error.hint,
        'a lookup found no +12015550100 on user user_1 afterwards: it was not created; trying again is safe: Clerk refuses a number the user already has',
      );
      assert.doesNotMatch(error.hint ?? '', /may have been created/);
      return true;
    });
  });

  test('skipExisting: a number the user has already is skipped with the existing object', async () => {
    const exists = new ApiError('That phone number is taken.', ExitCode.apiRefused, 'form_identifier_exists', { status: 422 });
    const { client } = stubClient(exists, [{ id: USER, phone_numbers: [PHONE] }]);
    assert.deepEqual(await createPhone(client, body, { settleUnknown: true, skipExisting: true }), {
      dryRun: false,
      result: { status: 'skipped', phone: PHONE },
    });
    await assert.rejects(createPhone(client, body, { settleUnknown: true, skipExisting: false }), (thrown) => thrown === exists);
  });
});
