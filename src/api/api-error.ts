import { CliError, ExitCode, type ClerkErrorEntry, type CliErrorDetails, type ExitCodeValue } from '../errors.js';
import type { AttemptOutcome } from './retry.js';

/** Any failure of an API call: an error answer, no answer, or an answer that is not what Clerk sends. */
export class ApiError extends CliError {
  /** The request may have taken effect although no success was seen. */
  readonly maybeApplied: boolean;

  constructor(
    message: string,
    exitCode: ExitCodeValue,
    code: string,
    details: CliErrorDetails & { maybeApplied?: boolean },
  ) {
    super(message, exitCode, code, details);
    this.name = 'ApiError';
    this.maybeApplied = details.maybeApplied ?? false;
  }

  /** The same error with advice for the user. */
  withHint(hint: string): ApiError {
    return new ApiError(this.message, this.exitCode, this.code, { ...this.details, maybeApplied: this.maybeApplied, hint });
  }
}

function exitCodeForStatus(status: number): ExitCodeValue {
  if (status === 401 || status === 403) return ExitCode.auth;
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

interface ClerkErrorBody {
  errors: ClerkErrorEntry[];
  clerk_trace_id?: string;
}

function parseClerkErrorBody(text: string): ClerkErrorBody | null {
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object' && Array.isArray((body as ClerkErrorBody).errors)) return body as ClerkErrorBody;
  } catch {
    // Not JSON: a proxy's HTML page, say. The status alone is reported.
  }
  return null;
}

export interface FailedResponse {
  status: number;
  statusText: string;
  text: string;
  traceIdHeader: string | null;
  maybeApplied: boolean;
}

export function errorFromResponse(response: FailedResponse): ApiError {
  const { status, statusText } = response;
  const body = parseClerkErrorBody(response.text);
  const first = body?.errors[0];
  const message =
    first?.long_message ??
    first?.message ??
    `HTTP ${status}${statusText ? ` ${statusText}` : ''}${body ? '' : ' (the answer was not a Clerk JSON error)'}`;
  return new ApiError(message, exitCodeForStatus(status), first?.code ?? ownCodeForStatus(status), {
    status,
    errors: body?.errors ?? [],
    traceId: body?.clerk_trace_id ?? response.traceIdHeader,
    maybeApplied: response.maybeApplied,
  });
}

export function errorFromFailure(outcome: Exclude<AttemptOutcome, { kind: 'response' }>, detail: string, timeoutMs: number, maybeApplied: boolean): ApiError {
  if (outcome.kind === 'timeout') {
    return new ApiError(`no answer within ${timeoutMs} ms (--timeout)`, ExitCode.temporary, 'timeout', { maybeApplied });
  }
  const hint = outcome.permanent
    ? "the server's TLS certificate is not trusted: check the API URL, or add its CA with NODE_EXTRA_CA_CERTS=<file.pem>"
    : undefined;
  return new ApiError(`network error: ${detail}`, ExitCode.temporary, 'network', { maybeApplied, hint });
}

export function invalidResponseError(status: number, reason: string): ApiError {
  return new ApiError(`the API answered HTTP ${status} with ${reason}`, ExitCode.apiRefused, 'invalid_response', { status });
}
