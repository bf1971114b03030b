import { usageError } from './errors.js';

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Where a config file found from the working directory may send the key: Clerk itself, or a
 * test server on this machine. `url` is a normalized API URL.
 */
export function isTrustedByProjectFiles(url: string): boolean {
  const { origin, hostname } = new URL(url);
  return origin === 'https://api.clerk.com' || isLoopbackHost(hostname);
}

/**
 * Clerk's SDKs append `/v1` unless the URL already ends in it. Plain http is allowed only to
 * loopback: anywhere else the secret key would cross the network in clear text.
 */
export function normalizeApiUrl(raw: string, source: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // Not echoed: a key pasted into the wrong variable would end up on the screen.
    throw usageError(`invalid API URL from ${source}: expected https://host[/path]`);
  }
  // Shown without credentials, query or fragment, which may carry secrets.
  const shown = JSON.stringify(`${url.protocol}//${url.host}${url.pathname}`);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw usageError(`invalid API URL ${shown} from ${source}: only https:// is supported`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw usageError(
      `refusing plain http:// API URL ${shown} from ${source}: the secret key would travel in clear text; use https:// (http:// is allowed only for localhost)`,
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw usageError(`invalid API URL ${shown} from ${source}: no query, fragment or credentials allowed`);
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path.endsWith('/v1') ? path : `${path}/v1`}`;
}
