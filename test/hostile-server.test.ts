// A server built to misbehave: huge bodies, stalls, answers of the wrong shape, hostile headers.
// Every rule of "Responses" (issue 11) against the built CLI; the fake streams what it sends, so a
// 300 MB body costs this process nothing.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MAX_JSON_CONTAINERS } from '../src/api/bounded-json.ts';
import { MAX_RESPONSE_BODY_BYTES } from '../src/api/transport.ts';
import type { Fault, FakeClerk } from './fake-clerk/server.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { byLine, errorJson, summary } from './helpers/results.ts';
import { BIN, ROOT, tempDir, type CliResult } from './helpers/run-cli.ts';

const clerk = useFakeClerk();
const MB = 1024 * 1024;

function seed(server: FakeClerk) {
  const user = server.addUser();
  const phone = server.addPhoneNumber(user.id, '+12015550100');
  return { user, phone, path: `/v1/phone_numbers/${phone.id}` };
}

const countTo = (method: string, path: string) => clerk.server.requests.filter((r) => r.method === method && r.path === path).length;

/** The CLI with its peak resident set size, read by bench/peak-rss.cjs as the process exits. */
function runMeasured(args: string[]): Promise<CliResult & { peakRssMb: number }> {
  return new Promise((resolve, reject) => {
    const home = tempDir('phone-home-');
    const child = spawn(process.execPath, ['-r', join(ROOT, 'bench', 'peak-rss.cjs'), BIN, ...args], {
      cwd: tempDir(),
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...clerk.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const peak = /\npeak-rss-kb (\d+)\n$/.exec(stderr);
      if (!peak) return reject(new Error(`no peak RSS line:\n${stderr.slice(-2000)}`));
      resolve({ code, signal, stdout, stderr: stderr.slice(0, peak.index).replace(/\n$/, '') + '\n', peakRssMb: Number(peak[1]) / 1024 });
    });
  });
}

type HugeFault = Extract<Fault, { kind: 'huge' }>;
const huge = (status: number, bytes: number, extra: Partial<HugeFault> = {}): HugeFault => ({ kind: 'huge', status, bytes, ...extra });

describe('bounded bodies', () => {
  for (const [label, fault] of [
    ['a 300 MB HTML 502 page', huge(502, 300 * MB)],
    ['a 300 MB 200', huge(200, 300 * MB, { prefix: '{"id":"', chunk: 'x', contentType: 'application/json' })],
  ] as const) {
    test(`${label}: invalid_response, retried, exit 5, the connection dropped each time, peak memory under 150 MB`, async () => {
      const { phone, path } = seed(clerk.server);
      clerk.server.fault({ method: 'GET', path, times: 10, fault });
      const result = await runMeasured(['get', phone.id!]);
      assert.equal(result.code, 5, result.stderr);
      assert.equal(result.stdout, '');
      const error = errorJson(result);
      assert.equal(error.code, 'invalid_response');
      assert.equal(error.status, fault.status);
      assert.match(error.message, /larger than 1 MiB/);
      assert.deepEqual(error.errors, []);
      assert.equal(countTo('GET', path), 4, 'retried like a 5xx: --retries 3');
      for (const request of clerk.server.requests) {
        assert.ok(request.bodyBytesSent! < 64 * MB, `the client hung up early: ${request.bodyBytesSent} bytes were sent`);
      }
      assert.ok(result.peakRssMb < 150, `peak RSS ${result.peakRssMb.toFixed(1)} MB`);
    });
  }

  test('a Content-Length past the limit fails before the body is read', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'GET', path, times: 1, fault: huge(200, 300 * MB, { declareLength: true }) });
    const result = await clerk.phone(['get', phone.id!, '--retries', '0']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(errorJson(result).code, 'invalid_response');
    assert.ok(clerk.server.requests[0]!.bodyBytesSent! < 64 * MB, `${clerk.server.requests[0]!.bodyBytesSent} bytes sent`);
  });

  test('exactly the limit is read; one byte more is not', async () => {
    const { phone, path } = seed(clerk.server);
    const body = (bytes: number) =>
      huge(200, bytes, {
        prefix: `{"object":"phone_number","id":"${phone.id}","pad":"`,
        chunk: 'x',
        suffix: '"}',
        contentType: 'application/json',
      });
    clerk.server.fault({ method: 'GET', path, times: 1, fault: body(MAX_RESPONSE_BODY_BYTES) });
    const atLimit = await clerk.phone(['get', phone.id!, '--retries', '0', '--fields', 'id']);
    assert.equal(atLimit.code, 0, atLimit.stderr);
    assert.equal(JSON.parse(atLimit.stdout).id, phone.id);

    clerk.server.fault({ method: 'GET', path, times: 1, fault: body(MAX_RESPONSE_BODY_BYTES + 1) });
    const past = await clerk.phone(['get', phone.id!, '--retries', '0']);
    assert.equal(past.code, 5, past.stderr);
    assert.equal(errorJson(past).code, 'invalid_response');
  });

  test('a PATCH is repeated after an oversized answer, and then succeeds', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'PATCH', path, times: 1, fault: huge(502, 20 * MB) });
    const result = await clerk.phone(['update', phone.id!, '--verified']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).verification.status, 'verified');
    assert.equal(countTo('PATCH', path), 2);
  });

  test('a create answered with an oversized 200 did take effect: not repeated, settled by a lookup, exit 0', async () => {
    const user = clerk.server.addUser();
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 5, fault: huge(200, 20 * MB, { commit: true }) });
    const result = await clerk.phone(['create', '--user-id', user.id, '--phone-number', '+12015550123']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(countTo('POST', '/v1/phone_numbers'), 1, 'a POST is never repeated after an answer it could not read');
    assert.equal(countTo('GET', '/v1/users'), 1, 'the lookup');
    assert.equal(clerk.server.phoneNumbers().length, 1);
    assert.equal(JSON.parse(result.stdout).id, clerk.server.phoneNumbers()[0]!.id);
    assert.match(
      result.stderr,
      /^note: the create's outcome was unknown \(.*\); a lookup found \+12015550123 on user .*: it was created\n$/,
    );
  });

  test('in a batch, a create answered with an oversized 200 is resolved by a lookup: created once, reported as created', async () => {
    const user = clerk.server.addUser();
    const numbers = ['+12015550131', '+12015550132', '+12015550133'];
    const file = join(tempDir('phone-hostile-'), 'rows.jsonl');
    writeFileSync(file, numbers.map((phone_number) => JSON.stringify({ user_id: user.id, phone_number })).join('\n') + '\n');
    clerk.server.fault({
      method: 'POST',
      path: '/v1/phone_numbers',
      when: (request) => (request.body as { phone_number?: string }).phone_number === numbers[1],
      times: 5,
      fault: huge(200, 20 * MB, { commit: true }),
    });
    const result = await clerk.phone(['create', '--file', file]);
    assert.equal(result.code, 0, result.stderr);
    const lines = byLine(result, 3);
    for (const line of lines.values()) assert.equal(line.status, 'created', JSON.stringify(line));
    assert.equal(lines.get(2)!.result!.phone_number, numbers[1]);
    assert.deepEqual(summary(result), { created: 3, failed: 0 });
    assert.equal(clerk.server.phoneNumbers().length, 3);
    assert.equal(clerk.server.requests.filter((r) => r.method === 'POST').length, 3, 'no POST sent twice');
  });
});

describe('stalls', () => {
  test('headers and part of a body, then nothing: the attempt times out, is retried, exit 5', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'GET', path, times: 2, fault: { kind: 'stall', status: 200, bytes: 100 } });
    const result = await clerk.phone(['get', phone.id!, '--timeout', '300', '--retries', '1']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(errorJson(result).code, 'timeout');
    assert.equal(countTo('GET', path), 2);
  });

  test('a body stalled after its headers, then an answer: success', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'GET', path, times: 1, fault: { kind: 'stall', status: 200 } });
    const result = await clerk.phone(['get', phone.id!, '--timeout', '300']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).id, phone.id);
  });
});

/** Bodies that are JSON but not an object. */
const NOT_OBJECTS: [string, unknown][] = [
  ['null', null],
  ['a list', [{ id: 'idn_1' }]],
  ['an empty list', []],
  ['a string', '"idn_1"'],
  ['a number', 42],
  ['true', true],
];

describe('2xx bodies of the wrong shape are invalid_response', () => {
  for (const [label, body] of NOT_OBJECTS) {
    for (const output of ['--json', '-o table'] as const) {
      test(`get ${output}, answered ${label}: exit 1, invalid_response, nothing on stdout`, async () => {
        const { phone, path } = seed(clerk.server);
        clerk.server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 200, body } });
        const result = await clerk.phone(['get', phone.id!, ...output.split(' ')]);
        assert.equal(result.code, 1, result.stderr);
        assert.equal(result.stdout, '');
        if (output === '--json') assert.equal(errorJson(result).code, 'invalid_response');
        else assert.match(result.stderr, /invalid_response/);
        assert.doesNotMatch(result.stderr, /unexpected|TypeError|at .*\.js:\d+/);
      });
    }

    test(`list, the user answered as ${label}: exit 1, invalid_response`, async () => {
      const user = clerk.server.addUser();
      clerk.server.fault({ method: 'GET', path: `/v1/users/${user.id}`, times: 1, fault: { kind: 'status', status: 200, body } });
      const result = await clerk.phone(['list', '--user-id', user.id, '-o', 'table']);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /invalid_response/);
    });
  }

  for (const [label, phoneNumbers] of [
    ['a string', 'none'],
    ['null', null],
    ['an object', { 0: {} }],
    ['missing', undefined],
    ['a list holding null', [null]],
  ] as const) {
    test(`list of a user whose phone_numbers is ${label}: invalid_response, not "no numbers"`, async () => {
      const user = clerk.server.addUser();
      const body = { ...clerk.server.user(user.id), phone_numbers: phoneNumbers };
      clerk.server.fault({ method: 'GET', path: `/v1/users/${user.id}`, times: 1, fault: { kind: 'status', status: 200, body } });
      const result = await clerk.phone(['list', '--user-id', user.id, '--json']);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(result.stdout, '');
      const error = errorJson(result);
      assert.equal(error.code, 'invalid_response');
      assert.match(error.message, /phone_numbers/);
    });
  }

  for (const [label, body] of [
    ['null', null],
    ['an object', { data: [] }],
    ['a list holding null', [null]],
    ['a number', 7],
  ] as const) {
    test(`get +E164, the user lookup answered ${label}: exit 1, invalid_response`, async () => {
      clerk.server.fault({ method: 'GET', path: '/v1/users', times: 1, fault: { kind: 'status', status: 200, body } });
      const result = await clerk.phone(['get', '+12015550100', '--json']);
      assert.equal(result.code, 1, result.stderr);
      assert.equal(errorJson(result).code, 'invalid_response');
    });
  }

  test('a create answered 200 null (which did not create it here): the lookup settles it, exit 1, invalid_response, not created', async () => {
    const user = clerk.server.addUser();
    clerk.server.fault({ method: 'POST', path: '/v1/phone_numbers', times: 1, fault: { kind: 'status', status: 200, body: null } });
    const result = await clerk.phone(['create', '--user-id', user.id, '--phone-number', '+12015550123']);
    assert.equal(result.code, 1, result.stderr);
    const error = errorJson(result);
    assert.equal(error.code, 'invalid_response');
    assert.match(error.message, /a lookup found no \+12015550123 on user .* afterwards: it was not created/);
    assert.doesNotMatch(error.message, /may have been created/);
  });
});

describe('hostile headers', () => {
  test('a header past what node:http reads (64 kB): a network error, retried, exit 5, no crash', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({
      method: 'GET',
      path,
      times: 2,
      fault: { kind: 'status', status: 200, body: {}, headers: { 'x-junk': 'j'.repeat(65_536) } },
    });
    const result = await clerk.phone(['get', phone.id!, '--retries', '1']);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(errorJson(result).code, 'network');
    assert.equal(countTo('GET', path), 2);
  });

  for (const retryAfter of ['0', '-1', '1.5', 'soon', 'Thu, 01 Jan 1970 00:00:00 GMT', '', '1e3']) {
    test(`Retry-After: ${JSON.stringify(retryAfter)} does not count: the normal backoff, never a zero wait`, async () => {
      const { phone, path } = seed(clerk.server);
      clerk.server.fault({ method: 'GET', path, times: 1, fault: { kind: 'status', status: 503, headers: { 'Retry-After': retryAfter } } });
      const result = await clerk.phone(['get', phone.id!, '--debug']);
      assert.equal(result.code, 0, result.stderr);
      const waits = [...result.stderr.matchAll(/retry of GET \S+ in (\d+) ms/g)].map((m) => Number(m[1]));
      assert.equal(waits.length, 1, result.stderr);
      assert.ok(waits[0]! >= 100 && waits[0]! < 500, `the first backoff window, [100, 500) ms: ${waits[0]}`);
    });
  }

  test('a Retry-After of 10^20 seconds fails at once, exit 5', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({
      method: 'GET',
      path,
      times: 1,
      fault: { kind: 'status', status: 429, headers: { 'Retry-After': '99999999999999999999' } },
    });
    const result = await clerk.phone(['get', phone.id!]);
    assert.equal(result.code, 5, result.stderr);
    assert.equal(countTo('GET', path), 1);
  });
});

describe('answers dense with objects', () => {
  // 1 MiB of `{},` is 350,000 objects: parsed once per row, a batch grew past 200 MB.
  const denseList = `[${Array(MAX_JSON_CONTAINERS * 6)
    .fill('{}')
    .join(',')}]`;

  test('a batch whose every create and lookup is answered with a dense 1 MiB list: each row fails alone, memory under 150 MB', async () => {
    const user = clerk.server.addUser();
    const rows = Array.from({ length: 32 }, (_, i) =>
      JSON.stringify({ user_id: user.id, phone_number: `+1201555${String(i).padStart(4, '0')}` }),
    );
    const file = join(tempDir(), 'rows.jsonl');
    writeFileSync(file, `${rows.join('\n')}\n`);
    for (const [method, path] of [
      ['POST', '/v1/phone_numbers'],
      ['GET', '/v1/users'],
    ] as const) {
      clerk.server.fault({ method, path, times: Infinity, fault: { kind: 'status', status: 200, body: denseList } });
    }
    const result = await runMeasured(['create', '--file', file, '--concurrency', '8']);
    assert.equal(result.code, 1, result.stderr);
    const lines = byLine(result, 32);
    for (const line of lines.values()) {
      assert.equal(line.status, 'failed');
      assert.equal(line.error?.code, 'invalid_response');
      assert.match(line.error!.message, new RegExp(`more than ${MAX_JSON_CONTAINERS} JSON objects and lists`));
    }
    assert.ok(result.peakRssMb < 150, `peak RSS ${result.peakRssMb.toFixed(1)} MB`);
  });

  test('an error answer dense with objects is reported by its status alone', async () => {
    const { phone, path } = seed(clerk.server);
    clerk.server.fault({ method: 'GET', path, times: Infinity, fault: { kind: 'status', status: 503, body: `{"errors":${denseList}}` } });
    const result = await clerk.phone(['get', phone.id!, '--json', '--retries', '0']);
    assert.equal(result.code, 5, result.stderr);
    const error = errorJson(result);
    assert.equal(error.status, 503);
    assert.deepEqual(error.errors, []);
  });
});
