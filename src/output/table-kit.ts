import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { ColorLevel } from './color.js';

/** What the key/value and list tables share: cell text, status colors, the table's look. */

export type Paint = InstanceType<typeof Chalk>;

export const paintFor = (level: ColorLevel): Paint => new Chalk({ level });

/** Any value as a cell: `—` for nothing, JSON for objects Clerk may add. */
export function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A verification status, colored when it is one Clerk has today; any other shown as it is. */
export function statusText(status: unknown, chalk: Paint): string {
  const shown = text(status);
  if (shown === 'verified') return chalk.green(shown);
  if (shown === 'unverified') return chalk.yellow(shown);
  if (shown === 'failed' || shown === 'expired') return chalk.red(shown);
  return shown;
}

export function createTable(level: ColorLevel, head?: string[]) {
  return new Table({
    ...(head ? { head } : {}),
    // Row separators would double the height of the table without telling anything.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: level ? ['bold'] : [], border: level ? ['grey'] : [] },
  });
}

/** A row of a key/value table: which API field it shows, its label, and how its value reads. */
export interface Row<T> {
  field: string;
  label: string;
  cell: (value: T, chalk: Paint) => string;
}

/** The rows for `--fields`: each field's own rows, or its raw value where it has none. */
export function rowsFor<T extends Record<string, unknown>, R extends Row<T>>(rows: R[], fields: string[] | undefined, raw: (field: string) => R): R[] {
  if (!fields) return rows;
  return fields.flatMap((field) => {
    const own = rows.filter((row) => row.field === field);
    return own.length ? own : [raw(field)];
  });
}

/** One object as a two-column table of labels and values. */
export function renderKeyValue<T extends Record<string, unknown>>(value: T, rows: Row<T>[], level: ColorLevel, fields?: string[]): string {
  const chalk = paintFor(level);
  const table = createTable(level);
  const raw = (field: string): Row<T> => ({ field, label: field, cell: (v: T) => text(v[field]) });
  for (const row of rowsFor<T, Row<T>>(rows, fields, raw)) {
    table.push({ [level ? chalk.bold(row.label) : row.label]: row.cell(value, chalk) });
  }
  return `${table.toString()}\n`;
}
