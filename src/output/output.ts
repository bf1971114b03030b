import type { DeletedObject, PhoneNumber } from '../api/phone-numbers.js';
import type { RequestPreview } from '../api/dry-run.js';
import type { Verification } from '../api/verifications.js';
import type { ColorLevel } from './color.js';
import { renderJson, renderJsonLines, renderMachine } from './json.js';
import type { TableLayout } from './table-kit.js';
import { escapeForTerminal } from './terminal-text.js';
import { writeOutput } from './write-output.js';

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

/** A terminal that does not say how wide it is (a pty of width 0) is taken as the classic 80 columns. */
const DEFAULT_TERMINAL_WIDTH = 80;

/** How tables are drawn: cut to the terminal's width when stdout is one, as wide as they take otherwise. */
function tableLayout(out: OutputTarget): TableLayout {
  const stdout = out.stdout as { isTTY?: boolean; columns?: number };
  const width = stdout.isTTY ? (stdout.columns && stdout.columns > 0 ? stdout.columns : DEFAULT_TERMINAL_WIDTH) : undefined;
  return { level: out.colorLevel, width };
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
  renderTable: (layout: TableLayout, fields: string[] | undefined) => Promise<string>,
): Promise<void> {
  const { format, fields } = out;
  await writeOutput(
    out.stdout,
    format === 'table' ? await renderTable(tableLayout(out), fields) : renderMachine(format, pickFields(value, fields)),
  );
}

export function writePhoneNumber(out: OutputTarget, phone: PhoneNumber): Promise<void> {
  return writeRecord(out, phone, async (layout, fields) =>
    (await import('./phone-table.js')).renderPhoneNumberTable(phone, layout, fields),
  );
}

/** A user's phone numbers: an array in JSON (`[]` when none), one object a line in JSON Lines. */
export async function writePhoneNumberList(out: OutputTarget, phones: PhoneNumber[], primaryId: string | null): Promise<void> {
  if (out.format === 'table') {
    const { renderPhoneNumberList } = await import('./phone-table.js');
    return writeOutput(out.stdout, renderPhoneNumberList(phones, primaryId, tableLayout(out), out.fields));
  }
  const picked = phones.map((phone) => pickFields(phone, out.fields));
  return writeOutput(out.stdout, out.format === 'json' ? renderJson(picked) : renderJsonLines(picked));
}

export function writeDeleted(out: OutputTarget, deleted: DeletedObject, id: string): Promise<void> {
  return writeOutput(
    out.stdout,
    out.format === 'table' ? `Deleted phone number ${escapeForTerminal(id)}\n` : renderMachine(out.format, deleted),
  );
}

/** What --dry-run would have sent: JSON for scripts, or the request as HTTP reads for a person. */
export function writeRequestPreview(out: OutputTarget, preview: RequestPreview): Promise<void> {
  if (out.format !== 'table') return writeOutput(out.stdout, renderMachine(out.format, preview));
  const headers = Object.entries(preview.headers).map(
    ([name, value]) => `${escapeForTerminal(name)}: ${escapeForTerminal(String(value))}\n`,
  );
  // JSON.stringify escapes C0 controls inside strings, so its newlines are layout; C1 and bidi controls it leaves as they are.
  const body = preview.body === undefined ? '' : `\n${escapeForTerminal(JSON.stringify(preview.body, null, 2), { keepNewlines: true })}\n`;
  const request = `${escapeForTerminal(preview.method)} ${escapeForTerminal(preview.url)}`;
  return writeOutput(out.stdout, `Dry run, nothing sent:\n${request}\n${headers.join('')}${body}`);
}

/** A verification (`phone verify send|check`): a key/value table, or the API object as returned. */
export function writeVerification(out: OutputTarget, verification: Verification): Promise<void> {
  return writeRecord(out, verification, async (layout, fields) =>
    (await import('./verification-table.js')).renderVerificationTable(verification, layout, fields),
  );
}

/**
 * `phone replace --dry-run`: the PUT that would be sent and the phone numbers it would delete. In
 * JSON they travel together (`would_delete`: the API's objects); for a person the numbers go to
 * stderr (`summary`) and the request to stdout, as every dry run prints it.
 */
export async function writeReplacePreview(
  out: OutputTarget,
  preview: RequestPreview,
  wouldDelete: PhoneNumber[],
  summary: string,
): Promise<void> {
  if (out.format === 'table') {
    out.stderr.write(summary);
    return writeRequestPreview(out, preview);
  }
  return writeOutput(out.stdout, renderMachine(out.format, { ...preview, would_delete: wouldDelete }));
}
