import type { DeletedObject, PhoneNumber } from '../api/phone-numbers.js';
import type { RequestPreview } from '../api/dry-run.js';
import type { Verification } from '../api/verifications.js';
import type { ColorLevel } from './color.js';
import { renderJson, renderJsonLines } from './json.js';

/** Where and how a command's result is written: what output needs of the settings, nothing more. */
export interface OutputTarget {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  format: 'table' | 'json' | 'jsonl';
  /** `--fields`: the API fields to show, or undefined for all. */
  fields: string[] | undefined;
  /** stdout's chalk level, for tables: 0 for none. */
  colorLevel: ColorLevel;
}

/** One value in a machine format: pretty JSON, or a single compact JSON line. */
function renderMachine(format: 'json' | 'jsonl', value: unknown): string {
  return format === 'json' ? renderJson(value) : renderJsonLines([value]);
}

/** The object with only the chosen fields, in the order they were asked for. */
export function pickFields(value: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields) return value;
  return Object.fromEntries(fields.map((name) => [name, value[name] ?? null]));
}

/** An API object in the chosen format, `--fields` applied; table code is loaded only for tables. */
async function writeRecord(
  out: OutputTarget,
  value: Record<string, unknown>,
  renderTable: (level: ColorLevel, fields: string[] | undefined) => Promise<string>,
): Promise<void> {
  const { format, fields } = out;
  out.stdout.write(format === 'table' ? await renderTable(out.colorLevel, fields) : renderMachine(format, pickFields(value, fields)));
}

export function writePhoneNumber(out: OutputTarget, phone: PhoneNumber): Promise<void> {
  return writeRecord(out, phone, async (level, fields) => (await import('./phone-table.js')).renderPhoneNumberTable(phone, level, fields));
}

/** A user's phone numbers: an array in JSON (`[]` when none), one object a line in JSON Lines. */
export async function writePhoneNumberList(out: OutputTarget, phones: PhoneNumber[], primaryId: string | null): Promise<void> {
  if (out.format === 'table') {
    const { renderPhoneNumberList } = await import('./phone-table.js');
    out.stdout.write(renderPhoneNumberList(phones, primaryId, out.colorLevel, out.fields));
    return;
  }
  const picked = phones.map((phone) => pickFields(phone, out.fields));
  out.stdout.write(out.format === 'json' ? renderJson(picked) : renderJsonLines(picked));
}

export function writeDeleted(out: OutputTarget, deleted: DeletedObject, id: string): void {
  out.stdout.write(out.format === 'table' ? `Deleted phone number ${id}\n` : renderMachine(out.format, deleted));
}

/** What --dry-run would have sent: JSON for scripts, or the request as HTTP reads for a person. */
export function writeRequestPreview(out: OutputTarget, preview: RequestPreview): void {
  if (out.format !== 'table') {
    out.stdout.write(renderMachine(out.format, preview));
    return;
  }
  const headers = Object.entries(preview.headers).map(([name, value]) => `${name}: ${value}\n`);
  const body = preview.body === undefined ? '' : `\n${JSON.stringify(preview.body, null, 2)}\n`;
  out.stdout.write(`Dry run, nothing sent:\n${preview.method} ${preview.url}\n${headers.join('')}${body}`);
}

/** A verification (`phone verify send|check`): a key/value table, or the API object as returned. */
export function writeVerification(out: OutputTarget, verification: Verification): Promise<void> {
  return writeRecord(out, verification, async (level, fields) =>
    (await import('./verification-table.js')).renderVerificationTable(verification, level, fields),
  );
}

/**
 * `phone replace --dry-run`: the PUT that would be sent and the phone numbers it would delete. In
 * JSON they travel together (`would_delete`: the API's objects); for a person the numbers go to
 * stderr (`summary`) and the request to stdout, as every dry run prints it.
 */
export function writeReplacePreview(out: OutputTarget, preview: RequestPreview, wouldDelete: PhoneNumber[], summary: string): void {
  if (out.format === 'table') {
    out.stderr.write(summary);
    writeRequestPreview(out, preview);
    return;
  }
  out.stdout.write(renderMachine(out.format, { ...preview, would_delete: wouldDelete }));
}
