import { CliError, ExitCode, type ClerkErrorEntry, type CliErrorDetails, type ExitCodeValue } from '../errors.js';
import { isJsonObject } from './received.js';
import { parseBoundedJson } from './bounded-json.js';
import type { AttemptOutcome } from './retry.js';

/** Any failure of an API call: an error answer, no answer, or an answer that is not what Clerk sends. */
export class ApiError extends CliError {
  /** The request may have taken effect although no success was seen. */
  readonly maybeApplied: boolean;

  constructor(message: string, exitCode: ExitCodeValue, code: string, details: CliErrorDetails & { maybeApplied?: boolean }) {
    super(message, exitCode, code, details);
    this.name = 'ApiError';
    this.maybeApplied = details.maybeApplied ?? false;
  }

  /** The same error with advice for the user. */
  withHint(hint: string): ApiError {
    return new ApiError(this.message, this.exitCode, this.code, { ...this.details, maybeApplied: this.maybeApplied, hint });
  }
}

/**
 * Clerk answers 403 for refusals of one request that have nothing to do with the key
 * (`unsupported_country_code`, `quota_exceeded`, `session_reverification_required`); only these
 * codes say the key itself may not act.
 */
function saysAuthorizationFailed(code: string): boolean {
  return code.startsWith('authorization_') || code.endsWith('_key_invalid');
}

function exitCodeFor(status: number, errors: ClerkErrorEntry[]): ExitCodeValue {
  if (status === 401) return ExitCode.auth;
  if (status === 403)
    return errors.some((e) => e.code !== undefined && saysAuthorizationFailed(e.code)) ? ExitCode.auth : ExitCode.apiRefused;
  if (status === 404) return ExitCode.notFound;
  if (status === 429 || status >= 500) return ExitCode.temporary;
  return ExitCode.apiRefused;
}

function ownCodeForStatus(status: number): string {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status >= 500) return 'server_error';
  return `http_${status}`;
}

const stringOrNone = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/**
 * One entry of `errors[]` with the types ClerkErrorEntry promises: a field of another type is left
 * out (a number as `code` is no code), unknown fields stay as sent.
 */
function entryOf(value: Record<string, unknown>): ClerkErrorEntry {
  const entry: ClerkErrorEntry = { ...value };
  for (const key of ['message', 'long_message', 'code'] as const) if (typeof entry[key] !== 'string') delete entry[key];
  if (!isJsonObject(entry.meta)) delete entry.meta;
  return entry;
}

/** What an error answer says, read as leniently as a server may write it: no shape is trusted. */
function readClerkErrorBody(text: string): { errors: ClerkErrorEntry[]; traceId: string | undefined; isClerkError: boolean } {
  let body: unknown;
  try {
    body = parseBoundedJson(text);
  } catch {
    // Not JSON (a proxy's HTML page, say), or too big to read: the status alone is reported.
  }
  if (!isJsonObject(body)) return { errors: [], traceId: undefined, isClerkError: false };
  const errors = Array.isArray(body.errors) ? body.errors.filter(isJsonObject).map(entryOf) : [];
  return { errors, traceId: stringOrNone(body.clerk_trace_id), isClerkError: Array.isArray(body.errors) };
}

export interface FailedResponse {
  status: number;
  statusText: string;
  text: string;
  /** The response's headers, for the trace id. */
  header: (name: string) => string | null;
  maybeApplied: boolean;
}

export function errorFromResponse(response: FailedResponse): ApiError {
  const { status, statusText } = response;
  const body = readClerkErrorBody(response.text);
  const first = body.errors[0];
  const message =
    stringOrNone(first?.long_message) ??
    stringOrNone(first?.message) ??
    `HTTP ${status}${statusText ? ` ${statusText}` : ''}${body.isClerkError ? '' : ' (the answer was not a Clerk JSON error)'}`;
  return new ApiError(message, exitCodeFor(status, body.errors), stringOrNone(first?.code) ?? ownCodeForStatus(status), {
    status,
    errors: body.errors,
    // Clerk's own SDK does the same: an error made by Cloudflare in front of Clerk has only a CF-Ray.
    traceId: body.traceId ?? stringOrNone(response.header('x-clerk-trace-id')) ?? stringOrNone(response.header('cf-ray')) ?? null,
    maybeApplied: response.maybeApplied,
  });
}

export function errorFromFailure(
  outcome: Exclude<AttemptOutcome, { kind: 'response' }>,
  detail: string,
  timeoutMs: number,
  maybeApplied: boolean,
): ApiError {
  if (outcome.kind === 'unreadable') {
    return new ApiError(`the API answered HTTP ${outcome.status} with ${detail}`, ExitCode.temporary, 'invalid_response', {
      status: outcome.status,
      maybeApplied,
    });
  }
  if (outcome.kind === 'timeout') {
    return new ApiError(`no answer within ${timeoutMs} ms (--timeout)`, ExitCode.temporary, 'timeout', { maybeApplied });
  }
  const hint = outcome.permanent
    ? "the server's TLS certificate is not trusted: check the API URL, or add its CA with NODE_EXTRA_CA_CERTS=<file.pem>"
    : undefined;
  return new ApiError(`network error: ${detail}`, ExitCode.temporary, 'network', { maybeApplied, hint });
}

/** A success answer that is not what Clerk sends. A POST or PUT it answers did take effect. */
export function invalidResponseError(status: number, reason: string, maybeApplied = false): ApiError {
  return new ApiError(`the API answered HTTP ${status} with ${reason}`, ExitCode.apiRefused, 'invalid_response', { status, maybeApplied });
}
