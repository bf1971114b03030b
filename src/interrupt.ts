import { ExitCode } from './errors.js';

/**
 * Ctrl-C and SIGTERM end a single command at once with 130. A batch run registers a handler
 * instead: the first signal asks it to stop starting rows, a second one quits at once.
 */
let handler: (() => void) | undefined;

export function onInterrupt(callback: () => void): () => void {
  handler = callback;
  return () => {
    if (handler === callback) handler = undefined;
  };
}

export function installSignalHandlers(stderr: NodeJS.WritableStream): void {
  const onSignal = () => {
    const current = handler;
    if (current) {
      handler = undefined;
      current();
      return;
    }
    stderr.write('\nInterrupted\n');
    process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
