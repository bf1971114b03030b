import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BIN, tempDir, type CliResult } from './run-cli.ts';

export interface Spawned {
  child: ReturnType<typeof spawn>;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when the first complete stdout line has arrived. */
  firstLine: Promise<void>;
  done: Promise<CliResult>;
}

/** Like run-cli.ts, but hands back the child so a test can signal it or close its stdout mid-run. */
export function spawnCli(args: string[], env: Record<string, string>, timeoutMs = 20_000): Spawned {
  const home = tempDir('phone-home-');
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: tempDir(),
    env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let onFirstLine: () => void = () => {};
  const firstLine = new Promise<void>((resolve) => (onFirstLine = resolve));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.includes('\n')) onFirstLine();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const done = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`phone ${args.join(' ')} did not finish within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  child.stdin!.end('');
  return { child, stdout: () => stdout, stderr: () => stderr, firstLine, done };
}
