import { createInterface } from 'node:readline';
import { usageError } from './errors.js';
import { canPrompt, type IO } from './io.js';
import { escapeForTerminal } from './output/terminal-text.js';

/**
 * Asks a yes/no question on stderr and reads one line; only `y` or `yes` agree. Not in
 * terminal mode, so Ctrl-C stays a signal and ends the process with 130. The question names
 * what the API returned (an ID, a number): escaped, as everything from outside on a terminal.
 */
export function confirm(io: IO, question: string): Promise<boolean> {
  io.stderr.write(`${escapeForTerminal(question)} [y/N] `);
  const lines = createInterface({ input: io.stdin, terminal: false });
  return new Promise((resolve) => {
    let answered = false;
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      resolve(/^y(es)?$/i.test(line.trim()));
    });
    lines.once('close', () => {
      if (answered) return;
      // Ctrl-D ends the input, not the line the question is on: end it, so what follows starts on its own.
      io.stderr.write('\n');
      resolve(false);
    });
  });
}

/** The confirmation of a destructive command: whether it asks, and the question once it knows what to ask. */
export interface ConfirmationGate {
  asks: boolean;
  /**
   * Asks (when it asks at all) and says whether to go on. A declined question prints `declined`
   * (`Not deleted.`) on stderr: an answer, not a mistake, so no error and no usage follow it.
   */
  confirm(question: string, declined: string): Promise<boolean>;
}

/**
 * `skip` (--yes, or a dry run, which changes nothing) means no question. Otherwise only a person
 * at a terminal can answer: that is checked at once, before any request.
 */
export function confirmationGate(io: IO, skip: boolean): ConfirmationGate {
  const asks = !skip;
  if (asks && !canPrompt(io)) throw usageError('--yes is required when not running interactively');
  return {
    asks,
    async confirm(question, declined) {
      if (!asks || (await confirm(io, question))) return true;
      io.stderr.write(`${declined}\n`);
      return false;
    },
  };
}
