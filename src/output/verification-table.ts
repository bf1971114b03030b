import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { Verification } from '../api/verifications.js';
import { formatTimestamp } from './timestamps.js';

type ColorLevel = 0 | 1 | 2 | 3;
type Paint = InstanceType<typeof Chalk>;

function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Tolerant of any status Clerk may add: only the known ones get a color. */
function statusCell(verification: Verification, chalk: Paint): string {
  const status = text(verification.status);
  if (status === 'verified') return chalk.green(status);
  if (status === 'unverified') return chalk.yellow(status);
  if (status === 'failed' || status === 'expired') return chalk.red(status);
  return status;
}

interface Row {
  field: string;
  label: string;
  cell: (verification: Verification, chalk: Paint) => string;
}

const ROWS: Row[] = [
  { field: 'id', label: 'Verification ID', cell: (v) => text(v.id) },
  { field: 'status', label: 'Status', cell: statusCell },
  { field: 'strategy', label: 'Strategy', cell: (v) => text(v.strategy) },
  { field: 'attempts', label: 'Attempts', cell: (v) => text(v.attempts) },
  { field: 'expire_at', label: 'Expires', cell: (v) => formatTimestamp(v.expire_at) },
  { field: 'channel', label: 'Channel', cell: (v) => text(v.channel) },
];

/** One key/value table for a verification; `fields` picks rows, a field without a row shows its raw value. */
export function renderVerificationTable(verification: Verification, level: ColorLevel, fields?: string[]): string {
  const chalk = new Chalk({ level });
  const table = new Table({
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: level ? ['bold'] : [], border: level ? ['grey'] : [] },
  });
  const rows = fields
    ? fields.map((field) => ROWS.find((row) => row.field === field) ?? { field, label: field, cell: (v: Verification) => text(v[field]) })
    : ROWS;
  for (const row of rows) table.push({ [level ? chalk.bold(row.label) : row.label]: row.cell(verification, chalk) });
  return `${table.toString()}\n`;
}
