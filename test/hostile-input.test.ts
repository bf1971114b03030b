// Batch files built to break the reader: rows nested 50,000 deep, results that cannot be written
// as JSON, lines past MAX_LINE_BYTES, an endless line from /dev/zero. Every row gets its result
// line, the run goes on, memory stays bounded, never a stack trace (issue 11, "Batch input").
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MAX_LINE_BYTES } from '../src/batch/bounded-lines.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { byLine, summary } from './helpers/results.ts';
import { tempDir } from './helpers/run-cli.ts';
import { runWithFds } from './helpers/spawn-fd.ts';

const clerk = useFakeClerk();
const DEEP = 50_000;
/** Deep enough that JSON.stringify overflows (it does at 5,000), within what the API layer parses (50,000 containers). */
const DEEP_RESULT = 10_000;
const deepValue = `${'['.repeat(DEEP)}${']'.repeat(DEEP)}`;

function file(name: string, lines: string[]): string {
  const path = join(tempDir('phone-hostile-'), name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

const row = (userId: string, number: string) => JSON.stringify({ user_id: userId, phone_number: number });

function assertNoStackTrace(stderr: string) {
  assert.doesNotMatch(stderr, /\n\s+at /, `no stack trace:\n${stderr.slice(0, 2000)}`);
  assert.doesNotMatch(stderr, /RangeError|Maximum call stack/, stderr.slice(0, 2000));
}

describe('rows nested too deep', () => {
  test('a row nested 50,000 levels deep fails with a usage error; the rows around it are created and reported', async () => {
    const user = clerk.server.addUser();
    const path = file('deep.jsonl', [
      row(user.id, '+12015550101'),
      `{"user_id":"${user.id}","phone_number":"+12015550102","extra":${deepValue}}`,
      row(user.id, '+12015550103'),
    ]);
    const result = await clerk.phone(['create', '--file', path, '--concurrency', '1']);
    assertNoStackTrace(result.stderr);
    assert.equal(result.code, 1, result.stderr);
    const lines = byLine(result, 3);
    assert.equal(lines.get(1)!.status, 'created');
    assert.equal(lines.get(3)!.status, 'created');
    const deep = lines.get(2)!;
    assert.equal(deep.status, 'failed');
    assert.equal(deep.error!.code, 'usage');
    assert.match(deep.error!.message, /nested deeper than 64 levels/);
    assert.deepEqual(deep.input, {});
    assert.deepEqual(summary(result), { created: 2, failed: 1 });
    assert.equal(clerk.server.phoneNumbers().length, 2);
  });

  test('a deep first line is a failed row too, not an unreadable file', async () => {
    const user = clerk.server.addUser();
    const path = file('deep-first.jsonl', [`{"a":${deepValue}}`, row(user.id, '+12015550104')]);
    const result = await clerk.phone(['create', '--file', path]);
    assertNoStackTrace(result.stderr);
    assert.equal(result.code, 1, result.stderr);
    const lines = byLine(result, 2);
    assert.equal(lines.get(1)!.status, 'failed');
    assert.equal(lines.get(2)!.status, 'created');
  });

  test('a result that cannot be written as JSON fails its row with a usage error that names what was created', async () => {
    const user = clerk.server.addUser();
    const prefix = '{"id":"idn_deepresult","object":"phone_number","phone_number":"+12015550106","x":';
    const suffix = `${']'.repeat(DEEP_RESULT)}}`;
    clerk.server.fault({
      method: 'POST',
      path: '/v1/phone_numbers',
      when: (request) => (request.body as { phone_number?: string }).phone_number === '+12015550106',
      times: 1,
      fault: {
        kind: 'huge',
        status: 200,
        commit: true,
        contentType: 'application/json',
        prefix,
        chunk: '[',
        suffix,
        bytes: prefix.length + DEEP_RESULT + suffix.length,
      },
    });
    const path = file('results.jsonl', [row(user.id, '+12015550105'), row(user.id, '+12015550106'), row(user.id, '+12015550107')]);
    const result = await clerk.phone(['create', '--file', path, '--concurrency', '1']);
    assertNoStackTrace(result.stderr);
    assert.equal(result.code, 1, result.stderr);
    const lines = byLine(result, 3);
    assert.equal(lines.get(1)!.status, 'created');
    assert.equal(lines.get(3)!.status, 'created');
    const broken = lines.get(2)!;
    assert.equal(broken.status, 'failed');
    assert.equal(broken.error!.code, 'usage');
    assert.match(broken.error!.message, /^created idn_deepresult but the row's result cannot be written as JSON/);
    assert.deepEqual(broken.result, { id: 'idn_deepresult' }, 'the ID stays, so delete --file of this output finds it');
    assert.deepEqual(broken.input, { user_id: user.id, phone_number: '+12015550106' });
    assert.equal(clerk.server.phoneNumbers().length, 3, 'all three were created');
  });
});

describe('bounded lines', () => {
  for (const format of ['jsonl', 'csv'] as const) {
    test(`${format}: a line longer than ${MAX_LINE_BYTES} bytes fails its row and reading resumes at the next line`, async () => {
      const user = clerk.server.addUser();
      const long = 'x'.repeat(MAX_LINE_BYTES + 1);
      const lines =
        format === 'jsonl'
          ? [row(user.id, '+12015550111'), `{"user_id":"${long}"}`, row(user.id, '+12015550113')]
          : ['user_id,phone_number', `${user.id},+12015550111`, `${long},+12015550112`, `${user.id},+12015550113`];
      const result = await clerk.phone(['create', '--file', file(`long.${format}`, lines), '--concurrency', '1']);
      assertNoStackTrace(result.stderr);
      assert.equal(result.code, 1, result.stderr);
      const first = format === 'jsonl' ? 1 : 2;
      const byNumber = byLine(result, [first, first + 1, first + 2]);
      assert.equal(byNumber.get(first)!.status, 'created');
      assert.equal(byNumber.get(first + 2)!.status, 'created');
      const failed = byNumber.get(first + 1)!;
      assert.equal(failed.status, 'failed');
      assert.equal(failed.error!.code, 'usage');
      assert.match(failed.error!.message, /the line is longer than 1 MiB/);
      assert.equal(clerk.server.requests.filter((r) => r.method === 'POST').length, 2);
    });
  }

  test('a line of exactly the limit is still read', async () => {
    const user = clerk.server.addUser();
    const base = `{"user_id":"${user.id}","phone_number":"+12015550114","pad":""}`;
    const exact = base.replace('"pad":""', `"pad":"${'p'.repeat(MAX_LINE_BYTES - base.length)}"`);
    assert.equal(Buffer.byteLength(exact), MAX_LINE_BYTES);
    const result = await clerk.phone(['create', '--file', file('exact.jsonl', [exact])]);
    const failed = byLine(result, 1).get(1)!;
    // Read and parsed: it fails on the unknown field, not on its length.
    assert.match(failed.error!.message, /unknown field pad/);
  });

  test(
    'an endless line (--file - from /dev/zero) fails that row, reading stops, memory stays bounded',
    { skip: existsSync('/dev/zero') ? undefined : 'no /dev/zero here' },
    async () => {
      clerk.server.addUser();
      const result = await runWithFds(['create', '--file', '-'], { env: clerk.env, stdinPath: '/dev/zero' });
      assertNoStackTrace(result.stderr);
      assert.equal(result.code, 1, result.stderr);
      const only = byLine(result, 1).get(1)!;
      assert.equal(only.status, 'failed');
      assert.equal(only.error!.code, 'usage');
      assert.match(only.error!.message, /reading stopped there/);
      assert.deepEqual(summary(result), { created: 0, failed: 1 });
      assert.equal(clerk.server.requests.length, 0);
      assert.ok(result.peakRssMb < 150, `peak RSS ${result.peakRssMb.toFixed(1)} MB`);
    },
  );
});
