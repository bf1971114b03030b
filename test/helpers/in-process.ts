import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Socket } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { runInThisContext } from 'node:vm';
import './build-defines.ts';
import { main } from '../../src/cli.ts';
import type { IO } from '../../src/io.ts';
import { BIN, cliEnv, tempDir, type CliResult, type RunOptions } from './run-cli.ts';

/**
 * `main(argv, io)` run in this process, the way gh's `iostreams.Test()` runs a command: buffered
 * streams, a terminal flag per stream, an environment of its own. The result has the shape of
 * `runCli`'s, so a test switches between the two by one word. It runs the source, not the bundle:
 * signals, pipes, start-up and the bundle itself stay with `runCli`.
 *
 * The CLI shares this process with the test, so every run puts back what it may touch, and fails
 * loudly when something it cannot put back changed: see `isolated`.
 */
export interface InProcessOptions extends RunOptions {
  /** Which streams claim to be terminals (all false by default, as in a pipe). */
  tty?: { stdout?: boolean; stderr?: boolean; stdin?: boolean };
}

/** The width commander wraps help to on a terminal; a pipe gets none, as in a child process. */
const TERMINAL_COLUMNS = 80;

class CapturedStream extends Writable {
  readonly #chunks: Buffer[] = [];

  constructor(
    readonly isTTY: boolean,
    readonly columns = isTTY ? TERMINAL_COLUMNS : undefined,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.#chunks.push(chunk);
    callback();
  }

  get text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

export async function runInProcess(args: string[], options: InProcessOptions = {}): Promise<CliResult> {
  const env = cliEnv(options.env);
  if (env.XDG_CONFIG_HOME === undefined && env.HOME !== process.env.HOME) {
    // os.homedir() reads this process's HOME, not the CLI's: only a child process can have its own.
    throw new Error('runInProcess: a HOME without XDG_CONFIG_HOME needs a child process; use runCli');
  }
  const stdout = new CapturedStream(Boolean(options.tty?.stdout));
  const stderr = new CapturedStream(Boolean(options.tty?.stderr));
  const stdin = Object.assign(Readable.from(options.stdin ? [Buffer.from(options.stdin)] : []), { isTTY: Boolean(options.tty?.stdin) });
  const io: IO = { stdout, stderr, stdin, env, cwd: options.cwd ?? tempDir() };
  const code = await isolated(args, io, () => withTimeout(main(args, io), args, options.timeoutMs ?? 20_000, stdout, stderr));
  return { code, signal: null, stdout: stdout.text, stderr: stderr.text };
}

function withTimeout(run: Promise<number>, args: string[], ms: number, stdout: CapturedStream, stderr: CapturedStream): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`phone ${args.join(' ')} did not finish within ${ms} ms\nstdout: ${stdout.text}\nstderr: ${stderr.text}`)),
      ms,
    );
  });
  return Promise.race([run, late]).finally(() => clearTimeout(timer));
}

/**
 * Runs `body` with the process-wide state the CLI reads or leaves behind made its own:
 * - process.exitCode: commander's help reads it for its exit code; a failed test before sets it.
 * - process.stdout/stderr `isTTY` and `columns`: commander sizes help by them, not by the injected streams.
 * - the table colors of cli-table3 (@colors/colors), decided once per process from its env and argv.
 * - the working directory: the CLI resolves some relative paths (--config, --secret-key-file, --file)
 *   against process.cwd(), which in a child is the cwd it was given; here it is changed for the run.
 * - keep-alive sockets: a child's connections end with it; here they are closed after the run, so
 *   no run reuses another's connection, and the fake server can close.
 * Afterwards the working directory and the signal listeners must be as the CLI found them.
 */
async function isolated(args: string[], io: IO, body: () => Promise<number>): Promise<number> {
  const exitCode = process.exitCode;
  const cwd = process.cwd();
  const listeners = (['SIGINT', 'SIGTERM'] as const).map((signal) => process.listenerCount(signal));
  const tableColors = tableColorsFor(io.env, args);
  const sockets: Socket[] = [];
  const onSocket = (message: unknown) => sockets.push((message as { socket: Socket }).socket);
  const restoreStreams = [shadowTerminal(process.stdout, io.stdout), shadowTerminal(process.stderr, io.stderr)];
  process.exitCode = undefined;
  process.chdir(io.cwd);
  subscribe('net.client.socket', onSocket);
  let code: number;
  let left: string;
  try {
    code = await body();
  } finally {
    unsubscribe('net.client.socket', onSocket);
    for (const restore of restoreStreams) restore();
    tableColors.restore();
    process.exitCode = exitCode;
    await Promise.all(sockets.map(closeSocket));
    left = process.cwd();
    process.chdir(cwd);
  }
  if (left !== realpathSync(io.cwd)) throw new Error(`runInProcess: the CLI left the working directory at ${left}`);
  const after = (['SIGINT', 'SIGTERM'] as const).map((signal) => process.listenerCount(signal));
  if (after.join() !== listeners.join()) throw new Error(`runInProcess: the CLI left signal listeners behind (${listeners} → ${after})`);
  return code;
}

function closeSocket(socket: Socket): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()).destroy());
}

/** Makes a process stream claim the terminal state of the injected one, until the returned function runs. */
function shadowTerminal(stream: NodeJS.WriteStream, injected: IO['stdout']): () => void {
  const own = { isTTY: Object.getOwnPropertyDescriptor(stream, 'isTTY'), columns: Object.getOwnPropertyDescriptor(stream, 'columns') };
  const fake = injected as CapturedStream;
  Object.defineProperty(stream, 'isTTY', { value: fake.isTTY, configurable: true, writable: true });
  Object.defineProperty(stream, 'columns', { value: fake.columns, configurable: true, writable: true });
  return () => {
    for (const key of ['isTTY', 'columns'] as const) {
      if (own[key]) Object.defineProperty(stream, key, own[key]);
      else delete (stream as unknown as Record<string, unknown>)[key];
    }
  };
}

/**
 * cli-table3 colors table heads and borders through @colors/colors, which decides once per process
 * from that process's env and argv. Its own decision code is evaluated here against the CLI's env and
 * argv, and set on the one instance cli-table3 uses, for this run.
 */
const requireFromTable = createRequire(createRequire(import.meta.url).resolve('cli-table3'));
const tableColorState = requireFromTable('@colors/colors/safe') as { enabled: boolean };
const supportsColorsFile = join(dirname(requireFromTable.resolve('@colors/colors/safe')), 'lib', 'system', 'supports-colors.js');

function tableColorsFor(env: NodeJS.ProcessEnv, args: string[]): { restore(): void } {
  const before = tableColorState.enabled;
  const childProcess = { env, argv: [process.execPath, BIN, ...args], platform: process.platform, versions: process.versions };
  const supportsColors = loadWithProcess(supportsColorsFile, childProcess) as { supportsColor(): unknown };
  tableColorState.enabled = supportsColors.supportsColor() !== false;
  return { restore: () => void (tableColorState.enabled = before) };
}

/** Evaluates a CommonJS file (and its relative requires) with `process` replaced. */
function loadWithProcess(file: string, fakeProcess: object): unknown {
  const module = { exports: {} as unknown };
  const wrapper = runInThisContext(`(function (exports, require, module, process) {${readFileSync(file, 'utf8')}\n})`, {
    filename: file,
  }) as (exports: unknown, require: (id: string) => unknown, module: { exports: unknown }, process: object) => void;
  const localRequire = (id: string) => (id.startsWith('.') ? loadWithProcess(join(dirname(file), id), fakeProcess) : requireFromTable(id));
  wrapper(module.exports, localRequire, module, fakeProcess);
  return module.exports;
}
