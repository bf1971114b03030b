import type { InventoryRow } from '../phone/inventory.js';
import { statusOf } from '../phone/inventory.js';
import { text, yesNo } from './cell-text.js';
import { pickFields, type OutputTarget } from './output.js';
import { escapeForTerminal, fitCell } from './terminal-text.js';
import { writeTaken } from './write-output.js';

/**
 * The rows of `phone list --all`, written a page at a time and never collected: a JSON array
 * (`[`, the rows, `]`: the same bytes as the whole list pretty-printed at once), JSON Lines, or a
 * table of fixed column widths whose head is written once. Each page waits until stdout took
 * it, so a slow reader slows the walk instead of filling memory.
 */
export interface RowWriter {
  /** False once stdout's reader went away (EPIPE): nobody reads what follows. */
  page(rows: InventoryRow[]): Promise<boolean>;
  /**
   * Closes the array. `complete`: the walk read every user, so no rows is an answer (`[]`, `No
   * phone numbers.`); a walk cut short with nothing written leaves stdout empty, as every failure
   * does. Safe to call twice: the first call decides.
   */
  end(complete: boolean): Promise<void>;
  readonly written: number;
}

interface Column {
  head: string;
  width: number;
  cell: (row: InventoryRow) => string;
}

/** Clerk IDs are 31-32 characters and numbers at most 16: those stay whole; a longer value is cut with `…`. */
const COLUMNS: Column[] = [
  { head: 'User', width: 32, cell: (row) => text(row.user_id) },
  { head: 'ID', width: 32, cell: (row) => text(row.id) },
  { head: 'Number', width: 16, cell: (row) => text(row.phone_number) },
  { head: 'Status', width: 10, cell: (row) => statusOf(row) },
  { head: 'Primary', width: 7, cell: (row) => yesNo(row.primary) },
  { head: '2FA', width: 3, cell: (row) => yesNo(row.reserved_for_second_factor) },
];

/** With --fields, a column per field, its raw value cut to a width that fits most values. */
function fieldColumns(fields: string[]): Column[] {
  return fields.map((field) => ({ head: field, width: Math.max(field.length, 24), cell: (row) => text(row[field]) }));
}

/** One line of the table: each column's text from the row (or its head), escaped, cut and padded to its width. */
function tableLine(columns: Column[], cellOf: (column: Column) => string): string {
  const shown = columns.map((column) => fitCell(escapeForTerminal(cellOf(column)), column.width).padEnd(column.width));
  return `${shown.join('  ').trimEnd()}\n`;
}

export function createRowWriter(out: OutputTarget): RowWriter {
  let written = 0;
  let open = true;
  let gone = false;
  const columns = out.fields && out.format === 'table' ? fieldColumns(out.fields) : COLUMNS;
  const send = async (chunk: string): Promise<boolean> => {
    if (!gone && chunk !== '') gone = !(await writeTaken(out.stdout, chunk));
    return !gone;
  };
  const render = (row: InventoryRow, first: boolean): string => {
    if (out.format === 'jsonl') return `${JSON.stringify(pickFields(row, out.fields))}\n`;
    if (out.format === 'json') {
      const item = JSON.stringify(pickFields(row, out.fields), null, 2).replace(/\n/g, '\n  ');
      return `${first ? '[\n' : ',\n'}  ${item}`;
    }
    const head = first ? tableLine(columns, (column) => column.head) : '';
    return head + tableLine(columns, (column) => column.cell(row));
  };
  return {
    get written() {
      return written;
    },
    async page(rows) {
      if (!open) return false; // ended by a second Ctrl-C: nothing may follow the closing ]
      let text = '';
      for (const row of rows) text += render(row, written++ === 0);
      return send(text);
    },
    async end(complete) {
      if (!open) return;
      open = false;
      if (written > 0) await send(out.format === 'json' ? '\n]\n' : '');
      else if (complete) await send(out.format === 'json' ? '[]\n' : out.format === 'table' ? 'No phone numbers.\n' : '');
    },
  };
}
