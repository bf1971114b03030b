import type { CliError } from '../errors.js';
import type { ColorLevel } from './color.js';

/** An error as stderr shows it: one JSON line for scripts, or text for a person. Each renderer loads only when used. */
export async function renderError(error: CliError, machine: boolean, level: ColorLevel): Promise<string> {
  if (machine) return (await import('./error-report.js')).renderErrorJson(error);
  return (await import('./error-terminal.js')).renderErrorForTerminal(error, level);
}
