/** `sk_test_abcdef…wxyz` → `sk_test_…wxyz`: enough to tell keys apart, never enough to use one. */
export function redactKey(key: string): string {
  const prefix = /^(sk|pk)_(test|live)_/.exec(key)?.[0] ?? '';
  const tail = key.length - prefix.length >= 12 ? key.slice(-4) : '';
  return `${prefix}…${tail}`;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Replaces every occurrence of each key in text that is about to be shown: as it is, and as
 * JSON writes it once or twice (a key with `"` or `\` in it), in any letter case (a URL's host
 * is lowercased).
 */
export function redactIn(text: string, keys: string | undefined | readonly (string | undefined)[]): string {
  for (const key of typeof keys === 'string' || keys === undefined ? [keys] : keys) {
    if (!key) continue;
    const once = JSON.stringify(key).slice(1, -1);
    const twice = JSON.stringify(once).slice(1, -1);
    const forms = [...new Set([twice, once, key])].map(escapeRegExp);
    const shown = redactKey(key);
    text = text.replace(new RegExp(forms.join('|'), 'gi'), () => shown);
  }
  return text;
}

/** Anything shaped like a Clerk secret key, for text that may hold a key phone was never told about. */
export function redactKeyShapes(text: string): string {
  return text.replace(/sk_(?:test|live)_[A-Za-z0-9_-]+/gi, (key) => redactKey(key));
}

/** A key of a production instance; Clerk's development keys start with sk_test_. */
export function isLiveKey(key: string): boolean {
  return key.startsWith('sk_live_');
}

/** A Clerk secret key's kind by its prefix: `live` (production), `test` (development), or `unknown` (not shaped like one). */
export function keyKind(key: string): 'live' | 'test' | 'unknown' {
  return isLiveKey(key) ? 'live' : key.startsWith('sk_test_') ? 'test' : 'unknown';
}
