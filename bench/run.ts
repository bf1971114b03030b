// `npm run bench`: the performance targets of phone, each measured against its baseline in the
// same run, A and B interleaved. Prints a table and writes bench/results.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_TOTAL_WAIT_MS, MIN_WAIT_MS } from '../src/api/retry.ts';
import { startFakeClerk, type FakeClerk } from '../test/fake-clerk/server.ts';
import { inventory } from './inventory.ts';
import type { BenchKit } from './kit.ts';
import { reRunRequests } from './lookups.ts';

const here = dirname(fileURLToPath(import.meta.url));
const BIN = join(here, '..', 'bin', 'phone.js');
const SCRATCH = join(here, 'tmp');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 30);
const SYSTEM_CAS = '/etc/ssl/certs/ca-certificates.crt';
/** The highest --rate: no pacing to speak of, for the cases that measure the CLI itself. */
const UNPACED = '10000/1s';
/**
 * `BENCH_ONLY=pacing npm run bench` runs only the pacing figures of issue 16; `BENCH_ONLY=lookups`, issue 14's
 * re-run count; `BENCH_ONLY=inventory`, list --all's rows per second and memory.
 */
const ONLY = process.env.BENCH_ONLY;

interface Run {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout, stderr }));
  });
}

async function checked(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const result = await run(args, env);
  if (result.code !== 0) throw new Error(`node ${args.join(' ')} exited ${result.code}\n${result.stderr.slice(-2000)}`);
  return result;
}

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  return sorted[low]! + (sorted[Math.ceil(position)]! - sorted[low]!) * (position - low);
}

interface Row {
  case: string;
  unit: string;
  median: number;
  p25: number;
  p75: number;
  baselineName: string;
  baselineMedian: number;
  ratio: number;
  target: string;
  pass: boolean;
}

const rows: Row[] = [];
function record(row: Omit<Row, 'p25' | 'p75' | 'median'>, samples: number[]): void {
  const full = { ...row, median: quantile(samples, 0.5), p25: quantile(samples, 0.25), p75: quantile(samples, 0.75) };
  rows.push(full);
  console.error(
    `  ${full.case}: ${full.median.toFixed(1)} ${full.unit}, ratio ${full.ratio.toFixed(2)} (${full.target}) ${full.pass ? 'pass' : 'FAIL'}`,
  );
}

/** A and B alternate, so drift on a shared machine hits both alike. */
async function interleaved(a: () => Promise<number>, b: () => Promise<number>, rounds: number, warmup = 3) {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const as: number[] = [];
  const bs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    as.push(await a());
    bs.push(await b());
  }
  return { as, bs };
}

/** Ten numbers a user, as a seed file for test users would have. */
function seedFile(server: FakeClerk, name: string, count: number): string {
  const lines: string[] = [];
  let userId = '';
  for (let i = 0; i < count; i++) {
    if (i % 10 === 0) userId = server.addUser().id;
    lines.push(JSON.stringify({ user_id: userId, phone_number: `+1${String(2_000_000_000 + i)}` }));
  }
  const file = join(SCRATCH, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function startup(server: FakeClerk, label: string, env: NodeJS.ProcessEnv) {
  const phoneEnv = { ...env, CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url };
  const user = server.addUser();
  const phone = server.addPhoneNumber(user.id, '+12015550100');
  const nodeBaseline = async () => (await checked(['-e', '0'], env)).ms;

  const help = await interleaved(async () => (await checked([BIN, '--help'], phoneEnv)).ms, nodeBaseline, ROUNDS);
  const helpRatio = quantile(help.as, 0.5) / quantile(help.bs, 0.5);
  record(
    {
      case: `phone --help (${label})`,
      unit: 'ms',
      baselineName: 'node -e 0',
      baselineMedian: quantile(help.bs, 0.5),
      ratio: helpRatio,
      target: '<= 1.6 x',
      pass: helpRatio <= 1.6,
    },
    help.as,
  );

  const get = await interleaved(async () => (await checked([BIN, 'get', phone.id!, '--json'], phoneEnv)).ms, nodeBaseline, ROUNDS);
  const getRatio = quantile(get.as, 0.5) / quantile(get.bs, 0.5);
  record(
    {
      case: `phone get <id> --json (${label})`,
      unit: 'ms',
      baselineName: 'node -e 0',
      baselineMedian: quantile(get.bs, 0.5),
      ratio: getRatio,
      target: '<= 2.5 x',
      pass: getRatio <= 2.5,
    },
    get.as,
  );
}

async function throughput(server: FakeClerk, env: NodeJS.ProcessEnv) {
  const count = 2000;
  const phoneEnv = { ...env, CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url };
  let file = '';
  const fresh = () => {
    server.reset();
    file = seedFile(server, 'throughput.jsonl', count);
  };
  const cli = async () => {
    fresh();
    // Paced far above what the fake can do: this measures the CLI's own cost, as before pacing.
    return count / ((await checked([BIN, 'create', '--file', file, '--rate', UNPACED], phoneEnv)).ms / 1000);
  };
  const bare = async () => {
    fresh();
    return count / ((await checked([join(here, 'baseline-client.mjs'), server.url, server.secretKey, file, '4'], env)).ms / 1000);
  };
  const { as, bs } = await interleaved(cli, bare, 5, 1);
  const ratio = quantile(as, 0.5) / quantile(bs, 0.5);
  record(
    {
      case: `create --file ${count} rows, unthrottled`,
      unit: 'req/s',
      baselineName: 'bare node:http keep-alive, 4 in flight',
      baselineMedian: quantile(bs, 0.5),
      ratio,
      target: '>= 0.5 x',
      pass: ratio >= 0.5,
    },
    as,
  );
}

async function rateLimited(server: FakeClerk, env: NodeJS.ProcessEnv) {
  const count = 600;
  const perSecond = 100;
  const ideal = (count / perSecond) * 1000;
  const phoneEnv = { ...env, CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url };
  const samples: number[] = [];
  let failedRows = 0;
  for (let round = 0; round < 3; round++) {
    server.reset();
    const file = seedFile(server, 'rate-limited.jsonl', count);
    server.rateLimit({ requests: perSecond, perMs: 1000 });
    // Paced above the limit: the server's 429s are what slows the run down.
    const result = await run([BIN, 'create', '--file', file, '--rate', '1000/1s'], phoneEnv);
    failedRows += result.stdout.split('\n').filter((line) => line.includes('"status":"failed"')).length;
    samples.push(result.ms);
  }
  server.rateLimit(null);
  const ratio = quantile(samples, 0.5) / ideal;
  record(
    {
      case: `create --file ${count} rows at ${perSecond} req/s (failed rows: ${failedRows})`,
      unit: 'ms',
      baselineName: 'rows / limit',
      baselineMedian: ideal,
      ratio,
      target: '<= 1.15 x, none failed',
      pass: ratio <= 1.15 && failedRows === 0,
    },
    samples,
  );
}

/**
 * A server that answers nothing but 429 with `Retry-After: 0` (which asks for no wait, so the
 * backoff applies): every row must end, failed, within its 60 s wait budget, after a bounded
 * number of requests. One run (it lasts about a minute); the samples are the rows' request counts.
 */
async function onlyRateLimited(server: FakeClerk, env: NodeJS.ProcessEnv) {
  const count = 8;
  const phoneEnv = { ...env, CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url };
  server.reset();
  const file = seedFile(server, 'only-429.jsonl', count);
  server.fault({ path: /./, times: Infinity, fault: { kind: 'status', status: 429, headers: { 'Retry-After': '0' } } });
  const result = await run([BIN, 'create', '--file', file, '--concurrency', String(count)], phoneEnv);
  const perRow = new Map<string, number>();
  for (const request of server.requests) {
    const number = (request.body as { phone_number?: string } | undefined)?.phone_number ?? '';
    perRow.set(number, (perRow.get(number) ?? 0) + 1);
  }
  const total = server.requests.length;
  server.reset();
  const failedRows = result.stdout.split('\n').filter((line) => line.includes('"status":"failed"') && line.includes('"status":429')).length;
  const bound = MAX_TOTAL_WAIT_MS / MIN_WAIT_MS + 1;
  const seconds = result.ms / 1000;
  const samples = [...perRow.values()];
  record(
    {
      case: `create --file ${count} rows, server answers only 429 (Retry-After: 0): requests per row (run ${seconds.toFixed(1)} s, ${total} requests, ${failedRows} rows failed with 429)`,
      unit: 'req/row',
      baselineName: 'hard bound (60 s / 100 ms floor + 1)',
      baselineMedian: bound,
      ratio: quantile(samples, 0.5) / bound,
      target: 'every row failed with 429, max <= bound, run <= 1.2 x 60 s',
      pass: failedRows === count && Math.max(...samples) <= bound && result.ms <= 1.2 * MAX_TOTAL_WAIT_MS,
    },
    samples,
  );
}

/**
 * `get <id> --output table` of a phone number with a 64 kB field, and with 20,000 newlines in one,
 * against the same command on an ordinary number (issue 11: 10 to 15 s per render before cells
 * were escaped and cut ahead of cli-table3). Piped, so the table is escaped but not cut.
 */
async function largeTable(server: FakeClerk, env: NodeJS.ProcessEnv) {
  const phoneEnv = { ...env, CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url };
  server.reset();
  const user = server.addUser();
  const plain = server.addPhoneNumber(user.id, '+12015550100');
  const rounds = Math.min(ROUNDS, 10);
  for (const [label, value] of [
    ['a 64 kB field', 'x'.repeat(64 * 1024)],
    ['20,000 newlines in one field', 'line\n'.repeat(20_000)],
  ] as const) {
    const large = server.addPhoneNumber(user.id, value);
    const render = (id: string) => async () => (await checked([BIN, 'get', id, '--output', 'table'], phoneEnv)).ms;
    const { as, bs } = await interleaved(render(large.id!), render(plain.id!), rounds, 1);
    const median = quantile(as, 0.5);
    const ratio = median / quantile(bs, 0.5);
    const baselineName = 'the same of an ordinary number';
    const target = '<= 2 x and < 1000 ms';
    record(
      {
        case: `get <id> --output table, ${label}`,
        unit: 'ms',
        baselineName,
        baselineMedian: quantile(bs, 0.5),
        ratio,
        target,
        pass: ratio <= 2 && median < 1000,
      },
      as,
    );
  }
  server.reset();
}

/**
 * Issue 16's figures, against a fake that answers after 80 ms and admits 100 requests in each
 * fixed window of 1 s (429 with Retry-After beyond): 1000 creates with --rate 100/1s alone, then the
 * same with --concurrency 4 (the old fixed pool); and a development key, without --rate, against
 * a fake that admits 100 per 10 s, as Clerk does for development instances. One run each: the
 * samples are single.
 */
async function pacing(server: FakeClerk, env: NodeJS.ProcessEnv) {
  const paced = async (name: string, count: number, limit: { requests: number; perMs: number }, args: string[]) => {
    server.reset();
    const file = seedFile(server, `pacing-${name}.jsonl`, count);
    server.latency(80);
    server.rateLimit({ ...limit, window: 'fixed' });
    const result = await run([BIN, 'create', '--file', file, ...args], {
      ...env,
      CLERK_SECRET_KEY: server.secretKey,
      CLERK_API_URL: server.url,
    });
    const created = server.phoneNumbers().length;
    const rateLimited = server.requests.length - created;
    server.reset();
    if (result.code !== 0 || created !== count)
      throw new Error(`pacing ${name}: exit ${result.code}, ${created} of ${count} created\n${result.stderr.slice(-2000)}`);
    return { ms: result.ms, rateLimited, share: rateLimited / (created + rateLimited) };
  };
  const perSecond = { requests: 100, perMs: 1000 };
  const ideal = 10_000;
  const alone = await paced('rate', 1000, perSecond, ['--rate', '100/1s']);
  const aloneRatio = alone.ms / ideal;
  record(
    {
      case: `pacing: 1000 creates, 80 ms answers, fixed window 100/1s, --rate 100/1s (${alone.rateLimited} responses 429 = ${(alone.share * 100).toFixed(2)}%)`,
      unit: 'ms',
      baselineName: '1000 rows / the limit',
      baselineMedian: ideal,
      ratio: aloneRatio,
      target: '<= 1.18 x, <= 2% 429',
      pass: aloneRatio <= 1.18 && alone.share <= 0.02,
    },
    [alone.ms],
  );
  const four = await paced('concurrency-4', 1000, perSecond, ['--rate', '100/1s', '--concurrency', '4']);
  record(
    {
      case: `pacing: the same with --concurrency 4 (${four.rateLimited} responses 429)`,
      unit: 'ms',
      baselineName: 'the run without --concurrency',
      baselineMedian: alone.ms,
      ratio: four.ms / alone.ms,
      target: 'comparison (about 2 x slower)',
      pass: true,
    },
    [four.ms],
  );
  const development = await paced('development-key', 300, { requests: 100, perMs: 10_000 }, []);
  record(
    {
      case: `pacing: sk_test_ key without --rate, 300 creates, fixed window 100/10s (${development.rateLimited} responses 429)`,
      unit: 'ms',
      baselineName: '300 rows at 90 per 10 s',
      baselineMedian: (300 / 9) * 1000,
      ratio: development.ms / ((300 / 9) * 1000),
      target: 'no 429',
      pass: development.rateLimited === 0,
    },
    [development.ms],
  );
}

async function memory(server: FakeClerk, env: NodeJS.ProcessEnv) {
  const phoneEnv = { ...env, CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url };
  const peak = async (count: number) => {
    server.reset();
    const file = seedFile(server, `memory-${count}.jsonl`, count);
    const result = await checked(['-r', join(here, 'peak-rss.cjs'), BIN, 'create', '--file', file, '--rate', UNPACED], phoneEnv);
    return Number(/peak-rss-kb (\d+)/.exec(result.stderr)![1]) / 1024;
  };
  const { as, bs } = await interleaved(
    () => peak(50_000),
    () => peak(5_000),
    2,
    0,
  );
  const big = quantile(as, 0.5);
  const ratio = big / quantile(bs, 0.5);
  record(
    {
      case: 'peak RSS, create --file 50,000 rows',
      unit: 'MB',
      baselineName: '5,000 rows',
      baselineMedian: quantile(bs, 0.5),
      ratio,
      target: '<= 1.2 x and < 120 MB',
      pass: ratio <= 1.2 && big < 120,
    },
    as,
  );
}

function table(): string {
  const head = ['case', 'median', 'p25-p75', 'baseline', 'baseline median', 'ratio', 'target', 'result'];
  const body = rows.map((row) => [
    row.case,
    `${row.median.toFixed(1)} ${row.unit}`,
    `${row.p25.toFixed(1)}-${row.p75.toFixed(1)}`,
    row.baselineName,
    `${row.baselineMedian.toFixed(1)} ${row.unit}`,
    `${row.ratio.toFixed(2)}`,
    row.target,
    row.pass ? 'pass' : 'FAIL',
  ]);
  return [head, head.map(() => '---'), ...body].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

mkdirSync(SCRATCH, { recursive: true });
const kit: BenchKit = { bin: BIN, scratch: SCRATCH, here, checked, interleaved, quantile, record };
const server = await startFakeClerk();
try {
  const withoutCas = { ...process.env };
  delete withoutCas.NODE_EXTRA_CA_CERTS;
  const cas = process.env.NODE_EXTRA_CA_CERTS || (existsSync(SYSTEM_CAS) ? SYSTEM_CAS : undefined);
  console.error(`phone benchmark: ${ROUNDS} rounds, Node ${process.version}, ${cpus().length} cores`);
  if (!ONLY) {
    await startup(server, 'no NODE_EXTRA_CA_CERTS', withoutCas);
    if (cas) await startup(server, 'NODE_EXTRA_CA_CERTS set', { ...withoutCas, NODE_EXTRA_CA_CERTS: cas });
    await throughput(server, withoutCas);
    await rateLimited(server, withoutCas);
    await onlyRateLimited(server, withoutCas);
  }
  if (!ONLY || ONLY === 'pacing') await pacing(server, withoutCas);
  if (!ONLY || ONLY === 'lookups') await reRunRequests(server, withoutCas, kit);
  if (!ONLY) {
    await memory(server, withoutCas);
    await largeTable(server, withoutCas);
  }
  if (!ONLY || ONLY === 'inventory') await inventory(server, withoutCas, kit);
} finally {
  await server.close();
}
const markdown = table();
console.log(markdown);
// A partial run (BENCH_ONLY) must not replace the full record.
if (!ONLY)
  writeFileSync(
    join(here, 'results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cores: cpus().length, rounds: ROUNDS, rows }, null, 2)}\n`,
  );
if (rows.some((row) => !row.pass)) process.exitCode = 1;
