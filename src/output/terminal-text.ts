/**
 * What a terminal would act on rather than show: C0 controls (ESC starts every escape sequence,
 * CR and backspace overwrite, BEL rings), DEL, the C1 controls (U+009B is a one-character CSI on
 * many terminals) and the bidi embeddings, overrides and isolates, which reorder what follows.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above, newline left out
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escaped(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

export interface EscapeOptions {
  /** Keep `\n` as a line break, for text whose newlines are layout (JSON.stringify escapes those inside strings). */
  keepNewlines?: boolean;
}

/**
 * Text from outside (API data, error messages, file contents) made safe to show on a terminal:
 * every control is written out as it would be in source (`\x1b`, `\r`, `\u009b`), so a hostile
 * value can neither set the window title, clear the screen nor overwrite a line. A newline in
 * data is escaped too, unless told otherwise: only our own layout breaks lines. A backslash is
 * left as it is: this is for safety, not a reversible encoding (the exact value is in the JSON).
 */
export function escapeForTerminal(text: string, options: EscapeOptions = {}): string {
  return text.replace(options.keepNewlines ? CONTROL_EXCEPT_NEWLINE : CONTROL, escaped);
}

/**
 * The text cut to `width` characters, `…` marking the cut; looks at no more than `width + 1`
 * characters, so a 64 kB value costs what a short one does. Counts code points: a wide (CJK)
 * character may still take two columns, which the table then cuts itself on a short string.
 */
export function fitCell(text: string, width: number): string {
  if (!(width >= 1) || text.length <= width) return text;
  let index = 0;
  let cutAt = 0;
  for (let count = 0; index < text.length; count++) {
    if (count === width) return `${text.slice(0, cutAt)}…`;
    if (count === width - 1) cutAt = index;
    index += text.codePointAt(index)! > 0xffff ? 2 : 1;
  }
  return text;
}
