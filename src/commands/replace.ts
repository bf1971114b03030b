import type { CommandContext } from '../context.js';
import { ExitCode, usageError, type ExitCodeValue } from '../errors.js';
import { confirmationGate } from '../prompt.js';
import { validateId } from '../validate.js';
import { writePhoneNumber, writeReplacePreview } from '../output/output.js';
import { renderReplaceListing } from '../output/replace-listing.js';
import { listPhones } from '../phone/list.js';
import { buildReplaceBody, replacePhones } from '../phone/replace.js';
import { writeSent } from './write-sent.js';

export interface ReplaceOptions {
  userId?: string;
  phoneNumber?: string;
  status?: string;
  yes?: boolean;
}

/**
 * `phone replace`: every phone number of the user is deleted and one new primary number made.
 * Asks on a terminal, needs --yes elsewhere; a dry run lists what it would delete.
 */
export async function runReplace(ctx: CommandContext, options: ReplaceOptions): Promise<ExitCodeValue | void> {
  if (options.userId === undefined) throw usageError("required option '--user-id <id>' not specified");
  if (options.phoneNumber === undefined) throw usageError("required option '--phone-number <number>' not specified");
  const userId = validateId(options.userId, 'user ID');
  const body = buildReplaceBody(options.phoneNumber, options.status);
  // A dry run changes nothing, so it needs neither --yes nor an answer.
  const gate = confirmationGate(ctx.io, Boolean(ctx.flags.dryRun || options.yes));
  const client = await ctx.client({ mutating: true });
  const unverified = body.identification_status === 'unverified';

  if (gate.asks) {
    const { user, phones } = await listPhones(client, userId);
    ctx.io.stderr.write(renderReplaceListing(user, userId, phones, 'Replacing deletes', unverified));
    const question = `Replace every phone number of user ${userId} with ${body.phone_number}?`;
    if (!(await gate.confirm(question, 'Not replaced.'))) return ExitCode.usage;
  }

  const sent = await replacePhones(client, userId, body);
  if (!sent.dryRun) return writeSent(ctx, sent, `replaced the phone numbers of user ${userId}: created`, writePhoneNumber);
  const out = await ctx.output();
  // The numbers are read after the held-back PUT: it sent nothing, so they are what it would delete.
  const { user, phones } = await listPhones(client, userId);
  await writeReplacePreview(
    out,
    sent.preview,
    phones,
    renderReplaceListing(user, userId, phones, 'Dry run: replacing would delete', unverified),
  );
}
