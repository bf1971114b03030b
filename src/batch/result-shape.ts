import type { GlobalFlags } from '../config.js';
import { usageError } from '../errors.js';
import type { ErrorObject } from '../output/error-report.js';
import { pickFields } from '../output/output.js';
import { redactIn } from '../redact.js';

/**
 * What `--output` and `--fields` mean for a batch run, whose stdout is one JSON line per row.
 * `--output jsonl` says what it does anyway. `table` and `json` (one document) cannot describe
 * a stream of results that must stay flat in memory: a usage error, not a silent JSON Lines.
 * `--fields` picks the fields of each line's `result`, as it picks them of a single command's
 * answer (a dry run's request is shown whole), and leaves `line`, `status`, `input` and `error` whole: a teardown still finds its IDs.
 */
export function resultShaper(flags: GlobalFlags, fields: string[] | undefined): (status: string, result: unknown) => unknown {
  const output = flags.json ? 'json' : flags.output;
  if (output === 'table' || output === 'json') {
    throw usageError(
      `${flags.json ? '--json' : `--output ${output}`} does not apply with --file: the results are JSON Lines, one per row (give --output jsonl, or no --output)`,
    );
  }
  if (!fields) return (_status, result) => result;
  // A dry run's result is the request it would have sent, not an API object: shown whole.
  const isApiObject = (status: string, result: unknown): result is Record<string, unknown> =>
    status !== 'dry_run' && result !== null && typeof result === 'object' && !Array.isArray(result);
  return (status, result) => (isApiObject(status, result) ? pickFields(result, fields) : result);
}

/** A server that echoes the key in an error message must not get it into the result lines. */
export function withoutKey(error: ErrorObject, key: string | undefined): ErrorObject {
  if (!key) return error;
  const text = JSON.stringify(error);
  const redacted = redactIn(text, key);
  if (redacted === text) return error;
  try {
    return JSON.parse(redacted) as ErrorObject;
  } catch {
    return {
      status: error.status,
      code: error.code,
      message: 'the error message held the secret key and is left out',
      errors: [],
      clerk_trace_id: error.clerk_trace_id,
    };
  }
}
