import { main } from './cli.js';
import { installSignalHandlers } from './interrupt.js';

// A reader that went away (`phone get … | head -c1`) is not an error worth a stack trace, and
// neither is any other failure to write: there is nobody left to tell.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') process.exitCode ||= 1;
  });
}

installSignalHandlers(process.stderr);

// Never process.exit() after output: it can cut a piped stdout short. The exit code is set and the process ends by itself.
void main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // main() reports every error itself; this is the last line of defence, without a stack trace.
    process.stderr.write(`phone: unexpected error: ${(error as Error)?.message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
