// `phone list --all` against a hostile or busy server: shapes that are not Clerk's, pages past the
// bounds, 429s, Ctrl-C and a reader that goes away. Rows already written stay written, and JSON
// output stays valid JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { json, jsonl, number } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';
import { errorJson } from './helpers/results.ts';
import { spawnCli } from './helpers/spawn-cli.ts';

const clerk = useFakeClerk();

function seed(count: number): void {
  for (let i = 0; i < count; i++) clerk.server.addUser();
  for (const user of clerk.server.users()) clerk.server.addPhoneNumber(user.id, number(clerk.server.phoneNumbers().length));
}

function rows(users = clerk.server.users()) {
  return users.flatMap((user) =>
    user.phone_numbers.map((phone) => ({ user_id: user.id, ...phone, primary: phone.id === user.primary_phone_number_id })),
  );
}

const pages = () => clerk.server.requests.filter((r) => r.path === '/v1/users');
const secondPage = (r: { query: Record<string, string> }) => r.query.starting_after !== undefined;

test("a page that is not Clerk's ends the walk with invalid_response (exit 1); the rows before it stay, the array closed", async () => {
  const cases: [string, unknown, RegExp][] = [
    ['an object', { data: [] }, /object where a list belongs/],
    ['a user without an id', [{ phone_numbers: [] }], /a user without an id/],
    ['a user whose id is a number', [{ id: 7, phone_numbers: [] }], /a user without an id/],
    ['phone_numbers that is not a list', [{ id: 'user_x', phone_numbers: 'none' }], /phone_numbers is not a list/],
    ['phone_numbers missing', [{ id: 'user_x' }], /phone_numbers is missing/],
  ];
  seed(501);
  const firstPage = rows(clerk.server.users().slice(0, 500));
  for (const [label, body, message] of cases) {
    clerk.server.fault({ path: '/v1/users', when: secondPage, fault: { kind: 'status', status: 200, body } });
    const result = await clerk.phone(['list', '--all']);
    assert.equal(result.code, 1, `${label}: ${result.stderr}`);
    assert.equal(result.stdout, json(firstPage), `${label}: the first page's rows, a valid JSON array`);
    const error = errorJson(result);
    assert.equal(error.code, 'invalid_response', label);
    assert.match(error.message, message, label);
  }
});

test('a page larger than one answer may be (1 MiB, 50,000 containers) is read; past the page bounds it is refused', async () => {
  const page = (bytes: number, chunk: string, prefix = '[{"id":"user_big","phone_numbers":[],"filler":"', suffix = '"}]') =>
    ({ kind: 'huge', status: 200, bytes, prefix, chunk, suffix, contentType: 'application/json' }) as const;
  clerk.server.fault({ path: '/v1/users', fault: page(3 * 1024 * 1024, 'x') });
  const big = await clerk.phone(['list', '--all', '--retries', '0']);
  assert.equal(big.code, 0, big.stderr);
  assert.equal(big.stdout, '[]\n');

  /** A user holding `n` empty objects: n + 4 containers, the filler cut at a whole `{},`. */
  const containers = (n: number) => {
    const [prefix, suffix] = ['[{"id":"user_big","phone_numbers":[],"f":[', '{}]}]'];
    return page(prefix.length + 3 * (n - 1) + suffix.length, '{},', prefix, suffix);
  };
  clerk.server.fault({ path: '/v1/users', fault: containers(100_000) });
  const many = await clerk.phone(['list', '--all', '--retries', '0']);
  assert.equal(many.code, 0, many.stderr);

  clerk.server.fault({ path: '/v1/users', fault: page(17 * 1024 * 1024, 'x') });
  const huge = await clerk.phone(['list', '--all', '--retries', '0']);
  assert.equal(huge.code, 5, huge.stderr);
  assert.equal(huge.stdout, '', 'a failure before any row leaves stdout empty');
  assert.match(errorJson(huge).message, /a body larger than 16 MiB/);

  clerk.server.fault({ path: '/v1/users', fault: containers(250_000) });
  const nested = await clerk.phone(['list', '--all', '--retries', '0']);
  assert.equal(nested.code, 1, nested.stderr);
  assert.match(errorJson(nested).message, /more than 250000 JSON objects and lists/);
});

test('429s pause the walk as batch runs are paced: not counted as retries, every row still comes', async () => {
  seed(700);
  clerk.server.fault({
    path: '/v1/users',
    when: secondPage,
    times: 2,
    fault: { kind: 'status', status: 429, headers: { 'Retry-After': '1' } },
  });
  const result = await clerk.phone(['list', '--all', '-o', 'jsonl', '--retries', '0']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.split('\n').length - 1, 700);
  assert.equal(pages().length, 4, 'page 1, two 429s, page 2 again');
  const [, first429, second429, retried] = pages();
  assert.equal(first429!.url, retried!.url, 'the same page asked again');
  assert.equal(second429!.url, retried!.url);
});

test('Ctrl-C stops the walk: the rows read are written, the JSON array closed, exit 130', async () => {
  seed(1600);
  // The second page takes a while: Ctrl-C comes while it is on its way.
  clerk.server.fault({ path: '/v1/users', when: secondPage, fault: { kind: 'delay', ms: 800 } });
  const run = spawnCli(['list', '--all'], clerk.env);
  await run.firstLine;
  run.child.kill('SIGINT');
  const result = await run.done;
  assert.equal(result.code, 130, result.stderr);
  const written = JSON.parse(result.stdout) as { id: string }[];
  const expected = rows();
  assert.ok(written.length >= 500, `at least the first page: ${written.length}`);
  assert.deepEqual(written, expected.slice(0, written.length), 'the first rows of the walk, none made up');
  assert.ok(pages().length <= 2, `no page asked after Ctrl-C: ${pages().length}`);
  assert.match(result.stderr, new RegExp(`^Interrupted: ${written.length} phone numbers of \\d+ users written\\n$`));
});

test('Ctrl-C while a 429 pauses the walk ends it at once, exit 130, valid JSON', async () => {
  seed(600);
  clerk.server.fault({
    path: '/v1/users',
    when: secondPage,
    times: Infinity,
    fault: { kind: 'status', status: 429, headers: { 'Retry-After': '30' } },
  });
  const run = spawnCli(['list', '--all', '-o', 'jsonl'], clerk.env);
  await run.firstLine;
  while (pages().length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
  run.child.kill('SIGINT');
  const result = await run.done; // would wait 30 s for the pause if Ctrl-C did not end it
  assert.equal(result.code, 130, result.stderr);
  assert.equal(result.stdout.split('\n').length - 1, 500);
  assert.equal(pages().length, 2);
});

test('a reader that goes away (| head) ends the walk without asking for the rest', async () => {
  seed(2600);
  clerk.server.latency(100);
  const run = spawnCli(['list', '--all', '-o', 'jsonl'], clerk.env);
  await run.firstLine;
  run.child.stdout!.destroy();
  const result = await run.done;
  assert.equal(result.code, 0, result.stderr);
  assert.ok(pages().length < 6, `stopped early: ${pages().length} of 6 pages`);
});

test('a walk that fails before any row leaves stdout empty, in every format', async () => {
  seed(3);
  for (const format of ['json', 'jsonl', 'table']) {
    clerk.server.fault({ path: '/v1/users', fault: { kind: 'status', status: 200, body: [{ phone_numbers: [] }] } });
    const result = await clerk.phone(['list', '--all', '-o', format]);
    assert.equal(result.code, 1, result.stderr);
    assert.equal(result.stdout, '', format);
    assert.match(result.stderr, /a user without an id/);
  }
});

test('a server that answers the same full page whatever the cursor: exit 1 at the second page, every row once, the array closed', async () => {
  seed(600);
  const firstUsers = clerk.server.users().slice(0, 500);
  clerk.server.fault({ path: '/v1/users', times: Infinity, fault: { kind: 'status', status: 200, body: firstUsers } });
  for (const format of ['json', 'jsonl']) {
    clerk.server.requests.length = 0;
    const result = await clerk.phone(['list', '--all', '-o', format]);
    assert.equal(result.code, 1, `${format}: ${result.stderr}`);
    assert.equal(result.stdout, format === 'json' ? json(rows(firstUsers)) : jsonl(rows(firstUsers)), format);
    const error = errorJson(result);
    assert.equal(error.code, 'invalid_response');
    assert.match(error.message, /a full page of users ending on "user_\w+", a user already read/);
    assert.equal(pages().length, 2, 'no third page');
  }
});

test('a server going round two pages (the cursor leads back to the first): exit 1 before the first page comes again', async () => {
  seed(1000);
  const users = clerk.server.users();
  const [pageA, pageB] = [users.slice(0, 500), users.slice(500, 1000)];
  const after = (user: { id: string }) => (r: { query: Record<string, string> }) => r.query.starting_after === user.id;
  clerk.server.fault({ path: '/v1/users', when: after(pageB.at(-1)!), fault: { kind: 'status', status: 200, body: pageA } });
  const result = await clerk.phone(['list', '--all', '-o', 'jsonl']);
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stdout, jsonl(rows(users)), 'both pages, once');
  assert.equal(errorJson(result).code, 'invalid_response');
  assert.equal(pages().length, 3);
});

test('a user twice on a page, or again at the top of the next page (a cursor taken as inclusive), is written once', async () => {
  seed(1200);
  const users = clerk.server.users();
  // Page 1: 500 entries, user 249 twice. Page 2 starts again at the cursor, user 498.
  const first = [...users.slice(0, 250), users[249]!, ...users.slice(250, 499)];
  clerk.server.fault({ path: '/v1/users', when: (r) => !secondPage(r), fault: { kind: 'status', status: 200, body: first } });
  const second = users.slice(498, 998);
  const afterFirst = (r: { query: Record<string, string> }) => r.query.starting_after === users[498]!.id;
  clerk.server.fault({ path: '/v1/users', when: afterFirst, fault: { kind: 'status', status: 200, body: second } });
  const result = await clerk.phone(['list', '--all', '-o', 'jsonl']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, jsonl(rows(users)), 'every user once, in order');
  assert.deepEqual(
    pages().map((r) => r.query.starting_after),
    [undefined, users[498]!.id, users[997]!.id],
  );
});

test('a phone number carrying a "__proto__" key is written as it came, and lends the row nothing it does not have', async () => {
  // JSON.parse makes "__proto__" an own key; copied with [[Set]] it would become the row's prototype instead.
  const phone = '{"__proto__":{"reserved_for_second_factor":true},"id":"idn_1","object":"phone_number","phone_number":"+12015550100"}';
  const page = `[{"id":"user_1","primary_phone_number_id":null,"phone_numbers":[${phone}]}]`;
  clerk.server.fault({ path: '/v1/users', fault: { kind: 'status', status: 200, body: page } });
  const all = await clerk.phone(['list', '--all', '-o', 'jsonl']);
  assert.equal(all.code, 0, all.stderr);
  assert.equal(all.stdout, `{"user_id":"user_1",${phone.slice(1, -1)},"primary":false}\n`);
  const secondFactor = await clerk.phone(['list', '--all', '--second-factor', '-o', 'jsonl']);
  assert.equal(secondFactor.code, 0, secondFactor.stderr);
  assert.equal(secondFactor.stdout, '', 'not reserved for second factor: the row has no such field of its own');
});
