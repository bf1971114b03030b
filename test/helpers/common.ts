import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError, ExitCode } from '../../src/errors.ts';
import type { FakeClerk, PhoneNumberObject, RecordedRequest } from '../fake-clerk/server.ts';
import { tempDir, type CliResult } from './run-cli.ts';

/** The helpers and assertions the test files share; the batch output's are in results.ts. */

// ---------------------------------------------------------------- text as the CLI prints or reads it

/** One value as `--output json` prints it. */
export const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Values as JSON Lines, one per line, each line ended. */
export const jsonl = (values: unknown[]) => values.map((value) => `${JSON.stringify(value)}\n`).join('');

/** The i-th of a run of distinct valid numbers: +12015550000, +12015550001, … */
export const number = (i: number) => `+1201555${String(i).padStart(4, '0')}`;

/** Writes a file, making its directory; an object is written as pretty JSON. */
/** Written 0600, as files holding a key should be: a wider mode adds a warning (test/config-safety.test.ts). */
export function write(path: string, content: string | object): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2), { mode: 0o600 });
  return path;
}

/** An input file of that name in a new temp directory. */
export function writeInput(name: string, content: string): string {
  return write(join(tempDir('phone-input-'), name), content);
}

// ---------------------------------------------------------------- the fake server's state

/** A new user with +12015550100. */
export function seedPhone(server: FakeClerk, options: { verified?: boolean; primary?: boolean; reservedForSecondFactor?: boolean } = {}) {
  const user = server.addUser();
  const phone = server.addPhoneNumber(user.id, '+12015550100', options);
  return { user, phone };
}

/** The phone number the server holds under that ID; failing the test if none. */
export function serverPhone(server: FakeClerk, id: unknown): PhoneNumberObject {
  const phone = server.phoneNumbers().find((p) => p.id === id);
  assert.ok(phone, `the server has phone number ${String(id)}`);
  return phone;
}

/** The `POST /v1/phone_numbers` requests the server saw. */
export function createRequests(server: FakeClerk): RecordedRequest[] {
  return server.requests.filter((r) => r.method === 'POST' && r.path === '/v1/phone_numbers');
}

// ---------------------------------------------------------------- outcomes

/** Exit 0; stdout and stderr shown when not. */
export function assertOk(result: CliResult, label = ''): void {
  assert.equal(result.code, 0, `${label}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
}

/** A usage error: exit 2, nothing on stdout, and not a single request to the server. */
export function assertUsageFailure(result: CliResult, label: string, server: FakeClerk): void {
  assert.equal(result.code, 2, `${label}: exit code\n${result.stderr}`);
  assert.equal(result.stdout, '', `${label}: stdout`);
  assert.equal(server.requests.length, 0, `${label}: no request`);
}

/** `fn` throws the usage CliError (exit 2), whose message mentions `mentions` if given. */
export function assertThrowsUsage(fn: () => unknown, mentions?: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof CliError, `a CliError, got ${String(error)}`);
    assert.equal(error.exitCode, ExitCode.usage);
    assert.equal(error.code, 'usage');
    if (typeof mentions === 'string') assert.ok(error.message.includes(mentions), `${error.message} mentions ${mentions}`);
    else if (mentions) assert.match(error.message, mentions);
    return true;
  });
}
