import { usageError } from '../errors.js';
import { escapeForTerminal } from '../output/terminal-text.js';
import type { KeyringEntry } from './keyring.js';

/** The service name every stored key is filed under; the account is `default` or `profiles.<name>`. */
const SERVICE = 'phone';

/** Where a key of the default (no profile) or a named profile is filed, as the config file names the place. */
function accountFor(profile: string | undefined): string {
  return profile === undefined ? 'default' : `profiles.${profile}`;
}

/** The source shown by `phone config` and `phone auth status`: `credential store (phone/default)`. */
export function storeSource(profile: string | undefined): string {
  return `credential store (${SERVICE}/${accountFor(profile)})`;
}

/** One key's place in the credential store, or why there is none on this machine. */
export type StoreEntry = { entry: KeyringEntry; source: string; unavailable?: undefined } | { entry?: undefined; unavailable: string };

/**
 * PHONE_CREDENTIAL_STORE=file keeps phone away from the OS credential store (login writes the
 * user config file, nothing reads the store); unset or `auto` uses it where there is one.
 */
export function credentialStoreWanted(env: NodeJS.ProcessEnv): boolean {
  const value = (env.PHONE_CREDENTIAL_STORE ?? '').trim().toLowerCase();
  if (value === 'file') return false;
  if (value === '' || value === 'auto') return true;
  throw usageError(`PHONE_CREDENTIAL_STORE must be "auto" or "file", got ${JSON.stringify(value.slice(0, 20))}`);
}

/** A credential store's (or its loader's) error as one short line safe to show: its text can be anything. */
export function storeErrorText(error: unknown): string {
  const text = escapeForTerminal(String((error as Error)?.message ?? error).split('\n')[0]!);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/**
 * The entry of a profile's key (the default key without one). The native module is loaded here
 * and nowhere else; a machine without a prebuilt binary, or a Linux session without a Secret
 * Service on D-Bus, has no store and says why.
 */
export async function openStoreEntry(env: NodeJS.ProcessEnv, profile: string | undefined): Promise<StoreEntry> {
  if (!credentialStoreWanted(env)) return { unavailable: 'not used: PHONE_CREDENTIAL_STORE=file' };
  // The Secret Service is reached over the D-Bus session bus; without one, the native module is not even loaded.
  if (process.platform === 'linux' && !env.DBUS_SESSION_BUS_ADDRESS) {
    return { unavailable: 'no D-Bus session (DBUS_SESSION_BUS_ADDRESS is not set), so no Secret Service' };
  }
  let keyring: typeof import('./keyring.js');
  try {
    keyring = await import('./keyring.js');
  } catch (error) {
    return { unavailable: `@napi-rs/keyring cannot be loaded on this system: ${storeErrorText(error)}` };
  }
  try {
    return { entry: keyring.keyringEntry(SERVICE, accountFor(profile)), source: storeSource(profile) };
  } catch (error) {
    const linux = process.platform === 'linux' ? 'no Secret Service (e.g. gnome-keyring) on the D-Bus session: ' : '';
    return { unavailable: `${linux}${storeErrorText(error)}` };
  }
}

/** A stored key, or undefined when there is none, or no store (`unavailable` then says why). */
export async function readStoredKey(
  env: NodeJS.ProcessEnv,
  profile: string | undefined,
): Promise<{ key?: string; source: string; unavailable?: string }> {
  const opened = await openStoreEntry(env, profile);
  if (!opened.entry) return { source: storeSource(profile), unavailable: opened.unavailable };
  try {
    const key = (await opened.entry.get())?.trim();
    return { key: key || undefined, source: opened.source };
  } catch (error) {
    return { source: opened.source, unavailable: `cannot read it: ${storeErrorText(error)}` };
  }
}
