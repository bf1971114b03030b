import { ApiError } from '../api/api-error.js';
import { createPhoneNumber, updatePhoneNumber } from '../api/phone-numbers.js';
import { findOnUser, maybeCreatedHint } from '../commands/create.js';
import { deleteById } from '../commands/delete.js';
import { ExitCode } from '../errors.js';
import { CREATE_SCHEMA, DELETE_SCHEMA, UPDATE_SCHEMA, createRequestFromRow, deleteTargetFromRow, updateRequestFromRow } from './rows.js';
import type { BatchJob } from './run-batch.js';

/**
 * A create whose outcome is unknown (5xx, timeout, dropped connection) is resolved by looking
 * the number up, never by sending it again. With skipExisting, a number the user already has
 * is `skipped` with that existing object.
 */
export function createJob(skipExisting: boolean): BatchJob {
  return {
    schema: CREATE_SCHEMA,
    summary: skipExisting ? ['created', 'skipped'] : ['created'],
    prepare(fields) {
      const body = createRequestFromRow(fields);
      return async (client) => {
        try {
          return { status: 'created', result: await createPhoneNumber(client, body) };
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          const resolvable = error.maybeApplied || (skipExisting && error.code === 'form_identifier_exists');
          if (!resolvable) throw error;
          let existing;
          try {
            existing = await findOnUser(client, body);
          } catch (lookupError) {
            // A refused key stops the run; any other failure leaves the outcome open, and says so.
            if (lookupError instanceof ApiError && lookupError.exitCode === ExitCode.auth) throw lookupError;
            throw error.maybeApplied ? error.withHint(`${maybeCreatedHint(body)} (the lookup failed: ${(lookupError as Error).message})`) : error;
          }
          if (!existing) throw error;
          return { status: error.maybeApplied ? 'created' : 'skipped', result: existing };
        }
      };
    },
  };
}

export const updateJob: BatchJob = {
  schema: UPDATE_SCHEMA,
  summary: ['updated'],
  prepare(fields) {
    const { id, body } = updateRequestFromRow(fields);
    return async (client) => ({ status: 'updated', result: await updatePhoneNumber(client, id, body) });
  },
};

/** An ID that is already gone is `missing`, not a failure, so a teardown can be run again. */
export function deleteJob(debug: (line: string) => void): BatchJob {
  return {
    schema: DELETE_SCHEMA,
    summary: ['deleted', 'missing', 'skipped'],
    prepare(fields) {
      const id = deleteTargetFromRow(fields);
      return async (client) => {
        if (id === null) return { status: 'skipped', result: null };
        try {
          return { status: 'deleted', result: await deleteById(client, id, debug) };
        } catch (error) {
          if (error instanceof ApiError && error.exitCode === ExitCode.notFound) return { status: 'missing', result: null };
          throw error;
        }
      };
    },
  };
}
