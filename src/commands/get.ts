import type { CommandContext } from '../context.js';
import { writePhoneNumber } from '../output/output.js';
import { getPhone, parseTarget } from '../phone/lookup.js';

export async function runGet(ctx: CommandContext, argument: string): Promise<void> {
  const target = parseTarget(argument);
  const phone = await getPhone(await ctx.client(), target);
  await writePhoneNumber(await ctx.output(), phone);
}
