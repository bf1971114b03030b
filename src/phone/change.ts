import { ApiError } from '../api/api-error.js';
import { DryRunStop, type RequestPreview } from '../api/dry-run.js';

/**
 * What a request that changes data came to: Clerk's answer, or under --dry-run the request the
 * client held back. The one place a dry run's stop is caught: every change goes through here.
 */
export type Sent<T> = { dryRun: false; result: T } | { dryRun: true; preview: RequestPreview };

export async function send<T>(request: () => Promise<T>): Promise<Sent<T>> {
  try {
    return { dryRun: false, result: await request() };
  } catch (error) {
    if (error instanceof DryRunStop) return { dryRun: true, preview: error.preview };
    throw error;
  }
}

/**
 * The error to throw for a failed change: one that may have taken effect anyway (a timeout, a
 * dropped connection) carries `hint`, which says how to check before trying again.
 */
export function maybeAppliedError(error: unknown, hint: string): unknown {
  return error instanceof ApiError && error.maybeApplied ? error.withHint(hint) : error;
}

/** `send`, with `hint` on a failure that may have taken effect. */
export function sendOnce<T>(request: () => Promise<T>, hint: string): Promise<Sent<T>> {
  return send(request).catch((error: unknown) => {
    throw maybeAppliedError(error, hint);
  });
}
