import type { CliError } from '../errors.js';
import { escapeForTerminal } from './terminal-text.js';

export interface ErrorObject {
  status: number | null;
  code: string;
  message: string;
  errors: unknown[];
  clerk_trace_id: string | null;
}

/**
 * The machine-readable form of an error, the same on stderr and in batch result lines. Its
 * fields are fixed, so the advice a person gets (how long to wait, how to check whether a
 * create went through) travels in `message`.
 */
export function errorObject(error: CliError): ErrorObject {
  // A script's log then shows how to call the command: `usage` starts with `Usage: <synopsis>`.
  const usage = error.usage?.split('\n')[0]!.replace(/^Usage: /, '');
  const message = [error.message, error.hint && `(${error.hint})`, usage && `(usage: ${usage})`].filter(Boolean).join(' ');
  return { status: error.status, code: error.code, message, errors: error.errors, clerk_trace_id: error.traceId };
}

/** What scripts parse from stderr when the output format is JSON: one line. */
export function renderErrorJson(error: CliError): string {
  return `${JSON.stringify({ error: errorObject(error) })}\n`;
}

/**
 * What a person reads: every Clerk message with its code, then what support needs, then what to do.
 * Messages, codes, the trace id and the hint may carry the server's or a file's text: each is
 * escaped for the terminal; the usage text is commander's own.
 */
export function renderErrorText(error: CliError, paint: { red: (s: string) => string; dim: (s: string) => string }): string {
  const lines: string[] = [];
  const clerkSays = error.errors.map((e) => e.long_message ?? e.message ?? 'unknown error');
  // A restated message (`user user_1 not found`) leads; Clerk's own words follow it.
  const messages =
    error.errors.length && !error.restated
      ? error.errors.map((e, index) => `${clerkSays[index]} (${e.code ?? error.code})`)
      : [error.code === 'usage' || error.code === 'bad_config' ? error.message : `${error.message} (${error.code})`];
  for (const message of messages) lines.push(`${paint.red('Error:')} ${escapeForTerminal(message)}`);
  if (error.restated && clerkSays.length) lines.push(paint.dim(`  Clerk: ${escapeForTerminal(clerkSays.join('; '))}`));
  const facts = [error.status !== null ? `HTTP ${error.status}` : null, error.traceId ? `clerk_trace_id: ${error.traceId}` : null].filter(
    Boolean,
  );
  if (facts.length) lines.push(paint.dim(`  ${escapeForTerminal(facts.join(', '))}`));
  if (error.hint) lines.push(`  ${escapeForTerminal(error.hint)}`);
  if (error.usage) lines.push('', error.usage.trimEnd());
  return `${lines.join('\n')}\n`;
}
