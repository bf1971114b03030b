// The throughput baseline: a bare node:http client with keep-alive sending the same POSTs as
// `phone create --file`, CONCURRENCY at a time. Usage: node baseline-client.mjs <url> <key> <rows.jsonl> <concurrency>
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [url, key, file, concurrency] = process.argv.slice(2);
const rows = readFileSync(file, 'utf8').split('\n').filter(Boolean);
const agent = new http.Agent({ keepAlive: true });
const target = new URL('/v1/phone_numbers', url);
let next = 0;
let failed = 0;

function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      target,
      { method: 'POST', agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function worker() {
  while (next < rows.length) {
    const status = await post(rows[next++]);
    if (status !== 200) failed++;
  }
}

await Promise.all(Array.from({ length: Number(concurrency) }, worker));
agent.destroy();
if (failed) {
  console.error(`${failed} requests failed`);
  process.exitCode = 1;
}
