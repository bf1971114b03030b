// The in-process harness (helpers/in-process.ts) against the built CLI it stands in for: the same
// bytes and exit codes, and nothing carried from one run into the next.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seedPhone } from './helpers/common.ts';
import { useFakeClerk } from './helpers/fixture.ts';

const clerk = useFakeClerk();

test('in-process and spawned runs give the same exit code, stdout and stderr', async () => {
  const { user, phone } = seedPhone(clerk.server, { verified: true });
  const cases: { args: string[]; env?: Record<string, string> }[] = [
    { args: ['get', phone.id] },
    { args: ['get', phone.id, '-o', 'table'] },
    { args: ['get', phone.id, '-o', 'table'], env: { FORCE_COLOR: '1' } },
    { args: ['list', '--user-id', user.id, '-o', 'table', '--fields', 'id,phone_number'], env: { FORCE_COLOR: '1' } },
    { args: ['get', '../x', '-o', 'table'], env: { FORCE_COLOR: '1' } },
    { args: ['update', phone.id, '--primary', '--dry-run'] },
    { args: ['--help'] },
    { args: ['help', 'create'] },
    { args: [] },
    { args: ['get'] },
    { args: ['gt', phone.id, '-o', 'table'] },
  ];
  for (const { args, env } of cases) {
    const spawned = await clerk.phone(args, { env });
    const inProcess = await clerk.inProcess(args, { env });
    assert.deepEqual(inProcess, spawned, `phone ${args.join(' ')}`);
  }
});

test('a run does not see the exit code a failed test left on the process', async () => {
  const before = process.exitCode;
  process.exitCode = 1;
  try {
    const result = await clerk.inProcess(['help']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(process.exitCode, 1, 'and the exit code is put back');
  } finally {
    process.exitCode = before;
  }
});

test('a run reads relative paths from its own working directory and leaves the process where it was', async () => {
  const cwd = process.cwd();
  const result = await clerk.inProcess(['create', '--file', 'no-such-input.jsonl']);
  assert.equal(result.code, 2, result.stderr);
  assert.match(result.stderr, /no-such-input\.jsonl/);
  assert.equal(process.cwd(), cwd);
});

test('a fake terminal on stdout gets a table; a pipe gets JSON', async () => {
  const { phone } = seedPhone(clerk.server);
  const onTerminal = await clerk.inProcess(['get', phone.id], { tty: { stdout: true } });
  assert.equal(onTerminal.code, 0, onTerminal.stderr);
  assert.match(onTerminal.stdout, /│ .*ID/);
  const piped = await clerk.inProcess(['get', phone.id]);
  assert.equal((JSON.parse(piped.stdout) as { id: string }).id, phone.id);
});
