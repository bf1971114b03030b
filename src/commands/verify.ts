import type { CommandContext } from '../context.js';
import { ApiError } from '../api/api-error.js';
import { attemptVerification, prepareVerification, type Verification } from '../api/verifications.js';
import { CliError, ExitCode, usageError } from '../errors.js';
import { validateId } from '../validate.js';
import { writeVerification } from '../output/output.js';
import { parseTarget, targetId } from './target.js';

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
  let verification: Verification;
  try {
    verification = await prepareVerification(client, id);
  } catch (error) {
    if (error instanceof ApiError && error.maybeApplied) {
      throw error.withHint(
        'a code may have been sent anyway (a send is never repeated once it may have reached Clerk: each SMS costs money and counts against limits); wait for it before sending another with phone verify send',
      );
    }
    throw error;
  }
  await writeVerification(ctx, verification);
}

function describeAttempts(attempts: unknown): string {
  if (typeof attempts !== 'number') return '';
  return `, ${attempts} attempt${attempts === 1 ? '' : 's'}`;
}

/** What to do after a status other than verified. */
function nextStep(status: unknown, phoneNumberId: string): string | undefined {
  if (status === 'expired') return `the code expired: send a new one with phone verify send ${phoneNumberId}`;
  if (status === 'failed') return `too many wrong codes: send a new one with phone verify send ${phoneNumberId}`;
  if (status === 'unverified') return 'the code was wrong; the verification is still open, so the right code can be tried again';
  return undefined;
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
  let verification: Verification;
  try {
    verification = await attemptVerification(client, id, { verification_id: verificationId, code });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'verification_already_verified') {
      throw error.withHint(`the code was accepted before; the phone number's own status: phone get ${id}`);
    }
    if (error instanceof ApiError && error.maybeApplied) {
      throw error.withHint(
        `the code may have been checked anyway (a check is never repeated once it may have reached Clerk); checking it again answers verification_already_verified if it was accepted, and phone get ${id} shows whether the number is verified`,
      );
    }
    throw error;
  }
  await writeVerification(ctx, verification);
  const { status } = verification;
  if (status !== 'verified') {
    const shown = typeof status === 'string' && status !== '' ? status : 'missing';
    throw new CliError(`the code was not accepted: status ${shown}${describeAttempts(verification.attempts)}`, ExitCode.apiRefused, 'code_not_accepted', {
      hint: nextStep(status, id),
    });
  }
}
