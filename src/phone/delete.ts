import { ApiError } from '../api/api-error.js';
import type { ClerkClient } from '../api/client.js';
import { deletePhoneNumber, type DeletedObject } from '../api/phone-numbers.js';
import { ExitCode } from '../errors.js';
import { send, type Sent } from './change.js';
import { namingNotFound } from './not-found.js';

/**
 * Deletes one phone number. A 404 on a retry after an attempt that may have arrived means that
 * attempt deleted it: that is success. Any other 404 is thrown.
 */
export async function deleteById(client: ClerkClient, id: string, debug: (line: string) => void): Promise<Sent<DeletedObject>> {
  try {
    return await namingNotFound(
      send(() => deletePhoneNumber(client, id)),
      `phone number ${id}`,
    );
  } catch (error) {
    if (!(error instanceof ApiError && error.exitCode === ExitCode.notFound && error.maybeApplied)) throw error;
    debug(`DELETE ${id}: 404 after an earlier attempt may have applied; reporting it as deleted`);
    return { dryRun: false, result: { object: 'phone_number', id, deleted: true } };
  }
}
