import type { CommandContext } from '../context.js';
import { usageError, type ExitCodeValue } from '../errors.js';
import { validateId } from '../validate.js';
import { writePhoneNumberList } from '../output/output.js';
import { listPhones } from '../phone/list.js';
import type { ListAllOptions } from './list-all.js';

export interface ListOptions extends ListAllOptions {
  userId?: string;
  all?: boolean;
}

const ALL_ONLY = {
  '--search': 'search',
  '--status': 'status',
  '--second-factor': 'secondFactor',
  '--primary': 'primary',
  '--rate': 'rate',
} as const;

/** `--user-id` lists one user's numbers, `--all` every user's: exactly one of them. */
export async function runList(ctx: CommandContext, options: ListOptions): Promise<ExitCodeValue | void> {
  if (options.all && options.userId !== undefined) {
    throw usageError('--all and --user-id cannot be combined: --user-id lists one user, --all every user');
  }
  if (!options.all) {
    const misplaced = Object.entries(ALL_ONLY).find(([, key]) => options[key] !== undefined);
    if (misplaced) throw usageError(`${misplaced[0]} only applies with --all`);
  }
  if (options.all) return (await import('./list-all.js')).runListAll(ctx, options);
  if (options.userId === undefined) throw usageError('give --user-id <id> to list one user, or --all to list every user');
  const userId = validateId(options.userId, 'user ID');
  const { phones, primaryId } = await listPhones(await ctx.client(), userId);
  await writePhoneNumberList(await ctx.output(), phones, primaryId);
}
