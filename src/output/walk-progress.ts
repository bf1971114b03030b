import { escapeForTerminal } from './terminal-text.js';

const CLEAR_LINE = '\r\x1b[2K';

/**
 * The progress line of `phone list --all`, on stderr when it is a terminal: users read of the
 * total `/v1/users/count` gave. A stdout on the same terminal (the table) clears it before each
 * page is written and draws it again after.
 */
export interface WalkProgress {
  read(users: number): void;
  /** Before a write to stdout; read() draws the line again. */
  hide(): void;
  end(): void;
}

export function createWalkProgress(stderr: NodeJS.WritableStream, stdoutIsTTY: boolean, total: number | undefined): WalkProgress {
  let users = 0;
  let shown = false;
  const draw = () => {
    // Users added during the walk can take it past the total read at the start: then it only counts.
    const of = total === undefined || users > total ? '' : ` of ${total}`;
    stderr.write(`${CLEAR_LINE}${escapeForTerminal(`users read: ${users}${of}`)}`);
    shown = true;
  };
  const clear = () => {
    if (shown) stderr.write(CLEAR_LINE);
    shown = false;
  };
  draw();
  return {
    read(count) {
      users += count;
      draw();
    },
    hide() {
      if (stdoutIsTTY) clear();
    },
    end: clear,
  };
}

/** Off a terminal: nothing. */
export const NO_PROGRESS: WalkProgress = { read() {}, hide() {}, end() {} };
