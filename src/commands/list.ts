import type { CommandContext } from '../context.js';
import { getUser, phoneNumbersOf } from '../api/users.js';
import { validateId } from '../validate.js';
import { writePhoneNumberList } from '../output/output.js';

export async function runList(ctx: CommandContext, options: { userId: string }): Promise<void> {
  const userId = validateId(options.userId, 'user ID');
  const user = await getUser(await ctx.client(), userId);
  await writePhoneNumberList(ctx, phoneNumbersOf(user), user.primary_phone_number_id ?? null);
}
