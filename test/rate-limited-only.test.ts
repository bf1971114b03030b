// A server that answers nothing but 429 with `Retry-After: 0`: a batch run used to send thousands
// of requests a second, forever. Now each row waits (backoff, never zero) until its 60 s budget is
// spent, then fails as rate_limited. This file runs about a minute: the budget is the CLI's own.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { MAX_TOTAL_WAIT_MS, MIN_WAIT_MS } from '../src/api/retry.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { byLine, summary } from './helpers/results.ts';
import { tempDir } from './helpers/run-cli.ts';

const clerk = useFakeClerk();

test('a batch facing only 429s with Retry-After: 0 ends: every row failed as rate_limited after a bounded number of requests', async () => {
  const user = clerk.server.addUser();
  const numbers = ['+12015550141', '+12015550142'];
  const file = join(tempDir('phone-429-'), 'rows.jsonl');
  writeFileSync(file, numbers.map((phone_number) => JSON.stringify({ user_id: user.id, phone_number })).join('\n') + '\n');
  clerk.server.fault({ path: /./, times: Infinity, fault: { kind: 'status', status: 429, body: '', headers: { 'Retry-After': '0' } } });

  const result = await clerk.phone(['create', '--file', file, '--concurrency', '2'], { timeoutMs: 4 * MAX_TOTAL_WAIT_MS });

  assert.equal(result.code, 1, result.stderr);
  const lines = byLine(result, 2);
  for (const line of lines.values()) {
    assert.equal(line.status, 'failed');
    assert.equal(line.error!.status, 429, JSON.stringify(line.error));
    assert.equal(line.error!.code, 'rate_limited');
  }
  assert.deepEqual(summary(result), { created: 0, failed: 2 });
  for (const number of numbers) {
    const sent = clerk.server.requests.filter((r) => (r.body as { phone_number?: string } | undefined)?.phone_number === number).length;
    // The floor bounds it in every case; the widening backoff keeps it near 20.
    assert.ok(sent >= 2 && sent <= MAX_TOTAL_WAIT_MS / MIN_WAIT_MS + 1, `${number}: ${sent} requests`);
    assert.ok(sent <= 60, `${number}: ${sent} requests, the backoff window widens with every 429`);
  }
  assert.equal(clerk.server.requests.filter((r) => r.method !== 'POST').length, 0, 'a 429 took no effect: no lookup');
});
