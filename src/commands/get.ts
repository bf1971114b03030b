import type { CommandContext } from '../context.js';
import { getPhoneNumber } from '../api/phone-numbers.js';
import { validateId } from '../validate.js';
import { writePhoneNumber } from '../output/output.js';

export async function runGet(ctx: CommandContext, id: string): Promise<void> {
  validateId(id, 'phone number ID');
  const phone = await getPhoneNumber(await ctx.client(), id);
  await writePhoneNumber(ctx, phone);
}
