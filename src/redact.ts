/** `sk_test_abcdef…wxyz` → `sk_test_…wxyz`: enough to tell keys apart, never enough to use one. */
export function redactKey(key: string): string {
  const prefix = /^(sk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  const tail = key.length - prefix.length >= 12 ? key.slice(-4) : '';
  return `${prefix}…${tail}`;
}

/** Replaces every occurrence of the key in text that is about to be shown. */
export function redactIn(text: string, key: string | undefined): string {
  if (!key) return text;
  return text.split(key).join(redactKey(key));
}

/** A key of a production instance; Clerk's development keys start with sk_test_. */
export function isLiveKey(key: string): boolean {
  return key.startsWith('sk_live_');
}
