import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { useFakeClerk } from './helpers/fixture.ts';

/**
 * Phone numbers as the spec allows them and as real servers sent them when they broke Clerk's
 * SDKs. Each is served as-is by the fake server; JSON output must give it back unchanged and the
 * table must render it.
 */
const clerk = useFakeClerk();

const base = {
  id: 'idn_2lenient',
  object: 'phone_number',
  phone_number: '+12015550100',
  reserved_for_second_factor: false,
  default_second_factor: false,
  reserved: false,
  verification: null as unknown,
  linked_to: [] as unknown[],
  backup_codes: null as unknown,
  created_at: 1_795_000_000_000,
  updated_at: 1_795_000_360_000,
};

const VARIANTS: Record<string, Record<string, unknown>> = {
  'verification null': { ...base },
  'admin verification': {
    ...base,
    verification: { object: 'verification_admin', status: 'verified', strategy: 'admin', attempts: null, expire_at: null },
  },
  'OTP with attempts and expiry set': {
    ...base,
    verification: {
      object: 'verification_otp',
      status: 'unverified',
      strategy: 'phone_code',
      attempts: 2,
      expire_at: 1_795_000_600_000,
      channel: 'sms',
    },
  },
  'unknown strategy ticket': {
    ...base,
    verification: { object: 'verification_otp', status: 'verified', strategy: 'ticket', attempts: null, expire_at: null },
  },
  'unknown strategy saml': { ...base, verification: { status: 'verified', strategy: 'saml', attempts: null, expire_at: null } },
  'unknown strategy email_link, unknown status': {
    ...base,
    verification: { status: 'transferable', strategy: 'email_link', attempts: 0, expire_at: null },
  },
  'linked to OAuth accounts': {
    ...base,
    linked_to: [
      { type: 'oauth_google', id: 'idn_2g' },
      { type: 'oauth_github', id: 'idn_2h' },
    ],
  },
  'backup codes set': { ...base, backup_codes: ['1234-5678', '8765-4321'] },
  'unknown extra fields': {
    ...base,
    future_field: { nested: [1, 2, 3] },
    another_one: null,
    verification: { status: 'verified', strategy: 'admin', attempts: null, expire_at: null, verified_at_client: 'client_1', extra: true },
  },
  'timestamps in seconds': { ...base, created_at: 1_795_000_000, updated_at: 1_795_000_360 },
  'optional fields missing': {
    id: 'idn_2lenient',
    object: 'phone_number',
    phone_number: '+12015550100',
    verification: null,
    linked_to: [],
    reserved: false,
    created_at: 1_795_000_000_000,
    updated_at: 1_795_000_000_000,
  },
};

function serve(body: unknown) {
  clerk.server.fault({ method: 'GET', path: '/v1/phone_numbers/idn_2lenient', fault: { kind: 'status', status: 200, body } });
}

describe('every phone number shape renders', () => {
  for (const [name, phone] of Object.entries(VARIANTS)) {
    test(`${name}: JSON gives it back unchanged, unknown fields kept`, async () => {
      serve(phone);
      const result = await clerk.phone(['get', 'idn_2lenient', '--json']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, `${JSON.stringify(phone, null, 2)}\n`);
    });

    test(`${name}: the table renders`, async () => {
      serve(phone);
      const result = await clerk.phone(['get', 'idn_2lenient', '--output', 'table']);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      assert.match(result.stdout, /│ ID +│ idn_2lenient +│/);
      assert.match(result.stdout, /│ Created +│ 2026-11-18T\d\d:\d\d:\d\d\.000Z +│/);
    });
  }

  test('timestamps in seconds and in milliseconds show the same ISO dates', async () => {
    const tables: string[] = [];
    for (const phone of [VARIANTS['verification null'], VARIANTS['timestamps in seconds']]) {
      serve(phone);
      tables.push((await clerk.phone(['get', 'idn_2lenient', '--output', 'table'])).stdout);
    }
    assert.equal(tables[0], tables[1]);
    assert.match(tables[0]!, /│ Created +│ 2026-11-18T11:06:40\.000Z +│/);
    assert.match(tables[0]!, /│ Updated +│ 2026-11-18T11:12:40\.000Z +│/);
  });

  test('unknown strategies and statuses are shown as they are', async () => {
    serve(VARIANTS['unknown strategy email_link, unknown status']);
    const result = await clerk.phone(['get', 'idn_2lenient', '--output', 'table']);
    assert.match(result.stdout, /│ Verification +│ transferable +│/);
    assert.match(result.stdout, /│ Strategy +│ email_link +│/);
  });

  test('linked accounts are listed', async () => {
    serve(VARIANTS['linked to OAuth accounts']);
    const result = await clerk.phone(['get', 'idn_2lenient', '--output', 'table']);
    assert.match(result.stdout, /│ Linked to +│ oauth_google idn_2g, oauth_github idn_2h +│/);
  });

  test('a 200 whose body is not JSON is an error, not a result', async () => {
    serve('<html>maintenance</html>');
    const result = await clerk.phone(['get', 'idn_2lenient', '--json']);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.equal(JSON.parse(result.stderr).error.code, 'invalid_response');
  });
});
