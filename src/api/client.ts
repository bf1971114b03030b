import { createFetch, FetchError, type FetchOptions } from 'ofetch';
import { ExitCode } from '../errors.js';
import { redactKey } from '../redact.js';
import { PacerStopped, PacerTimeout, type Pacer } from './pacer.js';
import { DryRunStop, type RequestPreview } from './dry-run.js';
import { isJsonObject } from './received.js';
import { parseBoundedJson, TooManyContainers } from './bounded-json.js';
import { abortableSleep } from './abortable-sleep.js';
import { ApiError, errorFromFailure, errorFromResponse, invalidResponseError } from './api-error.js';
import { isRetryable, mayHaveApplied, MAX_TOTAL_WAIT_MS, retryDelayMs, type AttemptOutcome, type HttpMethod } from './retry.js';
import { TransportError, TransportHeaders, transportFetch, type TransportRequestInit, type TransportResponse } from './transport.js';

/** The API version this client is written against, pinned as Clerk's own SDKs pin one. */
export const CLERK_API_VERSION = '2026-05-12';

export interface ClientOptions {
  /** Base URL including `/v1`. */
  baseUrl: string;
  secretKey: string;
  /** Retries after the first attempt; 0 turns retrying off. */
  retries: number;
  /** Bound on each attempt; every retry gets a fresh one. */
  timeoutMs: number;
  userAgent: string;
  debug?: (line: string) => void;
  /**
   * Shared by the requests of a batch run: every attempt leaves at its pace, and a 429 slows it
   * and pauses them all instead of using up retries.
   */
  pacer?: Pacer;
  /** Told how long each attempt that got an answer took, for the in-flight limit. */
  onLatency?: (ms: number) => void;
  /** Requests that change data are not sent: a DryRunStop carrying the request is thrown instead. */
  dryRun?: boolean;
  /**
   * Ctrl-C in a batch run: when it aborts, a wait (a backoff) ends at once and no new
   * attempt is sent; the request throws an `interrupted` ApiError. An attempt on its way is not cut.
   */
  signal?: AbortSignal;
  /** Ends early, without an error, when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

export interface ApiRequest {
  method: HttpMethod;
  /** Path below the base URL, segments already encoded. */
  path: string;
  /** A list repeats the parameter (`phone_number=…&phone_number=…`). */
  query?: Record<string, string | readonly string[]>;
  body?: Record<string, unknown>;
  /** What a success answer must be: one object (the default), or a list of objects. */
  answer?: 'object' | 'list';
  /**
   * Bounds on the answer larger than the defaults (MAX_RESPONSE_BODY_BYTES, MAX_JSON_CONTAINERS)
   * but still fixed: a page of 500 users is larger than any single object.
   */
  bounds?: { bodyBytes: number; containers: number };
}

type AttemptResult = { outcome: AttemptOutcome; response?: TransportResponse; text?: string; detail: string };

const $fetch = createFetch({
  fetch: transportFetch as unknown as typeof fetch,
  Headers: TransportHeaders as unknown as typeof Headers,
  AbortController,
});

export class ClerkClient {
  readonly #options: ClientOptions;
  /** Waited so far by all requests of this client (one command). */
  #waitedMs = 0;

  constructor(options: ClientOptions) {
    this.#options = options;
  }

  /**
   * One API call with the retry policy applied: resolves with the parsed JSON body or throws
   * ApiError, whose `maybeApplied` says whether any attempt may have taken effect.
   */
  async request<T>(request: ApiRequest): Promise<T> {
    const { retries, debug, pacer, onLatency, signal } = this.#options;
    const sleep = this.#options.sleep ?? abortableSleep;
    const now = this.#options.now ?? Date.now;
    let retriesUsed = 0;
    /** In a batch run: all this row has waited, its own pauses and the pacer's after a failure alike. */
    let rowWaitedMs = 0;
    let earlierAttemptMayHaveApplied = false;
    /** The failure of the last attempt, when another follows: what the row fails with if that one never leaves. */
    let previous: ApiError | undefined;
    if (this.#options.dryRun && request.method !== 'GET') throw new DryRunStop(this.#preview(request));

    for (let attempt = 0; ; attempt++) {
      let ticket = 0;
      if (pacer) {
        const queuedAt = now();
        try {
          // A retry waits its turn within what is left of the row's budget: pauses for other rows' 429s count.
          ticket = await pacer.acquire(previous ? MAX_TOTAL_WAIT_MS - rowWaitedMs : Infinity);
        } catch (error) {
          // Stopped while waiting its turn: not sent (again), and what an earlier attempt may have done stays said.
          if (error instanceof PacerStopped) throw interruptedError(attempt, earlierAttemptMayHaveApplied);
          if (error instanceof PacerTimeout && previous) {
            throw previous.withHint(`not retried: its turn did not come within the ${MAX_TOTAL_WAIT_MS / 1000} s this row waits in all`);
          }
          throw error;
        }
        // The first attempt's turn in the queue is pacing; a retry's wait is part of the row's waits.
        if (attempt > 0) rowWaitedMs += now() - queuedAt;
      }
      if (signal?.aborted) throw interruptedError(attempt, earlierAttemptMayHaveApplied);
      const sentAt = performance.now();
      const result = await this.#attempt(request, attempt);
      const { outcome } = result;
      const rateLimited = outcome.kind === 'response' && outcome.status === 429;
      if (outcome.kind === 'response') {
        onLatency?.(performance.now() - sentAt);
        if (!rateLimited) pacer?.onSuccess();
      }
      if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
        return parseAnswer<T>(request, outcome.status, result.text ?? '');
      }
      const maybeApplied: boolean = earlierAttemptMayHaveApplied || mayHaveApplied(outcome);
      const error = toApiError(result, this.#options.timeoutMs, maybeApplied);

      if (!isRetryable(request.method, outcome)) throw error;
      // With a pacer (batch runs), waiting out a 429 is pacing, not a failed attempt.
      const countsAsRetry = !(pacer && rateLimited);
      if (countsAsRetry && retriesUsed >= retries) {
        throw retries > 0 ? error.withHint(`gave up after ${attempt + 1} attempts (--retries ${retries})`) : error;
      }
      // Every failed attempt widens the backoff window, the 429s a pacer does not count as retries too.
      const delay = retryDelayMs(outcome, attempt, now());
      // The waits of a command add up over all its requests (a lookup and then a delete); in a batch
      // run (a pacer) over the requests of one row.
      const waitedMs = pacer ? rowWaitedMs : this.#waitedMs;
      if (waitedMs + delay > MAX_TOTAL_WAIT_MS) {
        throw error.withHint(
          `not retried: the next wait (${Math.ceil(delay / 1000)} s) would pass the ${MAX_TOTAL_WAIT_MS / 1000} s this command waits in all; try again in ${Math.ceil(delay / 1000)} s`,
        );
      }
      if (countsAsRetry) retriesUsed++;
      earlierAttemptMayHaveApplied = maybeApplied;
      previous = error;
      debug?.(`retry of ${request.method} ${request.path} in ${delay} ms (${describe(outcome)}; retry ${retriesUsed}/${retries})`);
      if (pacer && rateLimited) {
        pacer.onRateLimited(ticket, delay); // waited out, and counted, in acquire() before the next attempt
      } else {
        if (pacer) rowWaitedMs += delay;
        else this.#waitedMs += delay;
        await sleep(delay, signal);
      }
    }
  }

  /** The full URL, as --debug and --dry-run show it (ofetch builds its own from the same parts). */
  #urlOf(request: ApiRequest): string {
    if (!request.query) return `${this.#options.baseUrl}${request.path}`;
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(request.query)) for (const one of [value].flat()) params.append(name, one);
    return `${this.#options.baseUrl}${request.path}?${params}`;
  }

  #preview(request: ApiRequest): RequestPreview {
    const { secretKey, userAgent } = this.#options;
    return {
      method: request.method,
      url: this.#urlOf(request),
      headers: {
        authorization: `Bearer ${redactKey(secretKey)}`,
        'clerk-api-version': CLERK_API_VERSION,
        'user-agent': userAgent,
        ...(request.body ? { 'content-type': 'application/json' } : {}),
      },
      ...(request.body ? { body: request.body } : {}),
    };
  }

  async #attempt(request: ApiRequest, attempt: number): Promise<AttemptResult> {
    const { baseUrl, secretKey, timeoutMs, userAgent, debug } = this.#options;
    const started = performance.now();
    debug?.(`→ ${request.method} ${this.#urlOf(request)}${attempt ? ` (attempt ${attempt + 1})` : ''}`);
    debug?.(`  authorization: Bearer ${redactKey(secretKey)}; clerk-api-version: ${CLERK_API_VERSION}`);
    if (request.body) debug?.(`  body: ${JSON.stringify(request.body)}`);
    try {
      // ofetch hands its options to the transport as they are: attemptTimeoutMs is for it.
      const options: FetchOptions<'text'> & Pick<TransportRequestInit, 'attemptTimeoutMs' | 'maxBodyBytes'> = {
        baseURL: baseUrl,
        method: request.method,
        query: request.query,
        // Serialized here: ofetch's own check of an object body touches the global FormData,
        // which loads Node's fetch implementation (5 ms).
        body: request.body ? JSON.stringify(request.body) : undefined,
        headers: {
          authorization: `Bearer ${secretKey}`,
          'user-agent': userAgent,
          'clerk-api-version': CLERK_API_VERSION,
          accept: 'application/json',
          ...(request.body ? { 'content-type': 'application/json' } : {}),
        },
        attemptTimeoutMs: timeoutMs,
        maxBodyBytes: request.bounds?.bodyBytes,
        retry: false,
        ignoreResponseError: true,
        responseType: 'text',
      };
      const response = (await $fetch.raw(request.path, options)) as unknown as TransportResponse & { _data?: string };
      const retryAfter = response.headers.get('retry-after');
      debug?.(
        `← ${response.status} ${response.statusText} in ${Math.round(performance.now() - started)} ms${retryAfter ? ` (Retry-After: ${retryAfter})` : ''}`,
      );
      return {
        outcome: { kind: 'response', status: response.status, retryAfter },
        response,
        text: response._data ?? '',
        detail: `HTTP ${response.status}`,
      };
    } catch (error) {
      const cause = error instanceof FetchError ? error.cause : error;
      if (!(cause instanceof TransportError)) throw cause;
      const outcome: AttemptOutcome =
        cause.code === 'timeout'
          ? { kind: 'timeout', sent: cause.sent }
          : cause.status !== null
            ? { kind: 'unreadable', status: cause.status }
            : { kind: 'network', sent: cause.sent, permanent: cause.certificateRefused };
      debug?.(
        `✗ ${cause.code === 'timeout' ? `timeout after ${timeoutMs} ms` : `${cause.code}: ${cause.message}`}${cause.sent ? '' : ' (request not sent)'}`,
      );
      return { outcome, detail: outcome.kind === 'unreadable' ? cause.message : `${cause.code}: ${cause.message}` };
    }
  }
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/**
 * A success answer as the caller may use it: JSON of the expected shape, else invalid_response (a
 * `null` where an object belongs would crash the table or print as a result). A POST, PATCH, PUT
 * or DELETE that was answered 2xx did take effect, whatever the body.
 */
function parseAnswer<T>(request: ApiRequest, status: number, text: string): T {
  const maybeApplied = request.method !== 'GET';
  let answer: unknown;
  try {
    answer = parseBoundedJson(text, request.bounds?.containers);
  } catch (error) {
    if (error instanceof TooManyContainers) throw invalidResponseError(status, error.message, maybeApplied);
    throw invalidResponseError(status, text ? 'a body that is not JSON' : 'an empty body', maybeApplied);
  }
  if ((request.answer ?? 'object') === 'object') {
    if (!isJsonObject(answer)) throw invalidResponseError(status, `${describeJson(answer)} where an object belongs`, maybeApplied);
  } else if (!Array.isArray(answer) || !answer.every(isJsonObject)) {
    throw invalidResponseError(
      status,
      Array.isArray(answer) ? 'a list holding something other than objects' : `${describeJson(answer)} where a list belongs`,
      maybeApplied,
    );
  }
  return answer as T;
}

function toApiError(result: AttemptResult, timeoutMs: number, maybeApplied: boolean): ApiError {
  const { outcome, response } = result;
  if (outcome.kind === 'response') {
    return errorFromResponse({
      status: outcome.status,
      statusText: response?.statusText ?? '',
      text: result.text ?? '',
      header: (name) => response?.headers.get(name) ?? null,
      maybeApplied,
    });
  }
  return errorFromFailure(outcome, result.detail, timeoutMs, maybeApplied);
}

/** A request given up on Ctrl-C before its next attempt; an earlier attempt may still have taken effect. */
function interruptedError(attempt: number, maybeApplied: boolean): ApiError {
  const when = attempt === 0 ? 'interrupted before the request was sent' : 'interrupted before the request was sent again';
  return new ApiError(maybeApplied ? `${when} (an earlier attempt may have taken effect)` : when, ExitCode.interrupted, 'interrupted', {
    maybeApplied,
  });
}

function describe(outcome: AttemptOutcome): string {
  if (outcome.kind === 'response') return `HTTP ${outcome.status}`;
  if (outcome.kind === 'unreadable') return `HTTP ${outcome.status} too large to read`;
  return outcome.kind === 'timeout' ? 'timeout' : 'network error';
}
