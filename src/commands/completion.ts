import type { Command } from 'commander';
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from '../completion/script.js';
import type { CommandContext } from '../context.js';
import { usageError } from '../errors.js';

/**
 * `phone completion bash|zsh|fish`: prints a static completion script generated from the commander
 * program, so a new command, option or choice is completed without touching the completion code.
 */
export async function runCompletion(ctx: CommandContext, shell: string, program: Command): Promise<void> {
  if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
    throw usageError(`unknown shell '${shell}'; choose one of ${COMPLETION_SHELLS.join(', ')}`);
  }
  ctx.io.stdout.write(completionScript(shell as CompletionShell, program));
}
