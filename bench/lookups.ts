// Issue 14's re-run request count: a seeded file run again with --skip-existing, as CI seeding does,
// at a development key's default pace (90 per 10 s) against a server answering in 80 ms.
// `BENCH_ONLY=lookups npm run bench` runs only this.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeClerk } from '../test/fake-clerk/server.ts';
import type { BenchKit } from './kit.ts';

/** A development instance's default pace: 90 requests per 10 s. */
const DEVELOPMENT_PER_SECOND = 9;

/** `count` rows over users of four numbers each, every number already on the server. */
function seeded(server: FakeClerk, scratch: string, count: number): string {
  const lines: string[] = [];
  let userId = '';
  for (let i = 0; i < count; i++) {
    if (i % 4 === 0) userId = server.addUser().id;
    const phoneNumber = `+1${String(2_000_000_000 + i)}`;
    server.addPhoneNumber(userId, phoneNumber);
    lines.push(JSON.stringify({ user_id: userId, phone_number: phoneNumber }));
  }
  const file = join(scratch, `rerun-${count}.jsonl`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

export async function reRunRequests(server: FakeClerk, env: NodeJS.ProcessEnv, tools: BenchKit): Promise<void> {
  for (const [count, rounds] of [
    [1000, 3],
    [10_000, 1],
  ] as const) {
    server.reset();
    const file = seeded(server, tools.scratch, count);
    server.latency(80);
    const requests: number[] = [];
    const times: number[] = [];
    for (let round = 0; round < rounds; round++) {
      server.requests.length = 0;
      const result = await tools.checked([tools.bin, 'create', '--file', file, '--skip-existing'], {
        ...env,
        CLERK_SECRET_KEY: server.secretKey,
        CLERK_API_URL: server.url,
      });
      requests.push(server.requests.length);
      times.push(result.ms);
    }
    server.reset();
    const target = Math.ceil(count / 100) + 1;
    const worst = Math.max(...requests);
    tools.record(
      {
        case: `re-run request count: ${count} seeded rows, --skip-existing`,
        unit: 'requests',
        baselineName: 'a POST and a lookup a row (before)',
        baselineMedian: 2 * count,
        ratio: worst / (2 * count),
        target: `<= ${target} (ceil(N/100) + 1)`,
        pass: worst <= target,
      },
      requests,
    );
    const before = ((2 * count) / DEVELOPMENT_PER_SECOND) * 1000;
    tools.record(
      {
        case: `re-run time: ${count} seeded rows, --skip-existing, sk_test_ pace, 80 ms answers`,
        unit: 'ms',
        baselineName: '2N requests at 9/s (before, computed)',
        baselineMedian: before,
        ratio: Math.max(...times) / before,
        target: 'comparison',
        pass: true,
      },
      times,
    );
  }
}
