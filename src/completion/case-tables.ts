import { allCommands, type CommandSpec, type Values } from './model.js';

/**
 * The generated parts of the bash and zsh scripts: the case arms of the three lookup functions
 * that phone.bash and phone.zsh define around them,
 *   PREFIX_child CMD WORD         -> the subcommand WORD names under CMD
 *   PREFIX_spec CMD               -> its subcommands, options, which options take a value, its arguments
 *   PREFIX_values CMD OPTION|#N   -> the choices, or files, for an option's value or the Nth argument,
 *                                    or the words that ask the program for them
 * With `describe` (zsh), names carry their descriptions as `name:description` for _describe.
 */
export function caseTables(root: CommandSpec, prefix: string, describe: boolean): Record<string, string> {
  return {
    'child-cases': childCases(root, `${prefix}__child`),
    'spec-cases': specCases(root, prefix, describe),
    'value-cases': valueCases(root, prefix, describe),
  };
}

/** A single-quoted word for bash and zsh. */
function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function caseKey(path: string, key: string): string {
  return sq(`${path}|${key}`);
}

/** `name`, or for zsh's _describe `name:description` with the name's own colons escaped. */
function describedItem(name: string, description: string, describe: boolean): string {
  if (!describe) return sq(name);
  const escaped = name.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  return sq(description ? `${escaped}:${description}` : escaped);
}

function childCases(root: CommandSpec, variable: string): string {
  const lines: string[] = [];
  for (const command of allCommands(root)) {
    for (const sub of command.subcommands) {
      const keys = [sub.name, ...sub.aliases].map((name) => caseKey(command.path, name)).join('|');
      lines.push(`    ${keys}) ${variable}=${sq(sub.path)} ;;`);
    }
  }
  return lines.join('\n');
}

function spacedList(names: string[]): string {
  return sq(` ${names.join(' ')} `);
}

function specCases(root: CommandSpec, prefix: string, describe: boolean): string {
  return allCommands(root)
    .map((command) => {
      const subs = command.subcommands.map((sub) => describedItem(sub.name, sub.description, describe));
      const options = command.options.flatMap((option) => option.names.map((name) => describedItem(name, option.description, describe)));
      const required = command.options.filter((option) => option.value === 'required').flatMap((option) => option.names);
      const optional = command.options.filter((option) => option.value === 'optional').flatMap((option) => option.names);
      const variadic = command.arguments.at(-1)?.variadic ? 1 : 0;
      const requiredArguments = command.arguments.filter((argument) => argument.required).length;
      return [
        `    ${sq(command.path)})`,
        `      ${prefix}_subs=(${subs.join(' ')})`,
        `      ${prefix}_opts=(${options.join(' ')})`,
        `      ${prefix}_required=${spacedList(required)} ${prefix}_optional=${spacedList(optional)}`,
        `      ${prefix}_nargs=${command.arguments.length} ${prefix}_nrequired=${requiredArguments} ${prefix}_variadic=${variadic}`,
        '      ;;',
      ].join('\n');
    })
    .join('\n');
}

const hasValues = (values: Values): boolean => values.choices.length > 0 || values.files || values.ask.length > 0;

/** Every option value and argument that has choices, names a file or is asked for, with its case keys. */
function valuesByKey(root: CommandSpec): { keys: string[]; values: Values }[] {
  const cases: { keys: string[]; values: Values }[] = [];
  for (const command of allCommands(root)) {
    for (const option of command.options) {
      if (option.value === 'none' || !hasValues(option.values)) continue;
      cases.push({ keys: option.names.map((name) => caseKey(command.path, name)), values: option.values });
    }
    command.arguments.forEach((argument, index) => {
      if (!hasValues(argument.values)) return;
      cases.push({ keys: [caseKey(command.path, `#${index}`)], values: argument.values });
    });
  }
  return cases;
}

function valueCases(root: CommandSpec, prefix: string, describe: boolean): string {
  return valuesByKey(root)
    .map(({ keys, values }) => {
      const choices = values.choices.map((choice) => describedItem(choice.value, choice.description, describe));
      const ask = values.ask.length ? ` ${prefix}_ask=(${values.ask.map(sq).join(' ')})` : '';
      return `    ${keys.join('|')})\n      ${prefix}_vals=(${choices.join(' ')}) ${prefix}_files=${values.files ? 1 : 0}${ask} ;;`;
    })
    .join('\n');
}
