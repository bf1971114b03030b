import type { Verification } from '../api/verifications.js';
import { formatTimestamp } from './timestamps.js';
import { text } from './cell-text.js';
import { renderKeyValue, statusColor, type Row, type TableLayout } from './table-kit.js';

const ROWS: Row<Verification>[] = [
  { field: 'id', label: 'Verification ID', cell: (v) => text(v.id) },
  { field: 'status', label: 'Status', cell: (v) => text(v.status), color: statusColor },
  { field: 'strategy', label: 'Strategy', cell: (v) => text(v.strategy) },
  { field: 'attempts', label: 'Attempts', cell: (v) => text(v.attempts) },
  { field: 'expire_at', label: 'Expires', cell: (v) => formatTimestamp(v.expire_at) },
  { field: 'channel', label: 'Channel', cell: (v) => text(v.channel) },
];

/** One key/value table for a verification; `fields` picks rows, a field without a row shows its raw value. */
export function renderVerificationTable(verification: Verification, layout: TableLayout, fields?: string[]): string {
  return renderKeyValue(verification, ROWS, layout, fields);
}
