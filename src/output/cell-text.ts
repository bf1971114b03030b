/**
 * A value as the text of a table cell, for every table: the boxed ones of table-kit and the
 * fixed-width one of `list --all`. Kept apart from table-kit so that a table drawn without
 * cli-table3 and chalk does not load them.
 */

/** Any value as a cell: `—` for nothing, JSON for objects Clerk may add. */
export function text(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** A flag as a cell: `yes`, `no`, or `—` when Clerk sent no boolean. */
export function yesNo(value: unknown): string {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  return '—';
}
