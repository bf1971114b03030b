import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startFakeClerk, type FakeClerk } from './fake-clerk/server.ts';
import { ROOT, runCli } from './helpers/run-cli.ts';

/**
 * The start-up work phone skips must not include TLS: against a local HTTPS server whose
 * self-signed certificate is trusted only through NODE_EXTRA_CA_CERTS, the real certificate check
 * runs, passes with that CA and fails without it.
 */
const TLS_DIR = join(ROOT, 'test', 'fixtures', 'tls');
let server: FakeClerk;

before(async () => {
  server = await startFakeClerk({
    tls: { key: readFileSync(join(TLS_DIR, 'key.pem')), cert: readFileSync(join(TLS_DIR, 'cert.pem')) },
    tlsHostname: 'localhost',
  });
});
after(() => server.close());

function get(id: string, extraCerts: string | undefined) {
  return runCli(['get', id, '--json'], {
    env: { CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url, NODE_EXTRA_CA_CERTS: extraCerts },
  });
}

test('a certificate trusted through NODE_EXTRA_CA_CERTS: the request goes over TLS and succeeds', async () => {
  assert.match(server.url, /^https:\/\/localhost:\d+$/);
  const user = server.addUser();
  const phone = server.addPhoneNumber(user.id, '+12015550100');
  const result = await get(phone.id!, join(TLS_DIR, 'cert.pem'));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, `${JSON.stringify(phone, null, 2)}\n`);
  assert.equal(server.requests.at(-1)!.path, `/v1/phone_numbers/${phone.id}`);
});

test('the same certificate untrusted: the TLS check fails before any request arrives, is not retried, exit 5', async () => {
  const before = server.requests.length;
  const result = await runCli(['get', 'idn_2anything', '--json', '--debug'], {
    env: { CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url },
  });
  assert.equal(result.code, 5, result.stderr);
  assert.equal(result.stdout, '');
  const lines = result.stderr.trim().split('\n');
  const { error } = JSON.parse(lines.at(-1)!);
  assert.equal(error.code, 'network');
  assert.match(error.message, /certificate/i);
  assert.match(error.message, /NODE_EXTRA_CA_CERTS/);
  assert.equal(lines.filter((line) => line.includes('→ GET')).length, 1, 'one attempt, no retry');
  assert.equal(server.requests.length, before);
});
