import { createInterface } from 'node:readline';
import type { IO } from './io.js';

/**
 * Asks a yes/no question on stderr and reads one line; only `y` or `yes` agree. Not in
 * terminal mode, so Ctrl-C stays a signal and ends the process with 130.
 */
export function confirm(io: IO, question: string): Promise<boolean> {
  io.stderr.write(`${question} [y/N] `);
  const lines = createInterface({ input: io.stdin, terminal: false });
  return new Promise((resolve) => {
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      resolve(/^y(es)?$/i.test(line.trim()));
    });
    lines.once('close', () => {
      if (!answered) resolve(false);
    });
  });
}
