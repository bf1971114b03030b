import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { ColorLevel } from './color.js';
import { escapeForTerminal, fitCell } from './terminal-text.js';
import { text } from './cell-text.js';

/** What the key/value and list tables share: cell text, status colors, the table's look and fit. */

export type Paint = InstanceType<typeof Chalk>;

export const paintFor = (level: ColorLevel): Paint => new Chalk({ level });

/** How a table is drawn: its color level, and the terminal's width when it goes to one (undefined: as wide as it takes). */
export interface TableLayout {
  level: ColorLevel;
  width: number | undefined;
}

/** A verification status, colored when it is one Clerk has today; any other shown as it is. */
export function statusColor(shown: string, chalk: Paint): string {
  if (shown === 'verified') return chalk.green(shown);
  if (shown === 'unverified') return chalk.yellow(shown);
  if (shown === 'failed' || shown === 'expired') return chalk.red(shown);
  return shown;
}

/** A cell's plain text, and how to color it once it is escaped and cut. */
export interface Cell {
  text: string;
  color?: (shown: string, chalk: Paint) => string;
}

/** cli-table3 draws `│ ` before each cell and ` │` after the last: three columns a cell, one more a row. */
const BORDER_PER_COLUMN = 3;

/**
 * A column this narrow is never cut: IDs (31 characters), numbers, dates and statuses stay whole,
 * since people copy them; only longer values give way.
 */
export const UNCUT_COLUMN_WIDTH = 32;

/**
 * Column widths that fit `available` characters: the widest columns give way first, down to the
 * same cap, but never below UNCUT_COLUMN_WIDTH (so a 64 kB value takes what the labels leave, and
 * short columns keep their width). When the short columns alone are wider, the table is too.
 */
export function fitWidths(natural: number[], available: number): number[] {
  const total = natural.reduce((sum, width) => sum + width, 0);
  if (total <= available) return natural;
  let low = UNCUT_COLUMN_WIDTH;
  let high = Math.max(low, ...natural);
  // The largest cap whose columns still fit: binary search, as the sum only grows with the cap.
  while (low < high) {
    const cap = Math.ceil((low + high) / 2);
    if (natural.reduce((sum, width) => sum + Math.min(width, cap), 0) <= available) low = cap;
    else high = cap - 1;
  }
  return natural.map((width) => Math.min(width, low));
}

/**
 * Draws rows of cells. Every cell is escaped for the terminal and, on a terminal, cut to its
 * column's width before cli-table3 sees it: cli-table3 measures and pads every line of a cell,
 * which for one long value (or one with 20,000 lines) takes seconds; an escaped, cut cell is one short line.
 */
export function renderTable(layout: TableLayout, rows: Cell[][], head?: string[]): string {
  const chalk = paintFor(layout.level);
  const headTexts = head?.map((label) => escapeForTerminal(label));
  let shown = rows.map((row) => row.map((cell) => escapeForTerminal(cell.text)));
  let colWidths: number[] | undefined;
  if (layout.width !== undefined) {
    const columns = Math.max(head?.length ?? 0, ...rows.map((row) => row.length));
    const available = Math.max(columns, layout.width - BORDER_PER_COLUMN * columns - 1);
    shown = shown.map((row) => row.map((cell) => fitCell(cell, available)));
    const natural = Array.from({ length: columns }, (_, index) =>
      Math.max(headTexts?.[index]?.length ?? 0, ...shown.map((row) => row[index]?.length ?? 0)),
    );
    const widths = fitWidths(natural, available);
    if (widths !== natural) {
      shown = shown.map((row) => row.map((cell, index) => fitCell(cell, widths[index]!)));
      // Padding included; a wide character that still overflows is cut by cli-table3 on a short string.
      colWidths = widths.map((width) => width + 2);
    }
  }
  const table = new Table({
    ...(headTexts ? { head: headTexts } : {}),
    ...(colWidths ? { colWidths } : {}),
    // Row separators would double the height of the table without telling anything.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: layout.level ? ['bold'] : [], border: layout.level ? ['grey'] : [] },
  });
  rows.forEach((row, r) => table.push(row.map((cell, c) => (cell.color ? cell.color(shown[r]![c]!, chalk) : shown[r]![c]!))));
  return `${table.toString()}\n`;
}

/** A row of a key/value table: which API field it shows, its label, and how its value reads. */
export interface Row<T> {
  field: string;
  label: string;
  cell: (value: T) => string;
  color?: Cell['color'];
}

/** The rows for `--fields`: each field's own rows, or its raw value where it has none. */
export function rowsFor<T extends Record<string, unknown>, R extends Row<T>>(
  rows: R[],
  fields: string[] | undefined,
  raw: (field: string) => R,
): R[] {
  if (!fields) return rows;
  return fields.flatMap((field) => {
    const own = rows.filter((row) => row.field === field);
    return own.length ? own : [raw(field)];
  });
}

const bold = (shown: string, chalk: Paint) => chalk.bold(shown);

/** One object as a two-column table of labels and values. */
export function renderKeyValue<T extends Record<string, unknown>>(
  value: T,
  rows: Row<T>[],
  layout: TableLayout,
  fields?: string[],
): string {
  const raw = (field: string): Row<T> => ({ field, label: field, cell: (v: T) => text(v[field]) });
  const cells = rowsFor<T, Row<T>>(rows, fields, raw).map((row): Cell[] => [
    { text: row.label, color: bold },
    { text: row.cell(value), color: row.color },
  ]);
  return renderTable(layout, cells);
}
