import { spawn } from 'node:child_process';
import { ROOT } from './run-cli.ts';

/** Runs one of the repository's node scripts and collects its exit code and output. */
export function runScript(script: string, args: string[], cwd = ROOT): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], { cwd });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}
