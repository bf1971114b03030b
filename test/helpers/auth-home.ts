import { join } from 'node:path';
import type { useFakeClerk } from './fixture.ts';
import { tempDir, type RunOptions } from './run-cli.ts';

/** A fresh HOME whose user config folder is `dir`; the credential store is kept out (PHONE_CREDENTIAL_STORE=file). */
export function authHome(prefix = 'phone-auth-home-') {
  const path = tempDir(prefix);
  const dir = join(path, '.config', 'phone');
  return { path, dir, env: { HOME: path, XDG_CONFIG_HOME: join(path, '.config'), PHONE_CREDENTIAL_STORE: 'file' } };
}

/** `phone` against the fixture's server with no key or URL from the environment, unless the test gives them. */
export function phoneWithoutEnvKey(clerk: ReturnType<typeof useFakeClerk>) {
  return (args: string[], options: RunOptions = {}) =>
    clerk.phone(args, { ...options, env: { CLERK_SECRET_KEY: undefined, CLERK_API_URL: undefined, ...options.env } });
}
