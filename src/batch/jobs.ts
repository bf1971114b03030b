import { ApiError } from '../api/api-error.js';
import { ExitCode } from '../errors.js';
import type { Sent } from '../phone/change.js';
import { createPhone, maybeCreatedHint } from '../phone/create.js';
import { deleteById } from '../phone/delete.js';
import { onlyHolderId } from '../phone/lookup.js';
import { updatePhone } from '../phone/update.js';
import { CREATE_SCHEMA, DELETE_SCHEMA, UPDATE_SCHEMA, createRequestFromRow, deleteTargetFromRow, updateRequestFromRow } from './rows.js';
import type { BatchJob, RowOutcome } from './run-batch.js';

/** A change's result as a row's outcome; under --dry-run the request it would have sent, as `dry_run`. */
function rowOutcome<T>(sent: Sent<T>, status: (result: T) => RowOutcome): RowOutcome {
  return sent.dryRun ? { status: 'dry_run', result: sent.preview } : status(sent.result);
}

/**
 * A create whose outcome is unknown (5xx, timeout, dropped connection) is resolved by looking
 * the number up, never by sending it again. With skipExisting, a number the user already has
 * is `skipped` with that existing object: looked up when the row is read, 100 numbers a request,
 * so a re-run sends no create at all (not under --dry-run, which shows the creates as ever).
 */
export function createJob(skipExisting: boolean, lookAhead = true): BatchJob {
  return {
    schema: CREATE_SCHEMA,
    summary: skipExisting ? ['created', 'skipped'] : ['created'],
    prepare(fields, lookups) {
      const body = createRequestFromRow(fields);
      const before = skipExisting && lookAhead ? lookups.ask(body.phone_number) : undefined;
      return {
        run: async (client) => {
          const policy = { settleUnknown: true, skipExisting };
          const sent = await createPhone(client, body, policy, { before, after: () => lookups.now(body.phone_number) });
          return rowOutcome(sent, (created) => ({ status: created.status, result: created.phone }));
        },
        ifCutShort: maybeCreatedHint(body),
      };
    },
  };
}

export const updateJob: BatchJob = {
  schema: UPDATE_SCHEMA,
  summary: ['updated'],
  prepare(fields) {
    const { id, body } = updateRequestFromRow(fields);
    return {
      run: async (client) => rowOutcome(await updatePhone(client, id, body), (result) => ({ status: 'updated', result })),
      ifCutShort: `the change may have been made; check: phone get ${id}`,
    };
  },
};

/**
 * An ID that is already gone is `missing`, not a failure, so a teardown can be run again; so is a
 * `+E164` no user holds (looked up 100 numbers a request). One held by several users fails.
 */
export function deleteJob(debug: (line: string) => void): BatchJob {
  return {
    schema: DELETE_SCHEMA,
    summary: ['deleted', 'missing', 'skipped'],
    prepare(fields, lookups) {
      const target = deleteTargetFromRow(fields);
      const holders = target?.kind === 'number' ? lookups.ask(target.phoneNumber) : undefined;
      const named = target?.kind === 'number' ? target.phoneNumber : target?.id;
      return {
        run: async (client) => {
          if (target === null) return { status: 'skipped', result: null };
          const id = target.kind === 'id' ? target.id : onlyHolderId(target.phoneNumber, await holders!());
          if (id === undefined) return { status: 'missing', result: null };
          try {
            return rowOutcome(await deleteById(client, id, debug), (result) => ({ status: 'deleted', result }));
          } catch (error) {
            if (error instanceof ApiError && error.exitCode === ExitCode.notFound) return { status: 'missing', result: null };
            throw error;
          }
        },
        ifCutShort: `the phone number may have been deleted; check: phone get ${named ?? ''}`,
      };
    },
  };
}
