import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, tempDir, type CliResult } from './run-cli.ts';

export interface FdRunOptions {
  env: Record<string, string>;
  /** A file or device to read stdin from (say /dev/zero); empty stdin otherwise. */
  stdinPath?: string;
  /** A file or device to write stdout to (say /dev/full); captured otherwise. */
  stdoutPath?: string;
  timeoutMs?: number;
}

/**
 * The built CLI with stdin or stdout bound to a file or device rather than a pipe, as a shell's
 * `< /dev/zero` or `> /dev/full` does, and its peak resident set size (bench/peak-rss.cjs).
 */
export function runWithFds(args: string[], options: FdRunOptions): Promise<CliResult & { peakRssMb: number }> {
  const home = tempDir('phone-home-');
  const stdin = options.stdinPath ? openSync(options.stdinPath, 'r') : 'pipe';
  const stdout = options.stdoutPath ? openSync(options.stdoutPath, 'w') : 'pipe';
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', join(ROOT, 'bench', 'peak-rss.cjs'), BIN, ...args], {
      cwd: tempDir(),
      env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), ...options.env },
      stdio: [stdin, stdout, 'pipe'],
    });
    for (const fd of [stdin, stdout]) if (typeof fd === 'number') closeSync(fd);
    if (child.stdin) child.stdin.end();
    let out = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`phone ${args.join(' ')} did not finish\nstderr: ${stderr.slice(-2000)}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const peak = /\npeak-rss-kb (\d+)\n$/.exec(stderr);
      if (!peak) return reject(new Error(`no peak RSS line:\n${stderr.slice(-2000)}`));
      const rest = stderr.slice(0, peak.index).replace(/\n$/, '');
      resolve({ code, signal, stdout: out, stderr: rest ? `${rest}\n` : '', peakRssMb: Number(peak[1]) / 1024 });
    });
  });
}
