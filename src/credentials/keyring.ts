import { AsyncEntry } from '@napi-rs/keyring';

/**
 * The operating system's credential store through @napi-rs/keyring: macOS Keychain, Windows
 * Credential Manager, and on Linux the Secret Service (gnome-keyring, KWallet, KeePassXC) over
 * D-Bus. The binding's Linux default falls back to the kernel keyutils keyring, which forgets keys
 * at logout and reboot: entries are pinned to the Secret Service, so that where there is none the
 * constructor throws and phone falls back to its config file instead. A native module, kept out of
 * the bundle and loaded (with this module) only by a command that reads or writes a stored key.
 */
export interface KeyringEntry {
  get(): Promise<string | null>;
  set(key: string): Promise<void>;
  /** Whether there was a key to delete. */
  delete(): Promise<boolean>;
}

export function keyringEntry(service: string, account: string): KeyringEntry {
  const entry = new AsyncEntry(service, account, { linux: { store: 'secret-service' } });
  return {
    get: () => entry.getPassword(),
    set: (key) => entry.setPassword(key),
    delete: () => entry.deleteCredential(),
  };
}
