import type { CommandContext } from '../context.js';
import { usageError } from '../errors.js';
import { validateId } from '../validate.js';
import { writeVerification } from '../output/output.js';
import { parseTarget, targetId } from '../phone/lookup.js';
import { checkCode, codeRejection, sendCode } from '../phone/verify.js';
import { writeSent } from './write-sent.js';

export interface CheckOptions {
  code?: string;
  verificationId?: string;
}

/** A code as the user typed it: anything visible; whitespace would only make Clerk refuse it. */
export function validateCode(code: string): string {
  if (code === '' || /\s/.test(code)) {
    throw usageError(`invalid --code ${JSON.stringify(code)}: give the code as received, without spaces`);
  }
  return code;
}

/** `phone verify send`: starts a verification and sends a code to the number. */
export async function runVerifySend(ctx: CommandContext, argument: string): Promise<void> {
  const target = parseTarget(argument);
  const client = await ctx.client({ mutating: true });
  const id = await targetId(client, target);
  await writeSent(ctx, await sendCode(client, id), 'sent a code: verification', writeVerification);
}

/**
 * `phone verify check`: tries a code. The verification Clerk returns is printed as usual; when its
 * status is not `verified` the command fails all the same (exit 1), so scripts can rely on the code.
 */
export async function runVerifyCheck(ctx: CommandContext, argument: string, options: CheckOptions): Promise<void> {
  if (options.verificationId === undefined) throw usageError("required option '--verification-id <id>' not specified");
  if (options.code === undefined) throw usageError("required option '--code <code>' not specified");
  const verificationId = validateId(options.verificationId, 'verification ID');
  const code = validateCode(options.code);
  const target = parseTarget(argument);
  const client = await ctx.client({ mutating: true });
  const id = await targetId(client, target);
  const sent = await checkCode(client, id, verificationId, code);
  await writeSent(ctx, sent, 'checked the code: verification', writeVerification);
  const rejection = sent.dryRun ? undefined : codeRejection(sent.result, id);
  if (rejection) throw rejection;
}
