// The HTTP side of the fake: recording, faults, auth, rate limiting, and
// turning RouteResults / ClerkApiErrors into Clerk-shaped responses.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ClerkApiError, clerkErrors, defaultErrorFor, errorBody, newTraceId } from './errors.ts';
import { instanceRoute } from './instance.ts';
import { route, type RouteResult } from './routes.ts';
import { FakeState, type FakeUser, type PhoneNumberObject } from './state.ts';

export type { FakeUser, PhoneNumberObject, VerificationObject } from './state.ts';

export const DEFAULT_SECRET_KEY = 'sk_test_fakeclerk0000000000000000000000000000abcd';

export interface RecordedRequest {
  method: string;
  /** Pathname including /v1, without the query string. */
  path: string;
  /** Raw request target (path + query string), for asserting on repeated query params. */
  url: string;
  /** Last value wins for repeated params; see `url` for all of them. */
  query: Record<string, string>;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  body: unknown;
  rawBody: string;
  at: number;
  /** For `huge` and `stall` faults: the body bytes handed to the socket before the client left or the body ended. */
  bodyBytesSent?: number;
}

/**
 * What the server does instead of answering. `status` with a `body` that is a string sends it as
 * it is (HTML, `""`, `"null"`…); any other body is sent as JSON, `null` included. A rule with
 * `times: Infinity` makes a server that never answers otherwise (say, only 429s).
 */
export type Fault =
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /**
   * A body of `bytes` bytes (`prefix`, then `chunk` repeated, then `suffix`), streamed with backpressure so the
   * fake never holds it: 300 MB costs the test process nothing. `declareLength` sends a
   * Content-Length; otherwise the body is chunked.
   */
  | {
      kind: 'huge';
      status: number;
      bytes: number;
      prefix?: string;
      chunk?: string;
      suffix?: string;
      contentType?: string;
      declareLength?: boolean;
      headers?: Record<string, string>;
      /** The request takes effect first (a create creates), and this body is sent instead of its answer. */
      commit?: boolean;
    }
  /** Headers and the first `bytes` bytes of a body, then nothing until the client gives up. */
  | { kind: 'stall'; status: number; bytes?: number }
  | { kind: 'drop' }
  | { kind: 'drop-after-commit' }
  | { kind: 'error-after-commit'; status: number }
  | { kind: 'delay'; ms: number };

export interface FaultRule {
  method?: string;
  path?: string | RegExp;
  /** Only requests this accepts (say, a POST of one phone number among many). */
  when?: (request: RecordedRequest) => boolean;
  times?: number;
  fault: Fault;
}

export interface RateLimit {
  requests: number;
  perMs: number;
  retryAfterSeconds?: number;
  /**
   * `sliding` (the default): at most `requests` admitted in any `perMs`. `fixed`: at most
   * `requests` in each window of `perMs`, the windows laid end to end from the first request on;
   * Retry-After says the seconds until the window ends, at least 1 (as Clerk's whole seconds).
   */
  window?: 'sliding' | 'fixed';
}

export interface FakeClerk {
  url: string;
  port: number;
  secretKey: string;
  /** Same array for the server's lifetime (reset() empties it in place). */
  requests: RecordedRequest[];
  addUser(opts?: { id?: string; firstName?: string }): FakeUser;
  addPhoneNumber(
    userId: string,
    phoneNumber: string,
    opts?: { verified?: boolean; primary?: boolean; reservedForSecondFactor?: boolean },
  ): PhoneNumberObject;
  phoneNumbers(): PhoneNumberObject[];
  user(id: string): FakeUser | undefined;
  users(): FakeUser[];
  fault(rule: FaultRule): void;
  rateLimit(opts: RateLimit | null): void;
  /**
   * Runs `hook` as each request arrives, before it is answered, with the request and how many
   * the server has seen (this one included): a test adds users while a walk is under way. null removes it.
   */
  onRequest(hook: ((request: RecordedRequest, seen: number) => void) | null): void;
  /** Every answer waits this long after the request was handled (a network's round trip); 0 turns it off. */
  latency(ms: number): void;
  reset(): void;
  close(): Promise<void>;
}

export interface StartOptions {
  port?: number;
  host?: string;
  secretKey?: string;
  /** Lifetime of prepare_verification codes; shorten it to test the `expired` status. */
  verificationTtlMs?: number;
  /** Serve HTTPS with this key and certificate instead of plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** The host name the URL names (the certificate's), when it is not the listening address. */
  tlsHostname?: string;
}

class RateLimited extends Error {
  constructor(readonly seconds: number) {
    super('rate limited');
  }
}

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

const jsonReply = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

function errorReply(status: number, item = defaultErrorFor(status), headers: Record<string, string> = {}): Reply {
  const traceId = newTraceId();
  return jsonReply(status, errorBody(item, traceId), { 'x-clerk-trace-id': traceId, ...headers });
}

function lowerKeys(h: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
}

function statusFaultReply(f: Extract<Fault, { kind: 'status' }>): Reply {
  const headers = lowerKeys(f.headers);
  if (f.body === undefined) return errorReply(f.status, undefined, headers);
  if (typeof f.body === 'string') {
    return { status: f.status, body: f.body, headers: { 'content-type': 'text/html', ...headers } };
  }
  return jsonReply(f.status, f.body, headers);
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(Buffer.byteLength(reply.body)) });
  res.end(reply.body);
}

/** Resolves once the socket can take more, or the client is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

async function streamHuge(res: ServerResponse, fault: Extract<Fault, { kind: 'huge' }>, rec: RecordedRequest): Promise<void> {
  const headers: Record<string, string> = { 'content-type': fault.contentType ?? 'text/html', ...lowerKeys(fault.headers) };
  if (fault.declareLength) headers['content-length'] = String(fault.bytes);
  res.writeHead(fault.status, headers);
  const prefix = Buffer.from(fault.prefix ?? '');
  const suffix = Buffer.from(fault.suffix ?? '');
  const filler = fault.chunk ?? '<p>filler</p>';
  const chunk = Buffer.from(filler.repeat(Math.ceil(65_536 / filler.length)));
  const fillerEnd = fault.bytes - suffix.length;
  let sent = 0;
  for (let piece = prefix.subarray(0, fillerEnd); sent < fillerEnd && !res.destroyed; piece = chunk.subarray(0, fillerEnd - sent)) {
    sent += piece.length;
    rec.bodyBytesSent = sent;
    if (!res.write(piece)) await drained(res);
  }
  if (res.destroyed) return;
  rec.bodyBytesSent = sent + suffix.length;
  res.end(suffix);
}

async function stall(res: ServerResponse, fault: Extract<Fault, { kind: 'stall' }>, rec: RecordedRequest): Promise<void> {
  res.writeHead(fault.status, { 'content-type': 'application/json' });
  rec.bodyBytesSent = fault.bytes ?? 0;
  res.write('{"id":"'.padEnd(fault.bytes ?? 0, 'x').slice(0, fault.bytes ?? 0));
  await waitUnlessGone(2 ** 31 - 1, res);
}

function drop(req: IncomingMessage): void {
  req.socket.destroy();
}

function flattenHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Resolves true once `ms` passed, or false as soon as the client hangs up (or close() kills the socket). */
function waitUnlessGone(ms: number, res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!res.destroyed);
    }, ms);
    res.once('close', onClose);
  });
}

export async function startFakeClerk(opts: StartOptions = {}): Promise<FakeClerk> {
  const host = opts.host ?? '127.0.0.1';
  const secretKey = opts.secretKey ?? DEFAULT_SECRET_KEY;
  const state = new FakeState(opts.verificationTtlMs ?? 10 * 60 * 1000);
  const requests: RecordedRequest[] = [];
  let rules: { rule: FaultRule; left: number }[] = [];
  let limit: RateLimit | null = null;
  let hits: number[] = [];
  let windowStart: number | undefined;
  let latencyMs = 0;
  let requestHook: ((request: RecordedRequest, seen: number) => void) | null = null;

  function takeFault(rec: RecordedRequest): Fault | undefined {
    const { method, path } = rec;
    const entry = rules.find(({ rule, left }) => {
      if (left <= 0) return false;
      if (rule.method && rule.method.toUpperCase() !== method) return false;
      if (rule.when && !rule.when(rec)) return false;
      if (rule.path === undefined) return true;
      if (typeof rule.path === 'string') return rule.path === path;
      rule.path.lastIndex = 0; // a /g or /y regex would otherwise match only every other time
      return rule.path.test(path);
    });
    if (!entry) return undefined;
    entry.left -= 1;
    rules = rules.filter((r) => r.left > 0);
    return entry.rule.fault;
  }

  function checkAuth(authorization: string | undefined): void {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (m && m[1] === secretKey) return;
    if (m && m[1].startsWith('sk_test_forbidden')) throw clerkErrors.authorizationInvalid();
    throw clerkErrors.authenticationInvalid();
  }

  // Sliding log of admitted requests; rejected ones do not count, so a client
  // honouring Retry-After gets through.
  function checkRateLimit(): void {
    if (!limit) return;
    const now = Date.now();
    if (limit.window === 'fixed') return checkFixedWindow(limit, now);
    hits = hits.filter((t) => t > now - limit!.perMs);
    if (hits.length >= limit.requests) {
      const seconds = limit.retryAfterSeconds ?? Math.max(1, Math.ceil((hits[0] + limit.perMs - now) / 1000));
      throw new RateLimited(seconds);
    }
    hits.push(now);
  }

  // Admitted requests of the current window only: `hits` holds them, emptied when a window ends.
  function checkFixedWindow(fixed: RateLimit, now: number): void {
    windowStart ??= now;
    const elapsedWindows = Math.floor((now - windowStart) / fixed.perMs);
    if (elapsedWindows > 0) {
      windowStart += elapsedWindows * fixed.perMs;
      hits = [];
    }
    if (hits.length >= fixed.requests) {
      throw new RateLimited(fixed.retryAfterSeconds ?? Math.max(1, Math.ceil((windowStart + fixed.perMs - now) / 1000)));
    }
    hits.push(now);
  }

  function respond(rec: RecordedRequest, bodyIsJson: boolean): Reply {
    try {
      checkAuth(rec.headers.authorization);
      checkRateLimit();
      if (!bodyIsJson) throw clerkErrors.bodyInvalid();
      const result: RouteResult =
        instanceRoute(rec.method, rec.path, secretKey) ??
        route(state, rec.method, rec.path, new URL(rec.url, 'http://x').searchParams, rec.body);
      return jsonReply(result.status, result.body);
    } catch (err) {
      if (err instanceof RateLimited) {
        return errorReply(429, clerkErrors.tooManyRequests().item, { 'retry-after': String(err.seconds) });
      }
      if (err instanceof ClerkApiError) return errorReply(err.status, err.item);
      throw err;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      return; // client aborted mid-body: nothing to answer
    }
    const rawBody = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    let bodyIsJson = true;
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody);
      } catch {
        bodyIsJson = false;
      }
    }
    const target = req.url ?? '/';
    const parsed = new URL(target, 'http://x');
    const rec: RecordedRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path: parsed.pathname,
      url: target,
      query: Object.fromEntries(parsed.searchParams),
      headers: flattenHeaders(req),
      body,
      rawBody,
      at: Date.now(),
    };
    requests.push(rec);
    requestHook?.(rec, requests.length);

    const fault = takeFault(rec);
    const answer = async (reply: Reply) => {
      if (latencyMs > 0 && !(await waitUnlessGone(latencyMs, res))) return;
      send(res, reply);
    };
    if (fault?.kind === 'status') return answer(statusFaultReply(fault));
    if (fault?.kind === 'drop') return drop(req);
    if (fault?.kind === 'huge') {
      if (fault.commit) respond(rec, bodyIsJson);
      return streamHuge(res, fault, rec);
    }
    if (fault?.kind === 'stall') return stall(res, fault, rec);
    if (fault?.kind === 'delay' && !(await waitUnlessGone(fault.ms, res))) return;

    const reply = respond(rec, bodyIsJson);
    if (fault?.kind === 'drop-after-commit') return drop(req);
    if (fault?.kind === 'error-after-commit') return answer(errorReply(fault.status));
    return answer(reply);
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((err: unknown) => {
      console.error('fake-clerk: handler crashed', err);
      send(res, errorReply(500));
    });
  };
  const server = opts.tls ? createHttpsServer(opts.tls, onRequest) : createServer(onRequest);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;

  return {
    url: `${opts.tls ? 'https' : 'http'}://${opts.tlsHostname ?? (host.includes(':') ? `[${host}]` : host)}:${port}`,
    port,
    secretKey,
    requests,
    addUser: (o) => state.addUser(o),
    addPhoneNumber: (userId, phoneNumber, o) => state.seedPhone(userId, phoneNumber, o),
    phoneNumbers: () => state.allPhoneNumbers(),
    user: (id) => state.userObject(id),
    users: () => state.allUsers(),
    fault(rule) {
      const times = rule.times ?? 1;
      if (!(times >= 0)) throw new Error('fake-clerk: fault times must be >= 0');
      rules.push({ rule, left: times });
    },
    rateLimit(o) {
      limit = o ? { ...o } : null;
      hits = [];
      windowStart = undefined;
    },
    onRequest(hook) {
      requestHook = hook;
    },
    latency(ms) {
      if (!(ms >= 0)) throw new Error('fake-clerk: latency must be >= 0');
      latencyMs = ms;
    },
    reset() {
      state.reset();
      requests.length = 0;
      rules = [];
      limit = null;
      hits = [];
      windowStart = undefined;
      latencyMs = 0;
      requestHook = null;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets (and requests parked in a delay fault) would hold the process open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
