import { Chalk } from 'chalk';
import type { CliError } from '../errors.js';
import type { ColorLevel } from './color.js';
import { renderErrorText } from './error-report.js';

/** The text form of an error, colored at the given chalk level (0: none); apart, so JSON errors and batch runs never load chalk. */
export function renderErrorForTerminal(error: CliError, level: ColorLevel): string {
  const chalk = new Chalk({ level });
  return renderErrorText(error, { red: chalk.red, dim: chalk.dim });
}
