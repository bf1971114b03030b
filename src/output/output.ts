import type { CommandContext } from '../context.js';
import type { DeletedObject, PhoneNumber } from '../api/phone-numbers.js';
import { pickFields } from './fields.js';
import { renderJson, renderJsonLines } from './json.js';

/** Writes a phone number in the chosen format; table code is loaded only for tables. */
export async function writePhoneNumber(ctx: CommandContext, phone: PhoneNumber): Promise<void> {
  const { output, fields } = await ctx.settings();
  if (output.value === 'table') {
    const { renderPhoneNumberTable } = await import('./phone-table.js');
    ctx.io.stdout.write(renderPhoneNumberTable(phone, ctx.stdoutColorLevel(), fields));
    return;
  }
  const picked = pickFields(phone, fields);
  ctx.io.stdout.write(output.value === 'json' ? renderJson(picked) : renderJsonLines([picked]));
}

/** A user's phone numbers: an array in JSON (`[]` when none), one object a line in JSON Lines. */
export async function writePhoneNumberList(ctx: CommandContext, phones: PhoneNumber[], primaryId: string | null): Promise<void> {
  const { output, fields } = await ctx.settings();
  if (output.value === 'table') {
    const { renderPhoneNumberList } = await import('./phone-table.js');
    ctx.io.stdout.write(renderPhoneNumberList(phones, primaryId, ctx.stdoutColorLevel(), fields));
    return;
  }
  const picked = phones.map((phone) => pickFields(phone, fields));
  ctx.io.stdout.write(output.value === 'json' ? renderJson(picked) : renderJsonLines(picked));
}

export async function writeDeleted(ctx: CommandContext, deleted: DeletedObject, id: string): Promise<void> {
  const { output } = await ctx.settings();
  if (output.value === 'table') ctx.io.stdout.write(`Deleted phone number ${id}\n`);
  else ctx.io.stdout.write(output.value === 'json' ? renderJson(deleted) : renderJsonLines([deleted]));
}
