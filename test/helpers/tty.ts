import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { needs } from './programs.ts';
import { BIN, tempDir } from './run-cli.ts';

/** The options of a test that uses runInTty: it runs script(1), skipped where that is missing. */
export const needsTty = needs('script');

/** What a run on a pseudo-terminal produced: stdout and stderr share the terminal, so they arrive merged. */
export interface TtyResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Everything written to the terminal, `\r` removed. */
  output: string;
}

export interface TtyOptions {
  /** The whole environment of the CLI (PATH, HOME and XDG_CONFIG_HOME are added unless given; undefined removes one). */
  env?: Record<string, string | undefined>;
  cwd?: string;
  /**
   * Text to type once `waitFor` holds: a string that has appeared on the terminal, or a
   * condition polled every 20 ms. Typed at once when `waitFor` is not given.
   */
  input?: string;
  waitFor?: string | (() => boolean);
  /** Shell redirection appended to the command, e.g. `> out.json`: that stream is then not the terminal. */
  redirect?: string;
  timeoutMs?: number;
}

/** Single-quotes a word for /bin/sh. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export const ANSI = /\x1b\[[0-9;]*[A-Za-z]/;
export const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

/**
 * Runs the built CLI under `script -qec`, so its stdin, stdout and stderr are a terminal.
 * Asynchronous: the fake server lives in the test process and must keep answering.
 */
export function runInTty(args: string[], options: TtyOptions = {}): Promise<TtyResult> {
  const home = options.env?.HOME ?? tempDir('phone-home-');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    SHELL: '/bin/sh',
    TERM: 'xterm-256color',
  };
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ') + (options.redirect ? ` ${options.redirect}` : '');
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolvePromise, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: options.cwd ?? tempDir(), env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let typed = false;
    const type = () => {
      if (typed || options.input === undefined) return;
      typed = true;
      child.stdin.write(options.input);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (typeof options.waitFor === 'string' && output.replace(/\r/g, '').includes(options.waitFor)) type();
    });
    const waitFor = options.waitFor;
    const poll =
      typeof waitFor === 'function'
        ? setInterval(() => {
            if (waitFor()) {
              clearInterval(poll);
              type();
            }
          }, 20)
        : undefined;
    // script itself reports only its own failures here.
    let scriptErrors = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (scriptErrors += chunk));
    const timer = setTimeout(() => {
      clearInterval(poll);
      child.kill('SIGKILL');
      reject(
        new Error(
          `phone ${args.join(' ')} on a terminal did not finish within ${timeoutMs} ms\noutput: ${output}\nscript: ${scriptErrors}`,
        ),
      );
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      if (scriptErrors) return reject(new Error(`script failed: ${scriptErrors}`));
      resolvePromise({ code, signal, output: output.replace(/\r/g, '') });
    });
    child.stdin.on('error', () => {});
    if (options.waitFor === undefined) type();
  });
}
