import type { Readable } from 'node:stream';

/** The process's streams and surroundings, injected so every command runs without a real terminal. */
export interface IO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A prompt may be shown only to a person: stdin and stderr are terminals and no CI runner says otherwise. */
export function canPrompt(io: IO): boolean {
  const ci = io.env.CI;
  return Boolean(io.stdin.isTTY && io.stderr.isTTY) && (ci === undefined || ci === '' || ci === 'false' || ci === '0');
}
