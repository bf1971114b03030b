import { CliError, ExitCode } from '../errors.js';

/** stdout could not take the result (a full disk, a broken device): exit 1, with what went wrong. */
export class OutputError extends CliError {
  constructor(readonly reason: string) {
    super(`cannot write output: ${reason}`, ExitCode.apiRefused, 'output_failed');
    this.name = 'OutputError';
  }
}

/**
 * Writes a command's result and waits until the stream took it, so a failed write (ENOSPC on
 * `> /dev/full`) is an error the command reports, not a silent exit. A reader that went away
 * (`| head`, EPIPE) is no failure: nobody is left to read the rest.
 */
export async function writeOutput(stream: NodeJS.WritableStream, text: string): Promise<void> {
  await writeTaken(stream, text);
}

/** writeOutput, answering whether anyone read it: false once the reader went away (EPIPE). */
export function writeTaken(stream: NodeJS.WritableStream, text: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error?: Error | null) => {
      if (!error) resolve(true);
      else if ((error as NodeJS.ErrnoException).code === 'EPIPE') resolve(false);
      else reject(new OutputError(error.message));
    });
  });
}
