import { ExitCode } from './errors.js';

/**
 * Ctrl-C and SIGTERM end a single command at once with 130. A batch run registers handlers
 * instead: the first signal asks it to stop starting rows, a second one quits at once, once the
 * run has said what it must (the rows that may have reached the server) or QUIT_GRACE_MS passed.
 */
export interface InterruptHandlers {
  first(): void;
  again(): Promise<void>;
}

/** Long enough to write a few result lines, short enough that a second Ctrl-C still feels immediate. */
const QUIT_GRACE_MS = 2_000;

let handlers: InterruptHandlers | undefined;
let signalled = 0;

export function onInterrupt(callback: InterruptHandlers): () => void {
  handlers = callback;
  signalled = 0;
  return () => {
    if (handlers === callback) handlers = undefined;
  };
}

export function installSignalHandlers(stderr: NodeJS.WritableStream): void {
  const onSignal = () => {
    const current = handlers;
    signalled++;
    if (current && signalled === 1) return current.first();
    if (current && signalled === 2) {
      setTimeout(() => process.exit(ExitCode.interrupted), QUIT_GRACE_MS);
      void current.again().finally(() => process.exit(ExitCode.interrupted));
      return;
    }
    if (!current) stderr.write('\nInterrupted\n');
    process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
