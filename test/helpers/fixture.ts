import { after, before, beforeEach } from 'node:test';
import { startFakeClerk, type FakeClerk } from '../fake-clerk/server.ts';
import { runInProcess, type InProcessOptions } from './in-process.ts';
import { runCli, type RunOptions } from './run-cli.ts';

/**
 * One fake Clerk server for a test file, reset before each test, and two `phone` runners whose
 * environment points at it with a valid key: `phone` spawns the built CLI, `inProcess` calls
 * `main()` in this process (same options and result, plus fake terminals).
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
    inProcess(args: string[], options: InProcessOptions = {}) {
      return runInProcess(args, { ...options, env: { ...fixture.env, ...options.env } });
    },
  };
  before(async () => {
    fixture.server = await startFakeClerk();
  });
  beforeEach(() => fixture.server.reset());
  after(() => fixture.server.close());
  return fixture;
}
