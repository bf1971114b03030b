import type { Argument, Command, Option } from 'commander';

/**
 * What a shell needs to know about each command, read from the commander program: the one source
 * the completion tables of every shell are generated from.
 */

interface Choice {
  value: string;
  description: string;
}

/** What may follow an option that takes a value, or stand at an argument's position. */
export interface Values {
  choices: Choice[];
  files: boolean;
  /** The words after the program's name that make it print the values, one a line; empty when none. */
  ask: string[];
}

interface OptionSpec {
  /** `-o`, `--output`: every spelling that names the option. */
  names: string[];
  description: string;
  value: 'none' | 'required' | 'optional';
  values: Values;
}

interface ArgumentSpec {
  required: boolean;
  variadic: boolean;
  values: Values;
}

export interface CommandSpec {
  /** Canonical names from the program down, joined by spaces: `phone config path`. */
  path: string;
  name: string;
  aliases: string[];
  description: string;
  /** The command's own options and, after them, the ones of its ancestors it does not shadow. */
  options: OptionSpec[];
  arguments: ArgumentSpec[];
  subcommands: CommandSpec[];
}

/**
 * Options whose values only the program knows when Tab is pressed (the profiles of the config in
 * effect): the script runs `PROGNAME [--config <file>] -o table <words>` for them.
 */
const ASKED_VALUES: Record<string, string[]> = { '--profile': ['config', 'profiles'] };

/** A value that names a file: `<path>`, `<file>`, `<path|->`, `<dir>`. */
const FILE_VALUE = /\b(path|paths|file|files|filename|dir|directory)\b/i;

function oneLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

function placeholder(option: Option): string {
  return /[<[]([^>\]]*)[>\]]/.exec(option.flags)?.[1] ?? '';
}

function optionSpec(option: Option): OptionSpec {
  const names = [option.short, option.long].filter((name): name is string => Boolean(name));
  const value = option.required ? 'required' : option.optional ? 'optional' : 'none';
  const files =
    value !== 'none' && !option.argChoices && (FILE_VALUE.test(placeholder(option)) || /-(file|path|dir)$/.test(option.long ?? ''));
  return {
    names,
    description: oneLine(option.description ?? ''),
    value,
    values: {
      choices: (option.argChoices ?? []).map((value) => ({ value, description: '' })),
      files,
      ask: (option.long && ASKED_VALUES[option.long]) || [],
    },
  };
}

function argumentSpec(argument: Argument): ArgumentSpec {
  return {
    required: argument.required,
    variadic: argument.variadic,
    values: {
      choices: (argument.argChoices ?? []).map((value) => ({ value, description: '' })),
      files: !argument.argChoices && FILE_VALUE.test(argument.name()),
      ask: [],
    },
  };
}

/** Own options first; an inherited one is dropped when the command reuses one of its names. */
function mergeOptions(own: OptionSpec[], inherited: OptionSpec[]): OptionSpec[] {
  const taken = new Set(own.flatMap((option) => option.names));
  return [...own, ...inherited.filter((option) => !option.names.some((name) => taken.has(name)))];
}

function describeCommand(command: Command, parentPath: string | null, inherited: OptionSpec[]): CommandSpec {
  const help = command.createHelp();
  const path = parentPath === null ? command.name() : `${parentPath} ${command.name()}`;
  const options = mergeOptions(help.visibleOptions(command).map(optionSpec), inherited);
  // Options of a command are also accepted after its subcommands (unless positional options are on).
  const passedDown = mergeOptions(command.options.filter((option) => !option.hidden).map(optionSpec), inherited);
  const visible = help.visibleCommands(command);
  const subcommands = visible.map((sub) => {
    const spec = describeCommand(sub, path, passedDown);
    // commander's implicit `help [command]`: its argument is one of its siblings.
    if (!command.commands.includes(sub) && spec.arguments.length > 0) {
      const siblings = visible
        .filter((other) => other !== sub)
        .map((other) => ({ value: other.name(), description: oneLine(other.description()) }));
      spec.arguments[0] = { required: false, variadic: false, values: { choices: siblings, files: false, ask: [] } };
    }
    return spec;
  });
  return {
    path,
    name: command.name(),
    aliases: command.aliases(),
    description: oneLine(command.description()),
    options,
    arguments: command.registeredArguments.map(argumentSpec),
    subcommands,
  };
}

export function describeProgram(program: Command): CommandSpec {
  return describeCommand(program, null, []);
}

export function allCommands(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.subcommands.flatMap(allCommands)];
}

export function identifier(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}
