import type { Argument, Command, Option } from 'commander';
import type { CommandContext } from '../context.js';
import { usageError } from '../errors.js';

/**
 * `phone completion bash|zsh|fish`: prints a static completion script generated from the commander
 * program, so a new command, option or choice is completed without touching this file. The scripts
 * never run `phone` while completing: all they know is written into them.
 */

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

export async function runCompletion(ctx: CommandContext, shell: string, program: Command): Promise<void> {
  if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
    throw usageError(`unknown shell '${shell}'; choose one of ${COMPLETION_SHELLS.join(', ')}`);
  }
  ctx.io.stdout.write(completionScript(shell as CompletionShell, program));
}

export function completionScript(shell: CompletionShell, program: Command): string {
  const root = describeProgram(program);
  switch (shell) {
    case 'bash':
      return bashScript(root);
    case 'zsh':
      return zshScript(root);
    case 'fish':
      return fishScript(root);
  }
}

// ---------------------------------------------------------------------------------------------
// The model: what a shell needs to know about each command, read from commander.

interface Choice {
  value: string;
  description: string;
}

/** What may follow an option that takes a value, or stand at an argument's position. */
interface Values {
  choices: Choice[];
  files: boolean;
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
  const files = value !== 'none' && !option.argChoices && (FILE_VALUE.test(placeholder(option)) || /-(file|path|dir)$/.test(option.long ?? ''));
  return {
    names,
    description: oneLine(option.description ?? ''),
    value,
    values: { choices: (option.argChoices ?? []).map((value) => ({ value, description: '' })), files },
  };
}

function argumentSpec(argument: Argument): ArgumentSpec {
  return {
    required: argument.required,
    variadic: argument.variadic,
    values: {
      choices: (argument.argChoices ?? []).map((value) => ({ value, description: '' })),
      files: !argument.argChoices && FILE_VALUE.test(argument.name()),
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
  const passedDown = mergeOptions(
    command.options.filter((option) => !option.hidden).map(optionSpec),
    inherited,
  );
  const visible = help.visibleCommands(command);
  const subcommands = visible.map((sub) => {
    const spec = describeCommand(sub, path, passedDown);
    // commander's implicit `help [command]`: its argument is one of its siblings.
    if (!command.commands.includes(sub) && spec.arguments.length > 0) {
      const siblings = visible.filter((other) => other !== sub).map((other) => ({ value: other.name(), description: oneLine(other.description()) }));
      spec.arguments[0] = { required: false, variadic: false, values: { choices: siblings, files: false } };
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

function allCommands(spec: CommandSpec): CommandSpec[] {
  return [spec, ...spec.subcommands.flatMap(allCommands)];
}

function identifier(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

// ---------------------------------------------------------------------------------------------
// bash and zsh share the shape of the generated code: case statements that answer
//   child CMD WORD         -> the subcommand WORD names under CMD
//   spec CMD               -> its subcommands, options, which options take a value, its arguments
//   values CMD OPTION|#N   -> the choices, or files, for an option's value or the Nth argument

/** A single-quoted word for bash and zsh. */
function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function caseKey(path: string, key: string): string {
  return sq(`${path}|${key}`);
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

interface ValueCase {
  keys: string[];
  values: Values;
}

function valueCases(root: CommandSpec): ValueCase[] {
  const cases: ValueCase[] = [];
  for (const command of allCommands(root)) {
    for (const option of command.options) {
      if (option.value === 'none' || (option.values.choices.length === 0 && !option.values.files)) continue;
      cases.push({ keys: option.names.map((name) => caseKey(command.path, name)), values: option.values });
    }
    command.arguments.forEach((argument, index) => {
      if (argument.values.choices.length === 0 && !argument.values.files) return;
      cases.push({ keys: [caseKey(command.path, `#${index}`)], values: argument.values });
    });
  }
  return cases;
}

function spacedList(names: string[]): string {
  return sq(` ${names.join(' ')} `);
}

/** The variables the spec function sets, for bash (names) or zsh (`name:description` for _describe). */
function specCases(root: CommandSpec, prefix: string, describe: boolean): string {
  const escape = (text: string): string => text.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  const item = (name: string, description: string): string => sq(describe && description ? `${escape(name)}:${description}` : describe ? escape(name) : name);
  return allCommands(root)
    .map((command) => {
      const subs = command.subcommands.map((sub) => item(sub.name, sub.description));
      const options = command.options.flatMap((option) => option.names.map((name) => item(name, option.description)));
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

function valuesFunction(root: CommandSpec, prefix: string, describe: boolean): string {
  const escape = (text: string): string => text.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  const body = valueCases(root)
    .map(({ keys, values }) => {
      const choices = values.choices.map((choice) => sq(describe && choice.description ? `${escape(choice.value)}:${choice.description}` : describe ? escape(choice.value) : choice.value));
      return `    ${keys.join('|')})\n      ${prefix}_vals=(${choices.join(' ')}) ${prefix}_files=${values.files ? 1 : 0} ;;`;
    })
    .join('\n');
  return `# ${prefix}_values CMD OPTION|#N: the choices (or files) for an option's value or the Nth argument.
${prefix}_values() {
  ${prefix}_vals=() ${prefix}_files=0
  case "$1|$2" in
${body}
    *) return 1 ;;
  esac
}`;
}

/** The loop that reads the words before the cursor: which command they name, and what is pending. */
function walker(prefix: string, words: string, from: string, to: string, unquote: (word: string) => string): string {
  return `  ${prefix}_spec "$cmd"
  for (( i = ${from}; i < ${to}; i++ )); do
    word=${unquote(words)}
    if (( skip == 1 )) || { (( skip == 2 )) && [[ $word != -?* ]]; }; then
      # the value of the option before it (bash splits --opt=value at "=": skip that too)
      skip=0
      [[ $word == = ]] && skip=1
      continue
    fi
    skip=0
    if (( ! endopts )) && [[ $word == -?* ]]; then
      if [[ $word == -- ]]; then
        endopts=1
      elif [[ $word != *=* ]]; then
        if [[ \$${prefix}_required == *" $word "* ]]; then skip=1 opt=$word
        elif [[ \$${prefix}_optional == *" $word "* ]]; then skip=2 opt=$word
        fi
      fi
      continue
    fi
    if (( npos == 0 )) && ${prefix}_child "$cmd" "$word"; then
      cmd=\$${prefix}__child
      ${prefix}_spec "$cmd"
      continue
    fi
    npos=$(( npos + 1 ))
  done`;
}

function header(shell: CompletionShell, name: string, install: string[]): string {
  return [`# ${shell} completion for ${name}: commands, options and their values.`, `# Generated by \`${name} completion ${shell}\`; regenerate it after upgrading ${name}.`, '# Install:', ...install.map((line) => `#   ${line}`)].join('\n');
}

/**
 * The functions bash and zsh scripts share: which words are subcommands, what each command takes,
 * and the fixed values of options and arguments (with descriptions for zsh).
 */
function commandTables(root: CommandSpec, p: string, describe: boolean): string {
  return `# ${p}_child CMD WORD: is WORD a subcommand of CMD? Sets ${p}__child to its path.
${p}_child() {
  case "$1|$2" in
${childCases(root, `${p}__child`)}
    *) return 1 ;;
  esac
}

# ${p}_spec CMD: the subcommands and options of CMD${describe ? ' (name:description)' : ''}, the options that take a value, its arguments.
${p}_spec() {
  ${p}_subs=() ${p}_opts=() ${p}_required=' ' ${p}_optional=' ' ${p}_nargs=0 ${p}_nrequired=0 ${p}_variadic=0
  case "$1" in
${specCases(root, p, describe)}
  esac
}

${valuesFunction(root, p, describe)}`;
}

function bashScript(root: CommandSpec): string {
  const name = root.name;
  const p = `_${identifier(name)}_completion`;
  return `${header('bash', name, [
    `echo 'source <(${name} completion bash)' >> ~/.bashrc`,
    'or, with the bash-completion package:',
    `${name} completion bash > ~/.local/share/bash-completion/completions/${name}`,
  ])}

${commandTables(root, p, false)}

# ${p}_add PREFIX WORD...: the WORDs that start with the word being completed.
${p}_add() {
  local word prefix=$1
  shift
  for word in "$@"; do
    [[ $word == "$cur"* ]] && COMPREPLY+=("$prefix$word")
  done
}

# ${p}_add_values CMD KEY [PREFIX]: adds the values of KEY; fails if it has none to complete.
${p}_add_values() {
  ${p}_values "$1" "$2" || return 1
  ${p}_add "\${3-}" "\${${p}_vals[@]}"
  if (( ${p}_files )); then
    local file
    compopt -o filenames 2>/dev/null
    while IFS= read -r file; do COMPREPLY+=("\${3-}$file"); done < <(compgen -f -- "$cur")
  fi
  return 0
}

${p}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} cmd=${sq(root.path)} word opt= i skip=0 endopts=0 npos=0 index
  local ${p}__child ${p}_required ${p}_optional ${p}_nargs ${p}_nrequired ${p}_variadic ${p}_files
  local -a ${p}_subs ${p}_opts ${p}_vals
  COMPREPLY=()
${walker(p, '${COMP_WORDS[i]}', '1', 'COMP_CWORD', (w) => w)}
  # The value of an option: --output json, --output=json (split at "=" by COMP_WORDBREAKS or not).
  if (( skip == 1 )); then
    [[ $cur == = ]] && cur=
    ${p}_add_values "$cmd" "$opt"
    return 0
  fi
  if (( ! endopts )) && [[ $cur == -?*=* ]]; then
    opt=\${cur%%=*}
    cur=\${cur#*=}
    ${p}_add_values "$cmd" "$opt" "$opt="
    return 0
  fi
  if (( skip == 2 )) && [[ $cur != -* ]]; then
    ${p}_add_values "$cmd" "$opt"
  fi
  if (( ! endopts )) && [[ $cur == -* ]]; then
    ${p}_add '' "\${${p}_opts[@]}"
    return 0
  fi
  (( npos == 0 )) && ${p}_add '' "\${${p}_subs[@]}"
  index=$npos
  (( ${p}_variadic && index >= ${p}_nargs )) && index=$(( ${p}_nargs - 1 ))
  local values=0
  (( index < ${p}_nargs )) && ${p}_add_values "$cmd" "#$index" && values=1
  # Nothing else fits here, and no argument is due: offer the options.
  if (( \${#COMPREPLY[@]} == 0 && ! values && ! endopts && npos >= ${p}_nrequired )); then
    ${p}_add '' "\${${p}_opts[@]}"
  fi
  return 0
}

complete -F ${p} ${name}
`;
}

function zshScript(root: CommandSpec): string {
  const name = root.name;
  const fn = `_${identifier(name)}`;
  const p = `${fn}_completion`;
  return `#compdef ${name}
${header('zsh', name, [
    `${name} completion zsh > "\${fpath[1]}/_${name}"   # a directory in $fpath, then start a new shell`,
    `or, after compinit in ~/.zshrc: source <(${name} completion zsh)`,
  ])}

${commandTables(root, p, true)}

# ${p}_add_values CMD KEY: completes the values of KEY; fails if it has none to complete.
${p}_add_values() {
  ${p}_values "$1" "$2" || return 1
  local ret=1
  local what="value of $2"
  [[ $2 == '#'* ]] && what=argument
  (( \${#${p}_vals} )) && _describe -t values "$what" ${p}_vals && ret=0
  (( ${p}_files )) && _files && ret=0
  return ret
}

${fn}() {
  local cur=\${words[CURRENT]} cmd=${sq(root.path)} word opt= i skip=0 endopts=0 npos=0 index ret=1 values=0
  local ${p}__child ${p}_required ${p}_optional ${p}_nargs ${p}_nrequired ${p}_variadic ${p}_files
  local -a ${p}_subs ${p}_opts ${p}_vals
${walker(p, '${(Q)words[i]}', '2', 'CURRENT', (w) => w)}
  if (( skip == 1 )); then
    ${p}_add_values "$cmd" "$opt"
    return
  fi
  if (( ! endopts )) && [[ $cur == -?*=* ]]; then
    opt=\${cur%%=*}
    compset -P '*='
    ${p}_add_values "$cmd" "$opt"
    return
  fi
  if (( skip == 2 )) && [[ $cur != -* ]]; then
    ${p}_add_values "$cmd" "$opt" && ret=0
  fi
  if (( ! endopts )) && [[ $cur == -* ]]; then
    _describe -t options option ${p}_opts && ret=0
    return ret
  fi
  if (( npos == 0 && \${#${p}_subs} )); then
    _describe -t commands "${name} command" ${p}_subs && ret=0
    values=1
  fi
  index=$npos
  (( ${p}_variadic && index >= ${p}_nargs )) && index=$(( ${p}_nargs - 1 ))
  if (( index < ${p}_nargs )) && ${p}_values "$cmd" "#$index"; then
    values=1
    ${p}_add_values "$cmd" "#$index" && ret=0
  fi
  # Nothing else fits here, and no argument is due: offer the options.
  if (( ! values && ! endopts && npos >= ${p}_nrequired )); then
    _describe -t options option ${p}_opts && ret=0
  fi
  return ret
}

if [[ \${funcstack[1]} == ${fn} ]]; then
  # autoloaded from $fpath: this file is the body of ${fn}
  ${fn} "$@"
else
  compdef ${fn} ${name}
fi
`;
}

/** A single-quoted word for fish. */
function fq(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&')}'`;
}

/** A literal pattern for fish's switch. */
function fishPattern(text: string): string {
  return fq(text.replace(/[\\*?]/g, '\\$&'));
}

function fishScript(root: CommandSpec): string {
  const name = root.name;
  const p = `__${identifier(name)}_completion`;
  const commands = allCommands(root);
  const childCases = commands.flatMap((command) =>
    command.subcommands.map((sub) => `        case ${[sub.name, ...sub.aliases].map((alias) => fishPattern(`${command.path}|${alias}`)).join(' ')}\n            echo ${fq(sub.path)}`),
  );
  const valueCases = commands.flatMap((command) => {
    const takes = (kind: 'required' | 'optional', code: number): string[] => {
      const names = command.options.filter((option) => option.value === kind).flatMap((option) => option.names);
      return names.length === 0 ? [] : [`        case ${names.map((option) => fishPattern(`${command.path}|${option}`)).join(' ')}\n            echo ${code}`];
    };
    return [...takes('required', 1), ...takes('optional', 2)];
  });

  const lines: string[] = [];
  const at = (command: CommandSpec, position?: string): string => `-n ${fq(`${p}_at ${fq(command.path)}${position === undefined ? '' : ` ${position}`}`)}`;
  const describe = (text: string): string => (text ? ` -d ${fq(text)}` : '');
  for (const command of commands) {
    lines.push('', `# ${command.path}`);
    for (const sub of command.subcommands) {
      lines.push(`complete -c ${name} ${at(command, '0')} -f -a ${fq(sub.name)}${describe(sub.description)}`);
    }
    for (const option of command.options) {
      const flags = option.names.map((flag) => (flag.startsWith('--') ? `-l ${fq(flag.slice(2))}` : flag.length === 2 ? `-s ${fq(flag.slice(1))}` : `-o ${fq(flag.slice(1))}`));
      let value = '';
      if (option.value === 'required') {
        value = option.values.files ? ' -r -F' : ' -r -f';
        if (option.values.choices.length > 0) value += ` -a ${fq(option.values.choices.map((choice) => choice.value.replace(/[\\\s'"$()*?{}[\];&|<>#~]/g, '\\$&')).join(' '))}`;
      }
      lines.push(`complete -c ${name} ${at(command)} ${flags.join(' ')}${value}${describe(option.description)}`);
    }
    command.arguments.forEach((argument, index) => {
      const position = argument.variadic ? `${index}+` : `${index}`;
      if (argument.values.files) lines.push(`complete -c ${name} ${at(command, position)} -F`);
      for (const choice of argument.values.choices) {
        lines.push(`complete -c ${name} ${at(command, position)} -f -a ${fq(choice.value.replace(/[\\\s'"$()*?{}[\];&|<>#~]/g, '\\$&'))}${describe(choice.description)}`);
      }
    });
  }

  return `${header('fish', name, [`${name} completion fish > ~/.config/fish/completions/${name}.fish`])}

# ${p}_child CMD WORD: prints the path of the subcommand WORD of CMD; fails if it is none.
function ${p}_child --argument-names cmd word
    switch "$cmd|$word"
${childCases.join('\n')}
        case '*'
            return 1
    end
end

# ${p}_takes_value CMD OPTION: 1 if OPTION needs a value, 2 if it may take one, else 0.
function ${p}_takes_value --argument-names cmd option
    switch "$cmd|$option"
${valueCases.join('\n')}
        case '*'
            echo 0
    end
end

# Reads the tokens before the cursor: sets ${p}_cmd (the command they name, such as
# '${name} create') and ${p}_npos (how many arguments it has been given).
function ${p}_state
    set -l line (commandline -cp)
    test "$line" = "$${p}_line"; and return 0
    set -g ${p}_line $line
    set -g ${p}_cmd ${fq(root.path)}
    set -g ${p}_npos 0
    set -l skip 0
    set -l endopts 0
    set -l tokens (commandline -opc)
    for word in $tokens[2..-1]
        if test $skip = 1; or begin; test $skip = 2; and not string match -qr -- '^-.' $word; end
            set skip 0
            continue
        end
        set skip 0
        if test $endopts = 0; and string match -qr -- '^-.' $word
            if test "$word" = --
                set endopts 1
            else if not string match -q -- '*=*' $word
                set skip (${p}_takes_value $${p}_cmd $word)
            end
            continue
        end
        if test $${p}_npos = 0; and set -l child (${p}_child $${p}_cmd $word)
            set ${p}_cmd $child
            continue
        end
        set ${p}_npos (math $${p}_npos + 1)
    end
end

# ${p}_at CMD [N|N+]: the cursor is in command CMD (at its Nth argument, or at the Nth or a later one).
function ${p}_at --argument-names cmd position
    ${p}_state
    test "$${p}_cmd" = "$cmd"; or return 1
    switch "$position"
        case ''
            return 0
        case '*+'
            test $${p}_npos -ge (string replace -- + '' $position)
        case '*'
            test $${p}_npos -eq $position
    end
end

set -e ${p}_line
complete -c ${name} -e
complete -c ${name} -f
${lines.join('\n')}
`;
}
