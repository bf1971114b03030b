import { allCommands, type CommandSpec } from './model.js';

/**
 * The generated parts of the fish script: the switch arms of the two lookup functions phone.fish
 * defines around them, and one `complete` line per command, option and value, each guarded by
 * PREFIX_at (is the cursor in this command, at this argument).
 */
export function fishTables(root: CommandSpec, prefix: string): Record<string, string> {
  const commands = allCommands(root);
  return {
    'child-cases': commands
      .flatMap((command) =>
        command.subcommands.map(
          (sub) =>
            `        case ${[sub.name, ...sub.aliases].map((alias) => fishPattern(`${command.path}|${alias}`)).join(' ')}\n            echo ${fq(sub.path)}`,
        ),
      )
      .join('\n'),
    'value-cases': commands
      .flatMap((command) => [...takesValueCase(command, 'required', 1), ...takesValueCase(command, 'optional', 2)])
      .join('\n'),
    completions: commands.map((command) => completeLines(root.name, prefix, command).join('\n')).join('\n\n'),
  };
}

/** A single-quoted word for fish. */
function fq(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&')}'`;
}

/** A literal pattern for fish's switch. */
function fishPattern(text: string): string {
  return fq(text.replace(/[\\*?]/g, '\\$&'));
}

/** A value for `complete -a`, which splits its words and expands them as fish would. */
function fishArgument(value: string): string {
  return value.replace(/[\\\s'"$()*?{}[\];&|<>#~]/g, '\\$&');
}

function takesValueCase(command: CommandSpec, kind: 'required' | 'optional', code: number): string[] {
  const names = command.options.filter((option) => option.value === kind).flatMap((option) => option.names);
  return names.length === 0
    ? []
    : [`        case ${names.map((option) => fishPattern(`${command.path}|${option}`)).join(' ')}\n            echo ${code}`];
}

function completeLines(name: string, prefix: string, command: CommandSpec): string[] {
  const at = (position?: string): string => `-n ${fq(`${prefix}_at ${fq(command.path)}${position === undefined ? '' : ` ${position}`}`)}`;
  const describe = (text: string): string => (text ? ` -d ${fq(text)}` : '');
  const lines = [`# ${command.path}`];
  for (const sub of command.subcommands) {
    lines.push(`complete -c ${name} ${at('0')} -f -a ${fq(sub.name)}${describe(sub.description)}`);
  }
  for (const option of command.options) {
    const flags = option.names.map((flag) =>
      flag.startsWith('--') ? `-l ${fq(flag.slice(2))}` : flag.length === 2 ? `-s ${fq(flag.slice(1))}` : `-o ${fq(flag.slice(1))}`,
    );
    let value = '';
    if (option.value === 'required') {
      value = option.values.files ? ' -r -F' : ' -r -f';
      if (option.values.choices.length > 0)
        value += ` -a ${fq(option.values.choices.map((choice) => fishArgument(choice.value)).join(' '))}`;
      if (option.values.ask.length > 0) value += ` -a ${fq(`(${prefix}_ask ${option.values.ask.map(fishArgument).join(' ')})`)}`;
    }
    lines.push(`complete -c ${name} ${at()} ${flags.join(' ')}${value}${describe(option.description)}`);
  }
  command.arguments.forEach((argument, index) => {
    const position = argument.variadic ? `${index}+` : `${index}`;
    if (argument.values.files) lines.push(`complete -c ${name} ${at(position)} -F`);
    for (const choice of argument.values.choices) {
      lines.push(`complete -c ${name} ${at(position)} -f -a ${fq(fishArgument(choice.value))}${describe(choice.description)}`);
    }
  });
  return lines;
}
