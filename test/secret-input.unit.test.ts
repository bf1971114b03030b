// The hidden prompt of `phone auth login` as a unit: what a terminal that fails does to it.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { CliError, ExitCode } from '../src/errors.ts';
import type { IO } from '../src/io.ts';
import { readHiddenLine } from '../src/secret-input.ts';

test('a terminal that fails while the key is typed (EIO): a usage error, raw mode put back, no crash', async () => {
  const modes: boolean[] = [];
  const stdin = Object.assign(new PassThrough(), { isTTY: true, isRaw: false, setRawMode: (raw: boolean) => void modes.push(raw) });
  const stderr = new PassThrough();
  const io = { stdin, stdout: new PassThrough(), stderr, env: {}, cwd: '/' } as unknown as IO;
  const answer = readHiddenLine(io, 'key: ');
  stdin.write('sk_test_');
  stdin.destroy(Object.assign(new Error('read EIO'), { code: 'EIO' }));
  await assert.rejects(answer, (error: unknown) => {
    assert.ok(error instanceof CliError);
    assert.equal(error.exitCode, ExitCode.usage);
    assert.equal(error.message, 'cannot read the terminal: read EIO');
    return true;
  });
  assert.deepEqual(modes, [true, false]);
});
