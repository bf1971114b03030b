// `phone list --all` (issue 14): rows per second of a walk over every user, against a bare
// node:http walk of the same pages, and the peak RSS of a large walk against a small one.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeClerk } from '../test/fake-clerk/server.ts';
import type { BenchKit } from './kit.ts';

/**
 * The least a walk can do: the same requests one after another on a keep-alive connection, each
 * page parsed, one JSON line per phone number written to stdout.
 */
const BARE_WALK = `
import http from 'node:http';
const [url, key] = process.argv.slice(1);
const agent = new http.Agent({ keepAlive: true });
const get = (path) => new Promise((resolve, reject) => {
  http.get(url + path, { agent, headers: { authorization: 'Bearer ' + key } }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c)).on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')))).on('error', reject);
  }).on('error', reject);
});
let after = '';
for (;;) {
  const users = await get('/v1/users?limit=500&order_by=%2Bcreated_at' + (after ? '&starting_after=' + after : ''));
  let text = '';
  for (const user of users) for (const phone of user.phone_numbers) text += JSON.stringify({ user_id: user.id, ...phone, primary: phone.id === user.primary_phone_number_id }) + '\\n';
  if (!process.stdout.write(text)) await new Promise((r) => process.stdout.once('drain', r));
  if (users.length < 500) break;
  after = users[users.length - 1].id;
}
agent.destroy();
`;

/** `users` users, one number each and a second one on every fifth: 1.2 rows a user. */
function seedUsers(server: FakeClerk, users: number): number {
  server.reset();
  let rows = 0;
  for (let i = 0; i < users; i++) {
    const id = server.addUser().id;
    server.addPhoneNumber(id, `+1${String(2_000_000_000 + i)}`, { verified: i % 2 === 0 });
    rows++;
    if (i % 5 === 0) {
      server.addPhoneNumber(id, `+44${String(7_000_000_000 + i)}`);
      rows++;
    }
  }
  return rows;
}

/**
 * Memory: V8 lets the old generation grow on the garbage of the first pages before it collects in
 * earnest (a walk of 50,000 users fits in 74 MB with --max-old-space-size=40), so the peak climbs
 * up to ~20,000 users (72 MB at 5,000, 90 at 20,000) and is flat after that (91 at 50,000, 96 at
 * 100,000 and 200,000, measured): the case compares a walk ten times longer with that.
 */
export async function inventory(server: FakeClerk, env: NodeJS.ProcessEnv, kit: BenchKit): Promise<void> {
  // Unpaced (the fake has no limit), so this measures the CLI's own cost.
  const config = join(kit.scratch, 'unpaced.json');
  writeFileSync(config, JSON.stringify({ rate: '10000/1s' }));
  const phoneEnv = { ...env, CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url };
  const users = 20_000;
  const rows = seedUsers(server, users);
  const lines = (text: string) => text.split('\n').length - 1;
  const cli = async () => {
    const result = await kit.checked([kit.bin, 'list', '--all', '-o', 'jsonl', '--config', config], phoneEnv);
    if (lines(result.stdout) !== rows) throw new Error(`list --all wrote ${lines(result.stdout)} rows, not ${rows}`);
    return rows / (result.ms / 1000);
  };
  const bare = async () => {
    const result = await kit.checked(['--input-type=module', '-e', BARE_WALK, server.url, server.secretKey], env);
    if (lines(result.stdout) !== rows) throw new Error(`the bare walk wrote ${lines(result.stdout)} rows, not ${rows}`);
    return rows / (result.ms / 1000);
  };
  const { as, bs } = await kit.interleaved(cli, bare, 5, 1);
  const ratio = kit.quantile(as, 0.5) / kit.quantile(bs, 0.5);
  kit.record(
    {
      case: `list --all rows per second (${users} users, ${rows} rows, jsonl)`,
      unit: 'rows/s',
      baselineName: 'bare node:http walk of the same pages',
      baselineMedian: kit.quantile(bs, 0.5),
      ratio,
      target: '>= 0.5 x',
      pass: ratio >= 0.5,
    },
    as,
  );

  const peak = async (count: number) => {
    seedUsers(server, count);
    const args = ['-r', join(kit.here, 'peak-rss.cjs'), kit.bin, 'list', '--all', '-o', 'jsonl', '--config', config];
    const result = await kit.checked(args, phoneEnv);
    return Number(/peak-rss-kb (\d+)/.exec(result.stderr)![1]) / 1024;
  };
  const { as: big, bs: small } = await kit.interleaved(
    () => peak(200_000),
    () => peak(20_000),
    2,
    0,
  );
  const peakRatio = kit.quantile(big, 0.5) / kit.quantile(small, 0.5);
  kit.record(
    {
      case: 'peak RSS, list --all of 200,000 users',
      unit: 'MB',
      baselineName: '20,000 users',
      baselineMedian: kit.quantile(small, 0.5),
      ratio: peakRatio,
      target: '<= 1.25 x and < 120 MB',
      pass: peakRatio <= 1.25 && kit.quantile(big, 0.5) < 120,
    },
    big,
  );
}
