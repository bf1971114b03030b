import { CliError, ExitCode, usageError } from './errors.js';
import type { IO } from './io.js';

/** No secret key is this long: more is a wrong file or stream, and is not held in memory. */
const MAX_SECRET_LENGTH = 4096;

/** What a terminal in bracketed-paste mode puts around pasted text: ESC [200~ and ESC [201~. */
const BRACKETED_PASTE = new RegExp(`${String.fromCharCode(27)}\\[20[01]~`, 'g');

/**
 * Reads a secret typed on the terminal without showing it: the terminal is put in raw mode, so
 * nothing is echoed and the line never reaches a shell's history. Enter ends it, Backspace takes
 * the last character back, Ctrl-C interrupts (exit 130), Ctrl-D on an empty line gives up.
 */
export function readHiddenLine(io: IO, question: string): Promise<string> {
  const stdin = io.stdin as IO['stdin'] & { setRawMode?: (raw: boolean) => void; isRaw?: boolean };
  const wasRaw = Boolean(stdin.isRaw);
  // Echo off before the question shows: a key pasted the moment it appears must not be echoed.
  stdin.setRawMode?.(true);
  io.stderr.write(question);
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error: Error | undefined) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      stdin.setRawMode?.(wasRaw);
      stdin.pause();
      io.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onEnd = () => finish(usageError('no key entered'));
    // A terminal that went away (EIO): an error, not a crash that leaves it in raw mode.
    const onError = (error: Error) => finish(usageError(`cannot read the terminal: ${error.message}`));
    const onData = (chunk: string) => {
      for (const char of chunk.replace(BRACKETED_PASTE, '')) {
        if (char === '\r' || char === '\n') return finish(undefined);
        if (char === '\x03') return finish(new CliError('interrupted', ExitCode.interrupted, 'interrupted'));
        if (char === '\x04') {
          if (typed === '') return finish(usageError('no key entered'));
          continue;
        }
        if (char === '\x7f' || char === '\b') typed = typed.slice(0, -1);
        else if (char === '\x15') typed = '';
        else if (char >= ' ' && typed.length < MAX_SECRET_LENGTH) typed += char;
      }
    };
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
    stdin.resume();
  });
}

/** The first line of stdin (`--with-key-stdin`), at most MAX_SECRET_LENGTH characters; what follows it is not read. */
export function readFirstLine(io: IO): Promise<string> {
  const { stdin } = io;
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (error: Error | undefined, line = '') => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.off('error', onError);
      stdin.pause();
      if (error) reject(error);
      else resolve(line);
    };
    const onData = (chunk: string) => {
      text += chunk;
      const end = text.search(/\r?\n/);
      if (end >= 0 && end <= MAX_SECRET_LENGTH) return done(undefined, text.slice(0, end));
      if (text.length > MAX_SECRET_LENGTH) {
        done(usageError(`the first line of stdin is longer than ${MAX_SECRET_LENGTH} characters: no secret key is that long`));
      }
    };
    const onEnd = () => done(undefined, text);
    const onError = (error: Error) => done(usageError(`cannot read stdin: ${error.message}`));
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    stdin.once('error', onError);
    stdin.resume();
  });
}
