/** Exit codes are part of the CLI's contract: scripts branch on them. */
export const ExitCode = {
  ok: 0,
  apiRefused: 1,
  usage: 2,
  notFound: 3,
  auth: 4,
  temporary: 5,
  interrupted: 130,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** One error as Clerk returns it in `errors[]`; kept as returned, unknown fields included. */
export interface ClerkErrorEntry {
  message?: string;
  long_message?: string;
  code?: string;
  meta?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface CliErrorDetails {
  /** HTTP status of the answer that caused it; null when no answer came. */
  status?: number | null;
  errors?: ClerkErrorEntry[];
  traceId?: string | null;
  /** What the user can do next; shown to humans, not part of the JSON error. */
  hint?: string;
  /** Usage text of the command that was misused. */
  usage?: string;
  /** The message is ours, saying what Clerk's errors[] refer to (`user user_1 not found`): shown before them. */
  restated?: boolean;
}

/**
 * Every failure the CLI reports is one of these; the single handler in cli.ts turns it
 * into stderr output and an exit code.
 */
export class CliError extends Error {
  readonly status: number | null;
  readonly errors: ClerkErrorEntry[];
  readonly traceId: string | null;
  readonly hint: string | undefined;
  readonly usage: string | undefined;
  readonly restated: boolean;

  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly code: string,
    details: CliErrorDetails = {},
  ) {
    super(message);
    this.name = 'CliError';
    this.status = details.status ?? null;
    this.errors = details.errors ?? [];
    this.traceId = details.traceId ?? null;
    this.hint = details.hint;
    this.usage = details.usage;
    this.restated = details.restated ?? false;
  }

  /** Everything but message, exit code and code: to make the same error with one detail more. */
  get details(): CliErrorDetails {
    return { status: this.status, errors: this.errors, traceId: this.traceId, hint: this.hint, usage: this.usage, restated: this.restated };
  }
}

export function usageError(message: string, details: CliErrorDetails = {}): CliError {
  return new CliError(message, ExitCode.usage, 'usage', details);
}
