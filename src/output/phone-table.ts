import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { PhoneNumber } from '../api/phone-numbers.js';
import { formatTimestamp } from './timestamps.js';

type ColorLevel = 0 | 1 | 2 | 3;
type Paint = InstanceType<typeof Chalk>;

function yesNo(value: unknown): string {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  return '—';
}

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function verificationOf(phone: PhoneNumber): Record<string, unknown> | null {
  return phone.verification && typeof phone.verification === 'object' ? phone.verification : null;
}

function statusCell(phone: PhoneNumber, chalk: Paint): string {
  const verification = verificationOf(phone);
  if (!verification) return 'none';
  const status = text(verification.status);
  if (status === 'verified') return chalk.green(status);
  if (status === 'unverified') return chalk.yellow(status);
  if (status === 'failed' || status === 'expired') return chalk.red(status);
  return status;
}

function linksCell(phone: PhoneNumber): string {
  const links = Array.isArray(phone.linked_to) ? phone.linked_to : [];
  return links.length ? links.map((link) => `${text(link?.type)} ${text(link?.id)}`).join(', ') : '—';
}

/** A table row or column: which API field it shows, its label, and how a value reads. */
interface Column {
  field: string;
  label: string;
  short: string;
  cell: (phone: PhoneNumber, chalk: Paint) => string;
}

/** Tolerant of any shape the API sends: unknown strategies, nulls, extra fields. */
const COLUMNS: Column[] = [
  { field: 'id', label: 'ID', short: 'ID', cell: (p) => text(p.id) },
  { field: 'phone_number', label: 'Phone number', short: 'Number', cell: (p) => text(p.phone_number) },
  { field: 'verification', label: 'Verification', short: 'Verification', cell: statusCell },
  { field: 'verification', label: 'Strategy', short: 'Strategy', cell: (p) => text(verificationOf(p)?.strategy) },
  { field: 'reserved', label: 'Reserved', short: 'Reserved', cell: (p) => yesNo(p.reserved) },
  { field: 'reserved_for_second_factor', label: 'Reserved for second factor', short: '2FA', cell: (p) => yesNo(p.reserved_for_second_factor) },
  { field: 'default_second_factor', label: 'Default second factor', short: 'Default 2FA', cell: (p) => yesNo(p.default_second_factor) },
  { field: 'linked_to', label: 'Linked to', short: 'Linked to', cell: linksCell },
  { field: 'created_at', label: 'Created', short: 'Created', cell: (p) => formatTimestamp(p.created_at) },
  { field: 'updated_at', label: 'Updated', short: 'Updated', cell: (p) => formatTimestamp(p.updated_at) },
];

const LIST_DEFAULT = new Set(['ID', 'Number', 'Verification', 'Strategy', '2FA', 'Created']);

/** The columns for the chosen fields; a field without a column of its own shows as its raw value. */
function columnsFor(fields: string[] | undefined, fallback: (column: Column) => boolean): Column[] {
  if (!fields) return COLUMNS.filter(fallback);
  return fields.flatMap((field) => {
    const own = COLUMNS.filter((column) => column.field === field);
    return own.length ? own : [{ field, label: field, short: field, cell: (p: PhoneNumber) => text(p[field]) }];
  });
}

function createTable(level: ColorLevel, head?: string[]) {
  return new Table({
    ...(head ? { head } : {}),
    // Row separators would double the height of the table without telling anything.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: level ? ['bold'] : [], border: level ? ['grey'] : [] },
  });
}

/** One readable key/value table for a phone number. */
export function renderPhoneNumberTable(phone: PhoneNumber, level: ColorLevel, fields?: string[]): string {
  const chalk = new Chalk({ level });
  const table = createTable(level);
  for (const column of columnsFor(fields, () => true)) {
    table.push({ [level ? chalk.bold(column.label) : column.label]: column.cell(phone, chalk) });
  }
  return `${table.toString()}\n`;
}

/** A user's phone numbers, one a row, the primary one marked with `*`. */
export function renderPhoneNumberList(phones: PhoneNumber[], primaryId: string | null, level: ColorLevel, fields?: string[]): string {
  if (phones.length === 0) return 'No phone numbers.\n';
  const chalk = new Chalk({ level });
  const columns = columnsFor(fields, (column) => LIST_DEFAULT.has(column.short));
  const table = createTable(level, ['Primary', ...columns.map((column) => column.short)]);
  for (const phone of phones) {
    table.push([phone.id === primaryId ? '*' : '', ...columns.map((column) => column.cell(phone, chalk))]);
  }
  return `${table.toString()}\n`;
}
