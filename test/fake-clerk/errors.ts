// Clerk-shaped error bodies. Route and state code throw ClerkApiError; the
// server turns it into `{"errors":[...],"clerk_trace_id":...}` so every
// failure path produces the same envelope the real API does.
import { randomBytes } from 'node:crypto';

export interface ClerkErrorItem {
  message: string;
  long_message: string;
  code: string;
  meta?: Record<string, unknown>;
}

export interface ClerkErrorBody {
  errors: ClerkErrorItem[];
  clerk_trace_id: string;
}

export class ClerkApiError extends Error {
  constructor(
    readonly status: number,
    readonly item: ClerkErrorItem,
  ) {
    super(item.long_message);
  }
}

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function errorBody(item: ClerkErrorItem, traceId: string): ClerkErrorBody {
  return { errors: [item], clerk_trace_id: traceId };
}

const param = (name: string) => ({ meta: { param_name: name } });

export const clerkErrors = {
  authenticationInvalid: () =>
    new ClerkApiError(401, {
      message: 'Invalid authentication',
      long_message: 'Unable to authenticate the request, you need to supply an active API key',
      code: 'authentication_invalid',
    }),
  authorizationInvalid: () =>
    new ClerkApiError(403, {
      message: 'Unauthorized request',
      long_message: 'You are not authorized to perform this request',
      code: 'authorization_invalid',
    }),
  notFound: () => new ClerkApiError(404, { message: 'not found', long_message: 'Resource not found', code: 'resource_not_found' }),
  bodyInvalid: () =>
    new ClerkApiError(400, {
      message: 'Request body invalid',
      long_message: 'The request body is invalid. Please consult the API documentation for more information.',
      code: 'request_body_invalid',
    }),
  paramMissing: (name: string) =>
    new ClerkApiError(422, {
      message: 'missing required parameter',
      long_message: `${name} is missing`,
      code: 'form_param_missing',
      ...param(name),
    }),
  paramUnknown: (name: string) =>
    new ClerkApiError(422, {
      message: 'is unknown',
      long_message: `${name} is not a valid parameter for this request.`,
      code: 'form_param_unknown',
      ...param(name),
    }),
  paramFormatInvalid: (name: string, longMessage?: string) =>
    new ClerkApiError(422, {
      message: 'is invalid',
      long_message: longMessage ?? `${name} has an invalid format.`,
      code: 'form_param_format_invalid',
      ...param(name),
    }),
  paramValueInvalid: (name: string, longMessage: string) =>
    new ClerkApiError(422, {
      message: 'is invalid',
      long_message: longMessage,
      code: 'form_param_value_invalid',
      ...param(name),
    }),
  phoneTaken: () =>
    new ClerkApiError(422, {
      message: 'That phone number is taken. Please try another.',
      long_message: 'That phone number is taken. Please try another.',
      code: 'form_identifier_exists',
      ...param('phone_number'),
    }),
  verificationAlreadyVerified: () =>
    new ClerkApiError(400, {
      message: 'already verified',
      long_message: 'This verification has already been verified.',
      code: 'verification_already_verified',
    }),
  tooManyRequests: () =>
    new ClerkApiError(429, {
      message: 'Too many requests',
      long_message: 'Too many requests, please try again later.',
      code: 'too_many_requests',
    }),
};

/** What a fault with only a status should carry: the body Clerk sends for that status. */
export function defaultErrorFor(status: number): ClerkErrorItem {
  switch (status) {
    case 400:
      return { message: 'Bad request', long_message: 'The request could not be processed.', code: 'bad_request' };
    case 401:
      return clerkErrors.authenticationInvalid().item;
    case 403:
      return clerkErrors.authorizationInvalid().item;
    case 404:
      return clerkErrors.notFound().item;
    case 409:
      return { message: 'conflict', long_message: 'The request conflicts with the current state.', code: 'conflict' };
    case 422:
      return { message: 'is invalid', long_message: 'The request parameters are invalid.', code: 'form_param_value_invalid' };
    case 429:
      return clerkErrors.tooManyRequests().item;
    case 502:
      return { message: 'Bad gateway', long_message: 'The upstream server returned an invalid response.', code: 'bad_gateway' };
    case 503:
      return {
        message: 'Service unavailable',
        long_message: 'The service is temporarily unavailable, please try again later.',
        code: 'service_unavailable',
      };
    case 504:
      return { message: 'Gateway timeout', long_message: 'The upstream server did not respond in time.', code: 'gateway_timeout' };
    default:
      return status >= 500
        ? {
            message: 'Oops, an unexpected error occurred',
            long_message: "There was an internal error on our servers. We've been notified and are working on fixing it.",
            code: 'internal_clerk_error',
          }
        : { message: 'Bad request', long_message: 'The request could not be processed.', code: 'bad_request' };
  }
}
