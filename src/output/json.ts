/** The API's object exactly as returned, pretty-printed: nothing renamed, nothing dropped. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** One compact object a line. */
export function renderJsonLines(values: unknown[]): string {
  return values.map((value) => `${JSON.stringify(value)}\n`).join('');
}

/** One value in a machine format: pretty JSON, or a single compact JSON line. */
export function renderMachine(format: 'json' | 'jsonl', value: unknown): string {
  return format === 'json' ? renderJson(value) : renderJsonLines([value]);
}
