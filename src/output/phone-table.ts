import { verificationOf, type PhoneNumber } from '../api/phone-numbers.js';
import { text, yesNo } from './cell-text.js';
import { formatTimestamp } from './timestamps.js';
import { renderKeyValue, renderTable, rowsFor, statusColor, type Cell, type Row, type TableLayout } from './table-kit.js';

function statusCell(phone: PhoneNumber): string {
  const verification = verificationOf(phone);
  return verification ? text(verification.status) : 'none';
}

function linksCell(phone: PhoneNumber): string {
  const links = Array.isArray(phone.linked_to) ? phone.linked_to : [];
  return links.length ? links.map((link) => `${text(link?.type)} ${text(link?.id)}`).join(', ') : '—';
}

/** A row of the key/value table, and with its short label a column of the list. */
interface Column extends Row<PhoneNumber> {
  short: string;
}

/** Tolerant of any shape the API sends: unknown strategies, nulls, extra fields. */
const COLUMNS: Column[] = [
  { field: 'id', label: 'ID', short: 'ID', cell: (p) => text(p.id) },
  { field: 'phone_number', label: 'Phone number', short: 'Number', cell: (p) => text(p.phone_number) },
  { field: 'verification', label: 'Verification', short: 'Verification', cell: statusCell, color: statusColor },
  { field: 'verification', label: 'Strategy', short: 'Strategy', cell: (p) => text(verificationOf(p)?.strategy) },
  { field: 'reserved', label: 'Reserved', short: 'Reserved', cell: (p) => yesNo(p.reserved) },
  {
    field: 'reserved_for_second_factor',
    label: 'Reserved for second factor',
    short: '2FA',
    cell: (p) => yesNo(p.reserved_for_second_factor),
  },
  { field: 'default_second_factor', label: 'Default second factor', short: 'Default 2FA', cell: (p) => yesNo(p.default_second_factor) },
  { field: 'linked_to', label: 'Linked to', short: 'Linked to', cell: linksCell },
  { field: 'created_at', label: 'Created', short: 'Created', cell: (p) => formatTimestamp(p.created_at) },
  { field: 'updated_at', label: 'Updated', short: 'Updated', cell: (p) => formatTimestamp(p.updated_at) },
];

const LIST_DEFAULT = new Set(['ID', 'Number', 'Verification', 'Strategy', '2FA', 'Created']);

/** One readable key/value table for a phone number. */
export function renderPhoneNumberTable(phone: PhoneNumber, layout: TableLayout, fields?: string[]): string {
  return renderKeyValue(phone, COLUMNS, layout, fields);
}

/** A user's phone numbers, one a row, the primary one marked with `*`. */
export function renderPhoneNumberList(phones: PhoneNumber[], primaryId: string | null, layout: TableLayout, fields?: string[]): string {
  if (phones.length === 0) return 'No phone numbers.\n';
  const columns = rowsFor(fields ? COLUMNS : COLUMNS.filter((column) => LIST_DEFAULT.has(column.short)), fields, (field): Column => ({
    field,
    label: field,
    short: field,
    cell: (p: PhoneNumber) => text(p[field]),
  }));
  const rows = phones.map((phone): Cell[] => [
    { text: phone.id === primaryId ? '*' : '' },
    ...columns.map((column) => ({ text: column.cell(phone), color: column.color })),
  ]);
  return renderTable(layout, rows, ['Primary', ...columns.map((column) => column.short)]);
}
