import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFakeClerk, type RecordedRequest, type VerificationObject } from './fake-clerk/server.ts';
import { assertUsageFailure as assertUsageFailureOn, json, seedPhone } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { errorJson } from './helpers/results.ts';
import { runCli, type CliResult } from './helpers/run-cli.ts';
import { needsTty, runInTty } from './helpers/tty.ts';

const clerk = useFakeClerk();

const TEN_MINUTES = 10 * 60 * 1000;
const VERIFICATION_KEYS = ['object', 'id', 'status', 'strategy', 'attempts', 'expire_at', 'channel'];
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/;

const routes = () => clerk.server.requests.map((r) => `${r.method} ${r.url}`);
const prepares = () => clerk.server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/prepare_verification')).length;
const attempts = () => clerk.server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/attempt_verification')).length;

/** stdout is one verification exactly as pretty JSON prints it, with the keys Clerk sends: that object. */
function verificationFrom(result: CliResult): VerificationObject {
  const verification = JSON.parse(result.stdout) as VerificationObject;
  assert.equal(result.stdout, json(verification), 'the API object, pretty-printed, nothing else');
  assert.deepEqual(Object.keys(verification), VERIFICATION_KEYS);
  return verification;
}

function assertPostWithoutBody(request: RecordedRequest): void {
  assert.equal(request.headers.authorization, `Bearer ${clerk.server.secretKey}`);
  assert.equal(request.headers['clerk-api-version'], '2026-05-12');
  assert.equal(request.headers['content-type'], undefined);
  assert.equal(request.rawBody, '');
}

async function send(phoneId: string, extra: string[] = []): Promise<VerificationObject> {
  const result = await clerk.phone(['verify', 'send', phoneId, ...extra]);
  assert.equal(result.code, 0, result.stderr);
  return verificationFrom(result);
}

/** A usage error (see common.ts) reported as the JSON error of code `usage`. */
function assertUsageFailure(result: CliResult, label: string): void {
  assertUsageFailureOn(result, label, clerk.server);
  assert.equal(errorJson(result).code, 'usage', label);
}

// ---------------------------------------------------------------- send

test('verify send by ID posts to prepare_verification without a body and prints the verification as returned', async () => {
  const { phone } = seedPhone(clerk.server);
  const before = Date.now();
  const result = await clerk.phone(['verify', 'send', phone.id]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.deepEqual(routes(), [`POST /v1/phone_numbers/${phone.id}/prepare_verification`]);
  assertPostWithoutBody(clerk.server.requests[0]!);
  const verification = verificationFrom(result);
  assert.equal(verification.object, 'verification');
  assert.match(verification.id, /^ver_/);
  assert.equal(verification.status, 'unverified');
  assert.equal(verification.strategy, 'phone_code');
  assert.equal(verification.attempts, 0);
  assert.equal(verification.channel, 'sms');
  assert.ok(
    verification.expire_at >= before + TEN_MINUTES && verification.expire_at <= Date.now() + TEN_MINUTES,
    String(verification.expire_at),
  );
  // The printed ID is the server's: it is the one the server accepts a code for.
  const check = await clerk.phone(['verify', 'check', phone.id, '--verification-id', verification.id, '--code', '424242']);
  assert.equal(check.code, 0, check.stderr);
});

test('verify send by number looks the number up, then posts to that phone number', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.phone(['verify', 'send', '+1 (201) 555-0100']);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(routes(), [
    'GET /v1/users?phone_number=%2B12015550100&limit=500&order_by=%2Bcreated_at',
    `POST /v1/phone_numbers/${phone.id}/prepare_verification`,
  ]);
  assert.equal(verificationFrom(result).status, 'unverified');
});

test('verify send --output jsonl prints the verification on one line', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.phone(['verify', 'send', phone.id, '--output', 'jsonl']);
  assert.equal(result.code, 0, result.stderr);
  const verification = JSON.parse(result.stdout) as VerificationObject;
  assert.equal(result.stdout, `${JSON.stringify(verification)}\n`);
  assert.deepEqual(Object.keys(verification), VERIFICATION_KEYS);
});

test('verify send as a table: ID, status, strategy, attempts, expiry as an ISO date, channel', async () => {
  const { phone } = seedPhone(clerk.server);
  const before = Date.now();
  const result = await clerk.phone(['verify', 'send', phone.id, '-o', 'table']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  const lines = result.stdout.split('\n');
  const row = (label: string) => lines.find((line) => line.includes(label)) ?? assert.fail(`no ${label} row:\n${result.stdout}`);
  const id = /ver_[A-Za-z0-9]+/.exec(row('Verification ID'))?.[0] ?? assert.fail(result.stdout);
  assert.match(row('Status'), /unverified/);
  assert.match(row('Strategy'), /phone_code/);
  assert.match(row('Attempts'), /│ 0 /);
  assert.match(row('Channel'), /sms/);
  const expiry = ISO.exec(row('Expires'))?.[0] ?? assert.fail(`no ISO date in the Expires row:\n${result.stdout}`);
  const expireAt = Date.parse(expiry);
  assert.ok(expireAt >= before + TEN_MINUTES - 1 && expireAt <= Date.now() + TEN_MINUTES, expiry);
  assert.ok(!/\d{13}/.test(result.stdout), 'no raw millisecond timestamp');
  const check = await clerk.phone(['verify', 'check', phone.id, '--verification-id', id, '--code', '424242']);
  assert.equal(check.code, 0, `the ID in the table is the real one: ${check.stderr}`);
});

test('verify send of an unknown phone number exits 3; of an unknown number too', async () => {
  const result = await clerk.phone(['verify', 'send', 'idn_doesnotexist']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, '');
  assert.equal(errorJson(result).status, 404);
  clerk.server.reset();
  const byNumber = await clerk.phone(['verify', 'send', '+12015550199']);
  assert.equal(byNumber.code, 3, byNumber.stderr);
  assert.equal(prepares(), 0);
});

test('verify send refuses a bad ID or number with exit 2 before any request', async () => {
  for (const argument of ['../users/user_1', 'idn-1', '+1234', '']) {
    assertUsageFailure(await clerk.phone(['verify', 'send', argument]), JSON.stringify(argument));
  }
  assertUsageFailure(await clerk.phone(['verify', 'send']), 'no argument');
});

// ---------------------------------------------------------------- check

test('verify check with the right code: verified, exit 0, and the phone number becomes verified', async () => {
  const { phone } = seedPhone(clerk.server);
  const { id } = await send(phone.id);
  clerk.server.requests.length = 0;
  const result = await clerk.phone(['verify', 'check', phone.id, '--verification-id', id, '--code', '424242']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stderr, '');
  assert.deepEqual(routes(), [`POST /v1/phone_numbers/${phone.id}/attempt_verification`]);
  const request = clerk.server.requests[0]!;
  assert.deepEqual(JSON.parse(request.rawBody), { verification_id: id, code: '424242' });
  assert.deepEqual(Object.keys(JSON.parse(request.rawBody) as object).sort(), ['code', 'verification_id']);
  assert.match(request.headers['content-type'] ?? '', /^application\/json/);
  const verification = verificationFrom(result);
  assert.equal(verification.id, id);
  assert.equal(verification.status, 'verified');
  assert.equal(verification.attempts, 1);
  const stored = clerk.server.phoneNumbers()[0]!;
  assert.equal(stored.verification?.status, 'verified');
  assert.equal(stored.verification?.strategy, 'phone_code');
});

test('verify check by number works the same', async () => {
  const { phone } = seedPhone(clerk.server);
  const { id } = await send(phone.id);
  const result = await clerk.phone(['verify', 'check', '+12015550100', '--verification-id', id, '--code', '424242']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(verificationFrom(result).status, 'verified');
  assert.equal(clerk.server.phoneNumbers()[0]!.verification?.status, 'verified');
});

test('verify check with a wrong code: the verification on stdout, a message on stderr, exit 1', async () => {
  const { phone } = seedPhone(clerk.server);
  const { id } = await send(phone.id);
  const result = await clerk.phone(['verify', 'check', phone.id, '--verification-id', id, '--code', '111111']);
  assert.equal(result.code, 1, result.stderr);
  const verification = verificationFrom(result);
  assert.equal(verification.status, 'unverified');
  assert.equal(verification.attempts, 1);
  const error = errorJson(result);
  assert.equal(error.code, 'code_not_accepted');
  assert.match(error.message, /the code was not accepted: status unverified, 1 attempt\b/);
  assert.equal(clerk.server.phoneNumbers()[0]!.verification, null, 'the number stays unverified');
});

test('verify check with a wrong code as a table: the table on stdout, "Error: the code was not accepted" on stderr', async () => {
  const { phone } = seedPhone(clerk.server);
  const { id } = await send(phone.id);
  const result = await clerk.phone(['verify', 'check', phone.id, '--verification-id', id, '--code', '111111', '-o', 'table']);
  assert.equal(result.code, 1, result.stderr);
  assert.match(result.stdout, /Status.*unverified/);
  assert.match(result.stderr, /^Error: the code was not accepted: status unverified, 1 attempt/);
});

test('verify check after three wrong codes: status failed, exit 1, and the right code no longer helps', async () => {
  const { phone } = seedPhone(clerk.server);
  const { id } = await send(phone.id);
  for (const n of [1, 2]) {
    const result = await clerk.phone(['verify', 'check', phone.id, '--verification-id', id, '--code', '000000']);
    assert.equal(result.code, 1);
    assert.match(errorJson(result).message, new RegExp(`status unverified, ${n} attempts?\\b`));
  }
  const third = await clerk.phone(['verify', 'check', phone.id, '--verification-id', id, '--code', '000000']);
  assert.equal(third.code, 1);
  assert.equal(verificationFrom(third).status, 'failed');
  assert.match(errorJson(third).message, /status failed, 3 attempts/);
  assert.match(errorJson(third).message, /phone verify send/, 'says how to go on');
  const right = await clerk.phone(['verify', 'check', phone.id, '--verification-id', id, '--code', '424242']);
  assert.equal(right.code, 1);
  assert.equal(verificationFrom(right).status, 'failed');
  assert.equal(clerk.server.phoneNumbers()[0]!.verification, null);
});

test('verify check of an expired code: status expired, exit 1, the number stays unverified', async () => {
  const server = await startFakeClerk({ verificationTtlMs: 30 });
  try {
    const env = { CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url };
    const user = server.addUser();
    const phone = server.addPhoneNumber(user.id, '+12015550100');
    const sent = await runCli(['verify', 'send', phone.id], { env });
    assert.equal(sent.code, 0, sent.stderr);
    const { id } = JSON.parse(sent.stdout) as VerificationObject;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const result = await runCli(['verify', 'check', phone.id, '--verification-id', id, '--code', '424242'], { env });
    assert.equal(result.code, 1, result.stderr);
    assert.equal(verificationFrom(result).status, 'expired');
    const error = errorJson(result);
    assert.equal(error.code, 'code_not_accepted');
    assert.match(error.message, /status expired/);
    assert.equal(server.phoneNumbers()[0]!.verification, null);
  } finally {
    await server.close();
  }
});

test('verify check of a verification that is already verified reports verification_already_verified, exit 1', async () => {
  const { phone } = seedPhone(clerk.server);
  const { id } = await send(phone.id);
  const first = await clerk.phone(['verify', 'check', phone.id, '--verification-id', id, '--code', '424242']);
  assert.equal(first.code, 0, first.stderr);
  const again = await clerk.phone(['verify', 'check', phone.id, '--verification-id', id, '--code', '424242']);
  assert.equal(again.code, 1, again.stderr);
  assert.equal(again.stdout, '');
  const error = errorJson(again);
  assert.equal(error.code, 'verification_already_verified');
  assert.equal(error.status, 400);
  assert.ok(error.clerk_trace_id);
  const table = await clerk.phone(['verify', 'check', phone.id, '--verification-id', id, '--code', '424242', '-o', 'table']);
  assert.equal(table.code, 1);
  assert.match(table.stderr, /This verification has already been verified\. \(verification_already_verified\)/);
});

test('verify check of an unknown verification exits 3', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.phone(['verify', 'check', phone.id, '--verification-id', 'ver_unknown', '--code', '424242']);
  assert.equal(result.code, 3, result.stderr);
  assert.equal(result.stdout, '');
});

test('verify check validates --verification-id and --code before any request', async () => {
  const { phone } = seedPhone(clerk.server);
  const cases: [string, string[]][] = [
    ['path in the verification ID', ['--verification-id', '../x', '--code', '424242']],
    ['dash in the verification ID', ['--verification-id', 'ver-1', '--code', '424242']],
    ['empty verification ID', ['--verification-id', '', '--code', '424242']],
    ['empty code', ['--verification-id', 'ver_1', '--code', '']],
    ['code with a space', ['--verification-id', 'ver_1', '--code', '424 242']],
    ['code with a newline', ['--verification-id', 'ver_1', '--code', '424242\n']],
    ['no --code', ['--verification-id', 'ver_1']],
    ['no --verification-id', ['--code', '424242']],
  ];
  for (const [label, flags] of cases) {
    assertUsageFailure(await clerk.phone(['verify', 'check', phone.id, ...flags]), label);
  }
  // By number: the lookup is a request, and a bad flag must stop even that.
  assertUsageFailure(await clerk.phone(['verify', 'check', '+12015550100', '--verification-id', 'ver_1', '--code', ' ']), 'by number');
});

// ---------------------------------------------------------------- retries: send and check are POSTs

test('verify send after a 429 with Retry-After: 1 is repeated after the wait: 2 requests, exit 0', async () => {
  const { phone } = seedPhone(clerk.server);
  const path = `/v1/phone_numbers/${phone.id}/prepare_verification`;
  clerk.server.fault({ method: 'POST', path, times: 1, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } } });
  const result = await clerk.phone(['verify', 'send', phone.id]);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(prepares(), 2);
  const [first, second] = clerk.server.requests;
  assert.ok(second!.at - first!.at >= 950, `waited ${second!.at - first!.at} ms`);
  assert.equal(verificationFrom(result).status, 'unverified');
});

for (const status of [500, 502, 503]) {
  test(`verify send after HTTP ${status} is not repeated: 1 request, exit 5, says a code may have been sent`, async () => {
    const { phone } = seedPhone(clerk.server);
    clerk.server.fault({
      method: 'POST',
      path: `/v1/phone_numbers/${phone.id}/prepare_verification`,
      times: 4,
      fault: { kind: 'status', status },
    });
    const result = await clerk.phone(['verify', 'send', phone.id]);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(prepares(), 1);
    const error = errorJson(result);
    assert.equal(error.status, status);
    assert.match(error.message, /may have been sent/);
  });
}

test('verify send after a dropped connection is not repeated: 1 request, exit 5, code network', async () => {
  const { phone } = seedPhone(clerk.server);
  clerk.server.fault({ method: 'POST', path: `/v1/phone_numbers/${phone.id}/prepare_verification`, times: 4, fault: { kind: 'drop' } });
  const result = await clerk.phone(['verify', 'send', phone.id, '-o', 'table']);
  assert.equal(result.code, 5, result.stderr);
  assert.equal(prepares(), 1);
  assert.match(result.stderr, /may have been sent/);
});

test('verify send after a timeout is not repeated', async () => {
  const { phone } = seedPhone(clerk.server);
  clerk.server.fault({
    method: 'POST',
    path: `/v1/phone_numbers/${phone.id}/prepare_verification`,
    times: 4,
    fault: { kind: 'delay', ms: 2000 },
  });
  const result = await clerk.phone(['verify', 'send', phone.id, '--timeout', '300']);
  assert.equal(result.code, 5, result.stderr);
  assert.equal(prepares(), 1);
  assert.equal(errorJson(result).code, 'timeout');
});

test('verify send by number: the lookup (a GET) is retried after a 500, the send is not', async () => {
  const { phone } = seedPhone(clerk.server);
  clerk.server.fault({ method: 'GET', path: '/v1/users', times: 1, fault: { kind: 'status', status: 500 } });
  clerk.server.fault({
    method: 'POST',
    path: `/v1/phone_numbers/${phone.id}/prepare_verification`,
    times: 4,
    fault: { kind: 'status', status: 500 },
  });
  const result = await clerk.phone(['verify', 'send', '+12015550100']);
  assert.equal(result.code, 5, result.stderr);
  assert.equal(clerk.server.requests.filter((r) => r.method === 'GET').length, 2);
  assert.equal(prepares(), 1);
});

test('verify check after HTTP 500 or a dropped connection is not repeated: 1 request, exit 5', async () => {
  const { phone } = seedPhone(clerk.server);
  const { id } = await send(phone.id);
  const path = `/v1/phone_numbers/${phone.id}/attempt_verification`;
  for (const fault of [{ kind: 'status', status: 500 }, { kind: 'drop' }] as const) {
    clerk.server.requests.length = 0;
    clerk.server.fault({ method: 'POST', path, times: 4, fault });
    const result = await clerk.phone(['verify', 'check', phone.id, '--verification-id', id, '--code', '424242']);
    assert.equal(result.code, 5, `${fault.kind}: ${result.stderr}`);
    assert.equal(attempts(), 1, fault.kind);
    assert.match(errorJson(result).message, /may have been checked/);
  }
});

test('verify check after a 429 is repeated', async () => {
  const { phone } = seedPhone(clerk.server);
  const { id } = await send(phone.id);
  clerk.server.requests.length = 0;
  clerk.server.fault({
    method: 'POST',
    path: `/v1/phone_numbers/${phone.id}/attempt_verification`,
    times: 1,
    fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
  });
  const result = await clerk.phone(['verify', 'check', phone.id, '--verification-id', id, '--code', '424242']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(attempts(), 2);
});

// ---------------------------------------------------------------- help and the production guard

test('verify send and check have help with examples; verify alone shows its subcommands', async () => {
  for (const sub of ['send', 'check']) {
    const help = await clerk.phone(['verify', sub, '--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Examples:\n {2}\$ phone verify /);
  }
  assert.match(
    (await clerk.phone(['verify', 'check', '--help'])).stdout,
    /--verification-id <id>[\s\S]*--code <code>|--code <code>[\s\S]*--verification-id <id>/,
  );
  const bare = await clerk.phone(['verify']);
  assert.notEqual(bare.code, 0);
  assert.match(bare.stdout + bare.stderr, /send[\s\S]*check/);
  assert.equal(clerk.server.requests.length, 0);
});

test('verify send with a live key on a terminal says it is a production instance', needsTty, async () => {
  const server = await startFakeClerk({ secretKey: 'sk_live_fakeclerk000000000000000000000000000000wxyz' });
  try {
    const user = server.addUser();
    const phone = server.addPhoneNumber(user.id, '+12015550100');
    const result = await runInTty(['verify', 'send', phone.id], { env: { CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url } });
    assert.equal(result.code, 0, result.output);
    assert.match(result.output, /Production instance: sk_live_…wxyz/);
    assert.ok(!result.output.includes(server.secretKey), 'the key is redacted');
  } finally {
    await server.close();
  }
});

test('verify send --fields picks fields of the verification', async () => {
  const { phone } = seedPhone(clerk.server);
  const result = await clerk.phone(['verify', 'send', phone.id!, '--fields', 'id,status', '--json']);
  assert.equal(result.code, 0, result.stderr);
  const shown = JSON.parse(result.stdout);
  assert.deepEqual(Object.keys(shown), ['id', 'status']);
  assert.equal(shown.status, 'unverified');
  assert.match(shown.id, /^ver_/);
});
