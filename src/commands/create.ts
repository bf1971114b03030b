import type { CommandContext } from '../context.js';
import { usageError, type ExitCodeValue } from '../errors.js';
import { writePhoneNumber } from '../output/output.js';
import { buildCreateBody, createPhone } from '../phone/create.js';
import { fieldFlagsGiven, fieldsFromFlags, type PhoneNumberFlags } from '../phone/fields.js';
import { batchOptions, rejectWithFile, type BatchFlags } from './batch-options.js';
import { announceRowsFromTerminal } from './rows-from-terminal.js';
import { writeSent } from './write-sent.js';

export type CreateOptions = PhoneNumberFlags &
  BatchFlags & {
    userId?: string;
    phoneNumber?: string;
    skipExisting?: boolean;
  };

export async function runCreate(ctx: CommandContext, options: CreateOptions): Promise<ExitCodeValue | void> {
  const { userId, phoneNumber } = options;
  rejectWithFile(options, { '--user-id': userId, '--phone-number': phoneNumber, ...fieldFlagsGiven(options) });
  if (options.file !== undefined) {
    const [{ runBatch }, { createJob }] = await Promise.all([import('../batch/run-batch.js'), import('../batch/jobs.js')]);
    announceRowsFromTerminal(ctx, options.file);
    // A dry run shows every create it would send, as ever: no lookup ahead of them.
    const job = createJob(Boolean(options.skipExisting), !ctx.flags.dryRun);
    return runBatch(ctx, job, batchOptions({ ...options, file: options.file }));
  }
  if (options.skipExisting) throw usageError('--skip-existing only applies with --file');
  if (userId === undefined) throw usageError("required option '--user-id <id>' not specified (or give --file)");
  if (phoneNumber === undefined) throw usageError("required option '--phone-number <number>' not specified");
  const body = buildCreateBody({ userId, phoneNumber, fields: fieldsFromFlags(options) });
  const client = await ctx.client({ mutating: true });
  // An unknown outcome (5xx, timeout, dropped connection) is settled by a lookup, as a batch row's is.
  const sent = await createPhone(client, body, { settleUnknown: true, skipExisting: false });
  await writeSent(
    ctx,
    sent,
    (created) => `created ${String(created.phone.id)}`,
    (out, created) => {
      const lost = created.settledAfter;
      if (lost) {
        ctx.io.stderr.write(
          `note: the create's outcome was unknown (${lost.message}); a lookup found ${body.phone_number} on user ${body.user_id}: it was created\n`,
        );
      }
      return writePhoneNumber(out, created.phone);
    },
  );
}
