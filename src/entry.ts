import { main } from './cli.js';
import { installSignalHandlers } from './interrupt.js';

// A reader that went away (`phone get … | head -c1`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
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
}).then((code) => {
  process.exitCode = code;
});
