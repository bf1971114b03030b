import { after, before, beforeEach } from 'node:test';
import { startFakeClerk, type FakeClerk } from '../fake-clerk/server.ts';
import { runCli, type RunOptions } from './run-cli.ts';

/**
 * One fake Clerk server for a test file, reset before each test, and a `phone` runner whose
 * environment points at it with a valid key.
 */
export function useFakeClerk() {
  const fixture = {
    server: undefined as unknown as FakeClerk,
    get env() {
      return { CLERK_SECRET_KEY: fixture.server.secretKey, CLERK_API_URL: fixture.server.url };
    },
    phone(args: string[], options: RunOptions = {}) {
      return runCli(args, { ...options, env: { ...fixture.env, ...options.env } });
    },
  };
  before(async () => {
    fixture.server = await startFakeClerk();
  });
  beforeEach(() => fixture.server.reset());
  after(() => fixture.server.close());
  return fixture;
}
