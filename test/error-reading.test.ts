// Error answers read as Clerk means them (issue 12) and read safely whatever their shape (issue 11):
// the exit code follows the status (and, for 403, Clerk's code), the JSON error keeps its types,
// and the trace id is found where Clerk's own SDK finds it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { useFakeClerk } from './helpers/fixture.ts';
import { byLine, errorJson, summary, type ErrorObject } from './helpers/results.ts';
import { tempDir } from './helpers/run-cli.ts';

const clerk = useFakeClerk();

function seed() {
  const user = clerk.server.addUser();
  const phone = clerk.server.addPhoneNumber(user.id, '+12015550100');
  return { phone, path: `/v1/phone_numbers/${phone.id}` };
}

/** The JSON error object's fields have the types the contract gives them, whatever the server sent. */
function assertWellTyped(error: ErrorObject, status: number): void {
  assert.deepEqual(Object.keys(error).sort(), ['clerk_trace_id', 'code', 'errors', 'message', 'status']);
  assert.equal(error.status, status);
  assert.equal(typeof error.code, 'string');
  assert.ok(error.code.length > 0);
  assert.equal(typeof error.message, 'string');
  assert.ok(Array.isArray(error.errors));
  for (const entry of error.errors) {
    assert.ok(entry !== null && typeof entry === 'object' && !Array.isArray(entry), JSON.stringify(entry));
    for (const key of ['code', 'message', 'long_message'] as const) {
      const value = (entry as Record<string, unknown>)[key];
      assert.ok(value === undefined || typeof value === 'string', `${key}: ${JSON.stringify(value)}`);
    }
  }
  assert.ok(error.clerk_trace_id === null || typeof error.clerk_trace_id === 'string');
}

/** Error bodies no Clerk server should send, as the fake's `status` fault sends them (a string as it is). */
const ODD_ERROR_BODIES: [string, unknown][] = [
  ['{"errors":[null]}', { errors: [null] }],
  ['errors not a list', { errors: { code: 'x' } }],
  ['errors a string', { errors: 'boom' }],
  ['code, message and long_message not strings', { errors: [{ code: 42, message: ['a'], long_message: { x: 1 }, meta: 'm' }] }],
  ['errors holding a list and a number', { errors: [[1], 7] }],
  ['clerk_trace_id a number', { errors: [], clerk_trace_id: 12 }],
  ['no body', ''],
  ['null', null],
  ['a list', []],
  ['a JSON string', '"error"'],
  ['a number', 503],
  ['HTML', '<html><body>oops</body></html>'],
];

describe('odd error bodies keep the exit code of their status and a well-typed JSON error', () => {
  for (const [label, body] of ODD_ERROR_BODIES) {
    test(`503 with ${label}: retried, then exit 5`, async () => {
      const { phone, path } = seed();
      clerk.server.fault({ method: 'GET', path, times: 2, fault: { kind: 'status', status: 503, body } });
      const result = await clerk.phone(['get', phone.id!, '--retries', '1']);
      assert.equal(result.code, 5, result.stderr);
      assert.equal(result.stdout, '');
      assertWellTyped(errorJson(result), 503);
      assert.equal(clerk.server.requests.length, 2);
    });
  }

  for (const [status, exitCode] of [
    [404, 3],
    [422, 1],
    [401, 4],
    [429, 5],
    [500, 5],
  ] as const) {
    for (const [label, body] of [ODD_ERROR_BODIES[0]!, ODD_ERROR_BODIES[3]!, ODD_ERROR_BODIES[6]!]) {
      test(`${status} with ${label}: exit ${exitCode}, text and JSON`, async () => {
        const { phone, path } = seed();
        clerk.server.fault({ method: 'GET', path, times: 2, fault: { kind: 'status', status, body } });
        const json = await clerk.phone(['get', phone.id!, '--retries', '0']);
        assert.equal(json.code, exitCode, json.stderr);
        assertWellTyped(errorJson(json), status);
        const text = await clerk.phone(['get', phone.id!, '--retries', '0', '-o', 'table']);
        assert.equal(text.code, exitCode, text.stderr);
        assert.match(text.stderr, new RegExp(`HTTP ${status}`));
        assert.doesNotMatch(text.stderr, /unexpected|TypeError/);
      });
    }
  }

  test('a code that is not a string is no code: the status names the error; the entry keeps its other fields', async () => {
    const { phone, path } = seed();
    clerk.server.fault({
      method: 'GET',
      path,
      times: 1,
      fault: { kind: 'status', status: 422, body: { errors: [{ code: 42, long_message: 'bad', extra: true }] } },
    });
    const error = errorJson(await clerk.phone(['get', phone.id!]));
    assert.equal(error.code, 'http_422');
    assert.equal(error.message, 'bad');
    assert.deepEqual(error.errors, [{ long_message: 'bad', extra: true }]);
  });
});

/** A Clerk error body with one entry; the texts are this file's own. */
const clerkError = (code: string, longMessage = `refused: ${code}`) => ({
  errors: [{ message: 'refused', long_message: longMessage, code }],
});

describe('403: exit 4 only when Clerk says authorization failed', () => {
  for (const code of [
    'authorization_invalid',
    'authorization_header_format_invalid',
    'authorization_missing',
    'secret_key_invalid',
    'clerk_key_invalid',
  ]) {
    test(`403 ${code}: exit 4`, async () => {
      const { phone, path } = seed();
      clerk.server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 403, body: clerkError(code) } });
      const result = await clerk.phone(['get', phone.id!]);
      assert.equal(result.code, 4, result.stderr);
      assert.equal(errorJson(result).code, code);
    });
  }

  for (const [label, body, code] of [
    ['unsupported_country_code', clerkError('unsupported_country_code'), 'unsupported_country_code'],
    ['quota_exceeded', clerkError('quota_exceeded'), 'quota_exceeded'],
    ['session_reverification_required', clerkError('session_reverification_required'), 'session_reverification_required'],
    ['no body', '', 'forbidden'],
    ['an HTML page', '<html>Forbidden</html>', 'forbidden'],
    ['errors: []', { errors: [] }, 'forbidden'],
    ['a code that only contains "authorization"', clerkError('not_an_authorization_failure'), 'not_an_authorization_failure'],
  ] as const) {
    test(`403 with ${label}: a refusal of the request, exit 1, not retried`, async () => {
      const { phone, path } = seed();
      clerk.server.fault({ method: 'GET', path, times: 2, fault: { kind: 'status', status: 403, body } });
      const result = await clerk.phone(['get', phone.id!]);
      assert.equal(result.code, 1, result.stderr);
      const error = errorJson(result);
      assert.equal(error.status, 403);
      assert.equal(error.code, code);
      assert.equal(clerk.server.requests.length, 1);
    });
  }

  test('401 with any body, or none: exit 4', async () => {
    for (const body of [clerkError('clerk_key_invalid'), clerkError('authentication_invalid'), '', { errors: [null] }]) {
      clerk.server.reset();
      const { phone, path } = seed();
      clerk.server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 401, body } });
      const result = await clerk.phone(['get', phone.id!]);
      assert.equal(result.code, 4, `${JSON.stringify(body)}: ${result.stderr}`);
    }
  });

  test('a batch of 8 with one number from a country the instance refuses: that row fails alone, the run goes on, exit 1', async () => {
    const user = clerk.server.addUser();
    const numbers = [
      '+12015550101',
      '+12015550102',
      '+12015550103',
      '+390612345678',
      '+12015550105',
      '+12015550106',
      '+12015550107',
      '+12015550108',
    ];
    const file = join(tempDir('phone-errors-'), 'rows.jsonl');
    writeFileSync(file, numbers.map((phone_number) => JSON.stringify({ user_id: user.id, phone_number })).join('\n') + '\n');
    clerk.server.fault({
      method: 'POST',
      path: '/v1/phone_numbers',
      when: (request) => String((request.body as { phone_number?: string }).phone_number).startsWith('+39'),
      times: Infinity,
      fault: {
        kind: 'status',
        status: 403,
        body: clerkError('unsupported_country_code', 'Phone numbers from this country are not supported.'),
      },
    });
    const result = await clerk.phone(['create', '--file', file, '--concurrency', '1']);
    assert.equal(result.code, 1, result.stderr);
    const lines = byLine(result, 8);
    assert.equal(lines.get(4)!.status, 'failed');
    assert.equal(lines.get(4)!.error!.code, 'unsupported_country_code');
    assert.equal(lines.get(4)!.error!.status, 403);
    for (const n of [1, 2, 3, 5, 6, 7, 8]) assert.equal(lines.get(n)!.status, 'created', `line ${n}: ${JSON.stringify(lines.get(n))}`);
    assert.deepEqual(summary(result), { created: 7, failed: 1 });
    assert.doesNotMatch(result.stdout, /not_attempted/);
    assert.equal(clerk.server.phoneNumbers().length, 7);
  });
});

describe('the trace id', () => {
  const bodyWithoutTrace = { errors: [{ message: 'oops', long_message: 'oops', code: 'internal_clerk_error' }] };

  test('no clerk_trace_id in the body and no x-clerk-trace-id: the cf-ray header', async () => {
    const { phone, path } = seed();
    clerk.server.fault({
      method: 'GET',
      path,
      times: 1,
      fault: { kind: 'status', status: 500, body: { errors: [] }, headers: { 'CF-Ray': '8f0c1d2e3a4b5c6d-AMS' } },
    });
    const result = await clerk.phone(['get', phone.id!, '--retries', '0']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(errorJson(result).clerk_trace_id, '8f0c1d2e3a4b5c6d-AMS');
    clerk.server.fault({
      method: 'GET',
      path,
      times: 1,
      fault: { kind: 'status', status: 500, body: { errors: [] }, headers: { 'CF-Ray': '8f0c1d2e3a4b5c6d-AMS' } },
    });
    const text = await clerk.phone(['get', phone.id!, '--retries', '0', '-o', 'table']);
    assert.match(text.stderr, /clerk_trace_id: 8f0c1d2e3a4b5c6d-AMS/, 'shown to a person too');
  });

  test('a Cloudflare HTML 502 with only cf-ray: that is the trace id', async () => {
    const { phone, path } = seed();
    clerk.server.fault({
      method: 'GET',
      path,
      times: 1,
      fault: { kind: 'status', status: 502, body: '<html>Bad gateway</html>', headers: { 'cf-ray': 'abc123-LHR' } },
    });
    const error = errorJson(await clerk.phone(['get', phone.id!, '--retries', '0']));
    assert.equal(error.clerk_trace_id, 'abc123-LHR');
  });

  test('x-clerk-trace-id beats cf-ray; clerk_trace_id in the body beats both', async () => {
    const { phone, path } = seed();
    const headers = { 'x-clerk-trace-id': 'from-header', 'cf-ray': 'from-cf-ray' };
    clerk.server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 500, body: bodyWithoutTrace, headers } });
    assert.equal(errorJson(await clerk.phone(['get', phone.id!, '--retries', '0'])).clerk_trace_id, 'from-header');
    clerk.server.fault({
      method: 'GET',
      path,
      times: 1,
      fault: { kind: 'status', status: 500, body: { ...bodyWithoutTrace, clerk_trace_id: 'from-body' }, headers },
    });
    assert.equal(errorJson(await clerk.phone(['get', phone.id!, '--retries', '0'])).clerk_trace_id, 'from-body');
  });

  test('a clerk_trace_id that is not a string is passed over for the headers', async () => {
    const { phone, path } = seed();
    clerk.server.fault({
      method: 'GET',
      path,
      times: 1,
      fault: { kind: 'status', status: 500, body: { ...bodyWithoutTrace, clerk_trace_id: { a: 1 } }, headers: { 'cf-ray': 'ray-1' } },
    });
    assert.equal(errorJson(await clerk.phone(['get', phone.id!, '--retries', '0'])).clerk_trace_id, 'ray-1');
  });

  test('none anywhere: null', async () => {
    const { phone, path } = seed();
    clerk.server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 500, body: bodyWithoutTrace } });
    assert.equal(errorJson(await clerk.phone(['get', phone.id!, '--retries', '0'])).clerk_trace_id, null);
  });
});
