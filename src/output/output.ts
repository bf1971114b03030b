import type { CommandContext } from '../context.js';
import type { DeletedObject, PhoneNumber } from '../api/phone-numbers.js';
import { renderJson } from './json.js';

/** Writes a phone number in the chosen format; table code is loaded only for tables. */
export async function writePhoneNumber(ctx: CommandContext, phone: PhoneNumber): Promise<void> {
  const { output } = await ctx.settings();
  if (output.value === 'json') {
    ctx.io.stdout.write(renderJson(phone));
    return;
  }
  const { renderPhoneNumberTable } = await import('./phone-table.js');
  ctx.io.stdout.write(renderPhoneNumberTable(phone, ctx.stdoutColorLevel()));
}

export async function writeDeleted(ctx: CommandContext, deleted: DeletedObject, id: string): Promise<void> {
  const { output } = await ctx.settings();
  ctx.io.stdout.write(output.value === 'json' ? renderJson(deleted) : `Deleted phone number ${id}\n`);
}
