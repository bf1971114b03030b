import http from 'node:http';
import type https from 'node:https';
import { createRequire } from 'node:module';

/**
 * A fetch-shaped transport on node:http for ofetch. Node 20's global fetch costs about 110 ms
 * of start-up in a short process; this costs a few. It also knows whether a connection was
 * ever made, which decides whether a failed POST may be repeated.
 */

/** Connection failures where the request certainly never reached a server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

/**
 * The most of a response body that is read. Past it the connection is dropped: reading on would
 * let a server (or a proxy's error page) fill memory. JSON.parse costs up to ~40 bytes of heap per
 * byte (`[{},{},…]`): at 16 MiB one such answer took the CLI to 640 MB, at 1 MiB to 87 MB
 * (measured). Clerk's largest answer this CLI asks for (the few users holding a number) is tens
 * of kB.
 */
export const MAX_RESPONSE_BODY_BYTES = 1024 * 1024;

/** The server's certificate was refused: no request was sent, and trying again cannot help. */
const CERTIFICATE_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME_INVALID/;

export class TransportError extends Error {
  constructor(
    message: string,
    /** `timeout`, `body_too_large`, or the system error code (ECONNREFUSED, ECONNRESET, …). */
    readonly code: string,
    /** False only when the request certainly did not reach the server. */
    readonly sent: boolean,
    /** The status of the answer, when one came before the failure. */
    readonly status: number | null = null,
  ) {
    super(message);
    this.name = 'TransportError';
  }

  get certificateRefused(): boolean {
    return CERTIFICATE_CODES.test(this.code);
  }
}

type HeaderInit = Iterable<readonly [string, string]> | Record<string, string | undefined> | undefined;

/** The subset of WHATWG Headers that ofetch uses; the global one costs ~30 ms to load. */
export class TransportHeaders implements Iterable<[string, string]> {
  readonly #map = new Map<string, string>();

  constructor(init?: HeaderInit) {
    if (!init) return;
    const pairs = Symbol.iterator in init ? init : Object.entries(init);
    for (const [name, value] of pairs as Iterable<readonly [string, string | undefined]>) {
      if (value !== undefined) this.set(name, value);
    }
  }

  get(name: string): string | null {
    return this.#map.get(name.toLowerCase()) ?? null;
  }

  set(name: string, value: string): void {
    this.#map.set(name.toLowerCase(), String(value));
  }

  has(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.#map.entries();
  }
}

export interface TransportRequestInit {
  method?: string;
  headers?: TransportHeaders;
  body?: string;
  /**
   * Bound on the whole attempt, in ms. Kept here rather than in ofetch's `timeout`, which costs an
   * AbortController, a signal and its listeners per request: a tenth of a batch run's CPU.
   */
  attemptTimeoutMs?: number;
  /** The most of the body read: MAX_RESPONSE_BODY_BYTES unless the request names another bound (a page of users). */
  maxBodyBytes?: number;
}

export interface TransportResponse {
  status: number;
  statusText: string;
  ok: boolean;
  headers: TransportHeaders;
  /** ofetch only reads a body when this is truthy. */
  body: Buffer | null;
  text(): Promise<string>;
}

/** Keep-alive connections, one pool per protocol; node:https (TLS, crypto) is loaded only for https URLs. */
const requireBuiltin = createRequire(import.meta.url);
let httpAgent: http.Agent | undefined;
let httpsModule: typeof https | undefined;
let httpsAgent: https.Agent | undefined;

function clientFor(protocol: string): { request: typeof http.request; agent: http.Agent } {
  if (protocol === 'https:') {
    httpsModule ??= requireBuiltin('node:https') as typeof https;
    httpsAgent ??= new httpsModule.Agent({ keepAlive: true });
    return { request: httpsModule.request, agent: httpsAgent };
  }
  httpAgent ??= new http.Agent({ keepAlive: true });
  return { request: http.request, agent: httpAgent };
}

function responseHeaders(res: http.IncomingMessage): TransportHeaders {
  const headers = new TransportHeaders();
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

export function transportFetch(url: string, init: TransportRequestInit = {}): Promise<TransportResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const { request, agent } = clientFor(target.protocol);
    let connected = false;
    /** Why this side ended the attempt: what to report, rather than the reset that follows. */
    let stopped: TransportError | undefined;
    const stop = (error: TransportError) => {
      stopped ??= error;
      req.destroy(stopped);
    };

    const req = request(target, { method: init.method ?? 'GET', headers: Object.fromEntries(init.headers ?? []), agent }, (res) => {
      const status = res.statusCode ?? 0;
      const maxBytes = init.maxBodyBytes ?? MAX_RESPONSE_BODY_BYTES;
      const tooLarge = () => {
        // Dropping the connection is the only way to stop a server that keeps sending.
        stop(new TransportError(`a body larger than ${maxBytes / 1024 / 1024} MiB`, 'body_too_large', true, status));
      };
      res.on('error', (error) => reject(stopped ?? new TransportError(error.message, 'ECONNRESET', true)));
      if (Number(res.headers['content-length']) > maxBytes) return tooLarge();
      const chunks: Buffer[] = [];
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (stopped) return;
        if (received > maxBytes) return tooLarge();
        chunks.push(chunk);
      });
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status,
          statusText: res.statusMessage ?? '',
          ok: status >= 200 && status < 300,
          headers: responseHeaders(res),
          body: body.length > 0 ? body : null,
          text: async () => body.toString('utf8'),
        });
      });
    });

    req.on('socket', (socket) => {
      if (!socket.connecting) connected = true;
      else socket.once('connect', () => (connected = true));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (stopped) return reject(stopped);
      const code = error.code ?? 'ECONNRESET';
      reject(new TransportError(error.message, code, connected && !NOT_SENT_CODES.has(code) && !CERTIFICATE_CODES.test(code)));
    });

    if (init.attemptTimeoutMs) {
      const timer = setTimeout(() => stop(new TransportError('the request timed out', 'timeout', connected)), init.attemptTimeoutMs);
      req.once('close', () => clearTimeout(timer));
    }
    req.end(init.body);
  });
}
