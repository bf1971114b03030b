import type { CommandContext } from '../context.js';
import { getPhoneNumber } from '../api/phone-numbers.js';
import { resolvePhoneNumber } from '../api/users.js';
import { writePhoneNumber } from '../output/output.js';
import { parseTarget } from './target.js';

export async function runGet(ctx: CommandContext, argument: string): Promise<void> {
  const target = parseTarget(argument);
  const client = await ctx.client();
  const phone = target.kind === 'id' ? await getPhoneNumber(client, target.id) : await resolvePhoneNumber(client, target.phoneNumber);
  await writePhoneNumber(ctx, phone);
}
