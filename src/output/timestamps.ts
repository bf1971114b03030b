/**
 * Clerk's spec does not state the unit of `created_at`/`updated_at`; real answers use
 * milliseconds. A value below 1e11 would be before 1973 in milliseconds, so it is read as seconds.
 */
export function formatTimestamp(value: unknown): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return value == null ? '—' : String(value);
  const ms = Math.abs(value) < 1e11 ? value * 1000 : value;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(value) : date.toISOString();
}
