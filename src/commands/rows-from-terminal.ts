import type { CommandContext } from '../context.js';

/**
 * `--file -` with a terminal as standard input waits for rows to be typed; without a word it looks
 * hung. Said on stderr, so a redirected stdout stays data only.
 */
export function announceRowsFromTerminal(ctx: CommandContext, file: string): void {
  if (file !== '-' || !ctx.io.stdin.isTTY) return;
  ctx.io.stderr.write('Reading rows from standard input (JSON Lines, or CSV with a header row); press Ctrl-D on a new line to end.\n');
}
