import type { CommandContext } from '../context.js';
import type { DeletedObject, PhoneNumber } from '../api/phone-numbers.js';
import type { RequestPreview } from '../api/dry-run.js';
import type { Verification } from '../api/verifications.js';
import { pickFields } from './fields.js';
import { renderJson, renderJsonLines } from './json.js';

type ColorLevel = 0 | 1 | 2 | 3;

/** One value in a machine format: pretty JSON, or a single compact JSON line. */
function renderMachine(format: 'json' | 'jsonl', value: unknown): string {
  return format === 'json' ? renderJson(value) : renderJsonLines([value]);
}

/** An API object in the chosen format, `--fields` applied; table code is loaded only for tables. */
async function writeRecord(
  ctx: CommandContext,
  value: Record<string, unknown>,
  renderTable: (level: ColorLevel, fields: string[] | undefined) => Promise<string>,
): Promise<void> {
  const { output, fields } = await ctx.settings();
  ctx.io.stdout.write(
    output.value === 'table' ? await renderTable(ctx.stdoutColorLevel(), fields) : renderMachine(output.value, pickFields(value, fields)),
  );
}

export function writePhoneNumber(ctx: CommandContext, phone: PhoneNumber): Promise<void> {
  return writeRecord(ctx, phone, async (level, fields) => (await import('./phone-table.js')).renderPhoneNumberTable(phone, level, fields));
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
  else ctx.io.stdout.write(renderMachine(output.value, deleted));
}

/** What --dry-run would have sent: JSON for scripts, or the request as HTTP reads for a person. */
export async function writeRequestPreview(ctx: CommandContext, preview: RequestPreview): Promise<void> {
  const { output } = await ctx.settings();
  if (output.value !== 'table') {
    ctx.io.stdout.write(renderMachine(output.value, preview));
    return;
  }
  const headers = Object.entries(preview.headers).map(([name, value]) => `${name}: ${value}\n`);
  const body = preview.body === undefined ? '' : `\n${JSON.stringify(preview.body, null, 2)}\n`;
  ctx.io.stdout.write(`Dry run, nothing sent:\n${preview.method} ${preview.url}\n${headers.join('')}${body}`);
}

/** A verification (`phone verify send|check`): a key/value table, or the API object as returned. */
export function writeVerification(ctx: CommandContext, verification: Verification): Promise<void> {
  return writeRecord(ctx, verification, async (level, fields) =>
    (await import('./verification-table.js')).renderVerificationTable(verification, level, fields),
  );
}

/**
 * `phone replace --dry-run`: the PUT that would be sent and the phone numbers it would delete. In
 * JSON they travel together (`would_delete`: the API's objects); for a person the numbers go to
 * stderr and the request to stdout, as every dry run prints it.
 */
export async function writeReplacePreview(ctx: CommandContext, preview: RequestPreview, wouldDelete: PhoneNumber[], summary: string): Promise<void> {
  const { output } = await ctx.settings();
  if (output.value === 'table') {
    ctx.io.stderr.write(summary);
    await writeRequestPreview(ctx, preview);
    return;
  }
  ctx.io.stdout.write(renderMachine(output.value, { ...preview, would_delete: wouldDelete }));
}
