import type { CommandContext } from '../context.js';
import { validateId } from '../validate.js';
import { writePhoneNumberList } from '../output/output.js';
import { listPhones } from '../phone/list.js';

export async function runList(ctx: CommandContext, options: { userId: string }): Promise<void> {
  const userId = validateId(options.userId, 'user ID');
  const { phones, primaryId } = await listPhones(await ctx.client(), userId);
  await writePhoneNumberList(await ctx.output(), phones, primaryId);
}
