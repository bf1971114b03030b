import type { Command } from 'commander';
import { CliError, ExitCode } from './errors.js';

// How a command is called, for usage errors: commander's tree read, never changed.

/** `phone verify check`: the command's name with every parent's. */
function commandPath(command: Command): string {
  return command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();
}

/** What commander cannot tell: these pieces are optional only because a --file form gives them per row. */
const SINGLE_FORMS: Record<string, string> = {
  'phone create': '--user-id <id> --phone-number <number> [options]',
  'phone update': '<phone_number_id> --[no-]verified|--[no-]primary|--[no-]reserved-for-second-factor [options]',
  'phone delete': '<phone_number_id | +E164> [options]',
  'phone list': '--user-id <id> [options]',
};
/** The other form of each: a file of rows, or for list every user's numbers. */
const OTHER_FORMS: Record<string, string> = { 'phone list': '--all [options]' };

/** How the command is called at the least: its required options and arguments (the first line of usage, and of a JSON usage error). */
function synopsis(command: Command): string {
  const path = commandPath(command);
  if (SINGLE_FORMS[path]) return `${path} ${SINGLE_FORMS[path]}, or ${path} ${OTHER_FORMS[path] ?? '--file <path|-> [options]'}`;
  // A usage line the command states itself (`phone auth login [--profile <name>] …`), or one of a command with subcommands.
  if (command.commands.length || !command.usage().startsWith('[options]')) return `${path} ${command.usage()}`;
  const required = command.options.filter((option) => option.mandatory).map((option) => option.flags);
  const args = command.registeredArguments.map((arg) => (arg.required ? `<${arg.name()}>` : `[${arg.name()}]`));
  return [path, ...required, '[options]', ...args].join(' ');
}

export function usageOf(command: Command): string {
  return `Usage: ${synopsis(command)}\nRun '${commandPath(command)} --help' for more.`;
}

/** A usage error of the command's own checks gets the same usage line as commander's. */
export function withUsage(error: unknown, command: Command | undefined): unknown {
  if (!(error instanceof CliError) || error.exitCode !== ExitCode.usage || error.usage || !command) return error;
  return new CliError(error.message, error.exitCode, error.code, { ...error.details, usage: usageOf(command) });
}

/** The subcommand the arguments name, for the usage line of an error. */
export function findCommand(program: Command, argv: string[]): Command {
  let command = program;
  for (const word of argv) {
    const sub = word.startsWith('-') ? undefined : command.commands.find((candidate) => candidate.name() === word);
    if (sub) command = sub;
  }
  return command;
}
