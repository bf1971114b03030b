// `phone completion bash|zsh|fish`: each script is printed by the built CLI, loaded into that shell
// (no rc files), and asked for completions the way the shell asks when Tab is pressed:
// - bash: COMP_WORDS/COMP_CWORD set, the function registered with `complete -F` called, COMPREPLY read;
// - fish: `complete -C "phone …"`;
// - zsh: an interactive `zsh -f -i` driven through the zpty module, Tab bound to a completion widget
//   that runs zsh's own completion system and records every match it adds.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Argument, Command, Option } from 'commander';
import { buildProgram } from '../src/cli.ts';
import { completionScript, COMPLETION_SHELLS, type CompletionShell } from '../src/completion/script.ts';
import type { IO } from '../src/io.ts';
import { needs } from './helpers/programs.ts';
import { errorJson } from './helpers/results.ts';
import { BIN, runCli, tempDir } from './helpers/run-cli.ts';

const OUTPUT_FORMATS = ['table', 'json', 'jsonl'];
const INPUT_FORMATS = ['jsonl', 'csv'];

/** The program as the CLI builds it, to compare the scripts with. */
function realProgram(): Command {
  const io = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: {}, cwd: process.cwd() } as unknown as IO;
  return buildProgram(io, async () => {});
}

/** phone's commands, read from the program; the ones the brief names must be among them. */
const COMMANDS = realProgram()
  .commands.filter((command) => !(command as unknown as { _hidden: boolean })._hidden)
  .map((command) => command.name());
for (const name of ['create', 'get', 'list', 'update', 'delete', 'config', 'completion']) assert.ok(COMMANDS.includes(name), name);

const scripts = new Map<CompletionShell, Promise<string>>();

/** The script as `phone completion SHELL` prints it, written to a file to source. */
function scriptFile(shell: CompletionShell): Promise<string> {
  let file = scripts.get(shell);
  if (!file) {
    file = runCli(['completion', shell]).then((result) => {
      assert.equal(result.code, 0, `phone completion ${shell}: ${result.stderr}`);
      assert.equal(result.stderr, '');
      const path = join(tempDir('phone-completion-'), shell === 'zsh' ? '_phone' : `phone.${shell}`);
      writeFileSync(path, result.stdout);
      return path;
    });
    scripts.set(shell, file);
  }
  return file;
}

/** A directory with files to complete: seed.jsonl, seed.csv, secret.txt and data/. */
const filesDir = (() => {
  const dir = tempDir('phone-completion-files-');
  for (const name of ['seed.jsonl', 'seed.csv', 'secret.txt']) writeFileSync(join(dir, name), '');
  mkdirSync(join(dir, 'data'));
  return dir;
})();

interface Output {
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd = filesDir, extraEnv: Record<string, string> = {}): Promise<Output> {
  const home = tempDir('phone-completion-home-');
  const env = { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, '.config'), TERM: 'xterm', ...extraEnv };
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env, timeout: 20_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} failed: ${error.message}\nstdout: ${stdout}\nstderr: ${stderr}`));
      else resolve({ stdout, stderr });
    });
  });
}

/** Where a shell completes: its working directory and environment (defaults: filesDir, a fresh HOME). */
interface Where {
  cwd?: string;
  env?: Record<string, string>;
}

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

/**
 * What bash offers for the words, the last one being the word under the cursor. Pass the words as
 * bash splits them: with the default COMP_WORDBREAKS, `--output=js` is `--output`, `=`, `js`.
 */
async function bashComplete(words: string[], script?: string, fn = '_phone_completion', where: Where = {}): Promise<string[]> {
  const file = script ?? (await scriptFile('bash'));
  const { stdout, stderr } = await run(
    'bash',
    [
      '--norc',
      '--noprofile',
      '-c',
      `source "$1" || exit 9; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=\${#COMP_LINE}; COMPREPLY=(); ${fn}; printf '%s\\n' "\${COMPREPLY[@]}"`,
      'bash',
      file,
      ...words,
    ],
    where.cwd,
    where.env,
  );
  assert.equal(stderr, '', `bash wrote to stderr completing ${JSON.stringify(words)}`);
  return lines(stdout);
}

/** `bashComplete` of a command line: split at spaces, a trailing space starting an empty word. */
function bashLine(line: string, script?: string, fn?: string, where?: Where): Promise<string[]> {
  return bashComplete(line.split(' '), script, fn, where);
}

/** What fish offers for the command line (`complete -C`), without descriptions. */
async function fishComplete(line: string, script?: string, where: Where = {}): Promise<string[]> {
  const file = script ?? (await scriptFile('fish'));
  const { stdout, stderr } = await run(
    'fish',
    ['--no-config', '-c', 'source $argv[1]; or exit 9; complete -C $argv[2]', file, line],
    where.cwd,
    where.env,
  );
  assert.equal(stderr, '', `fish wrote to stderr completing ${JSON.stringify(line)}`);
  return lines(stdout).map((entry) => entry.split('\t')[0]!);
}

/**
 * Drives an interactive zsh through zpty: types each line, presses the key bound to a completion
 * widget that runs zsh's completion (_main_complete) and writes every match added to a file.
 * The script is sourced after compinit, or found by compinit in $fpath as an autoloaded function. (`${'${'}` is a
 * literal `${` in the zsh code.)
 */
const ZSH_HARNESS = String.raw`
before=$1 after=$2 out=$3; shift 3
zmodload zsh/zpty || exit 3
zpty -b z zsh -f -i
ready() { zpty -r z reply '*READY> ' || exit 4 }
zpty -w z "PS1='RE''ADY> '; unsetopt beep; $before; autoload -Uz compinit; compinit -u -D; $after"
ready
zpty -w z 'typeset -ga __caught; compadd() { if [[ -n ${'${'}(M)@[1,(i)(-|--)]:#-[OAD]*} ]]; then builtin compadd "$@"; return; fi; local -a __m; builtin compadd -O __m "$@"; __caught+=("$IPREFIX"${'${'}^__m}); builtin compadd "$@"; }'
ready
zpty -w z '_capture() { __caught=(); _main_complete; print -rl -- "${'${'}__caught[@]}" > $__capture_file; }; zle -C capture complete-word _capture; bindkey "^T" capture'
ready
n=0
for line in "$@"; do
  n=$(( n + 1 ))
  zpty -w z "__capture_file=${'${'}(q)out}/$n"
  ready
  zpty -n -w z "$line"$'\x14'$'\x15'
  zpty -w z "print DONE''$n"
  zpty -r z reply "*DONE$n*" || exit 5
  ready
done
zpty -d z
`;

async function zshComplete(lineList: string[], mode: 'source' | 'fpath' = 'source', where: Where = {}): Promise<string[][]> {
  const script = await scriptFile('zsh');
  const dir = tempDir('phone-completion-zsh-');
  writeFileSync(join(dir, 'harness.zsh'), ZSH_HARNESS);
  const out = join(dir, 'out');
  mkdirSync(out);
  const [before, after] = mode === 'source' ? [':', `source ${script}`] : [`fpath=(${join(script, '..')} $fpath)`, ':'];
  await run('zsh', ['-f', join(dir, 'harness.zsh'), before, after, out, ...lineList], where.cwd, where.env);
  return lineList.map((line, index) => {
    try {
      return lines(readFileSync(join(out, String(index + 1)), 'utf8'));
    } catch {
      throw new Error(`zsh recorded no completion for ${JSON.stringify(line)}`);
    }
  });
}

function assertSameSet(actual: string[], expected: string[], label: string): void {
  assert.deepEqual([...actual].sort(), [...expected].sort(), label);
}

function assertIncludes(actual: string[], expected: string[], label: string): void {
  for (const item of expected) assert.ok(actual.includes(item), `${label}: ${item} missing from ${JSON.stringify(actual)}`);
}

describe('phone completion', () => {
  test('an unknown shell is a usage error naming the valid ones', async () => {
    const result = await runCli(['completion', 'powershell']);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
    const error = errorJson(result);
    assert.equal(error.code, 'usage');
    for (const shell of COMPLETION_SHELLS) assert.match(error.message, new RegExp(`\\b${shell}\\b`));
    assert.match(error.message, /powershell/);
  });

  test('a shell is required', async () => {
    const result = await runCli(['completion']);
    assert.equal(result.code, 2, result.stderr);
    assert.equal(result.stdout, '');
  });

  for (const shell of COMPLETION_SHELLS) {
    test(`the ${shell} script names every command and every option of the program`, async () => {
      const program = realProgram();
      const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
      const text = readFileSync(await scriptFile(shell), 'utf8');
      for (const command of everyCommand(program)) {
        assert.match(text, new RegExp(`\\b${command.name()}\\b`), `${shell}: command ${command.name()}`);
        for (const option of command.options) {
          if (!option.long) continue;
          const long = shell === 'fish' ? `-l '${option.long.slice(2)}'` : `'${option.long}`;
          assert.ok(text.includes(long), `${shell}: ${command.name()} ${option.long}`);
        }
      }
    });

    test(`the ${shell} script, and the fixed shell code it is made from, are valid ${shell} syntax`, needs(shell), async () => {
      const fixedCode = [`phone.${shell}`, ...(shell === 'fish' ? [] : ['common.sh'])].map((name) =>
        fileURLToPath(new URL(`../src/completion/${name}`, import.meta.url)),
      );
      for (const file of [await scriptFile(shell), ...fixedCode]) {
        await run(shell, shell === 'fish' ? ['--no-config', '--no-execute', file] : ['-n', file]);
      }
    });
  }

  test('a syntax error in shell code is caught by the shell checks above', needs(...COMPLETION_SHELLS), async () => {
    const dir = tempDir('phone-completion-broken-');
    for (const shell of COMPLETION_SHELLS) {
      const file = join(dir, `broken.${shell}`);
      writeFileSync(file, shell === 'fish' ? 'function f\n    if true\nend\n' : 'f() {\n  if true; then\n}\n');
      await assert.rejects(
        run(shell, shell === 'fish' ? ['--no-config', '--no-execute', file] : ['-n', file]),
        `${shell} accepted broken code`,
      );
    }
  });
});

describe('bash', needs('bash'), () => {
  test('command names', async () => {
    assert.deepEqual(await bashLine('phone cre'), ['create']);
    assertSameSet(await bashLine('phone co'), ['config', 'completion'], 'phone co');
    assertSameSet(await bashLine('phone '), [...COMMANDS, 'help'], 'phone <Tab>');
    assert.deepEqual(await bashLine('phone --json cre'), ['create'], 'after a global option');
    assert.deepEqual(await bashLine('phone --output json cre'), ['create'], 'after a global option and its value');
    assert.deepEqual(await bashLine('phone --config my.json l'), ['list'], 'after --config FILE');
  });

  test('option values: --output, --format, the shell of completion', async () => {
    assert.deepEqual(await bashLine('phone get x --output '), OUTPUT_FORMATS);
    assert.deepEqual(await bashLine('phone get x -o js'), ['json', 'jsonl']);
    assert.deepEqual(await bashLine('phone --output '), OUTPUT_FORMATS);
    assert.deepEqual(await bashLine('phone create --file seed.csv --format '), INPUT_FORMATS);
    assert.deepEqual(await bashLine('phone delete --format c'), ['csv']);
    assert.deepEqual(await bashLine('phone completion '), ['bash', 'zsh', 'fish']);
    assert.deepEqual(await bashLine('phone completion z'), ['zsh']);
    assert.deepEqual(
      await bashLine('phone completion --output json '),
      ['bash', 'zsh', 'fish'],
      'the argument after an option with its value',
    );
    assert.deepEqual(await bashLine('phone create --user-id '), [], 'a free value: nothing to offer');
  });

  test('--option=value, split at "=" by COMP_WORDBREAKS or not', async () => {
    assert.deepEqual(await bashComplete(['phone', 'get', 'x', '--output', '=', 'js']), ['json', 'jsonl']);
    assert.deepEqual(await bashComplete(['phone', 'get', 'x', '--output', '=']), OUTPUT_FORMATS);
    assert.deepEqual(await bashComplete(['phone', 'get', 'x', '--output=js']), ['--output=json', '--output=jsonl']);
    assert.deepEqual(await bashComplete(['phone', '--output', '=', 'json', 'cre']), ['create'], 'the value is skipped');
  });

  test("each command's options plus the global ones", async () => {
    assert.deepEqual(await bashLine('phone create --verif'), ['--verified']);
    assert.deepEqual(await bashLine('phone create --no-v'), ['--no-verified']);
    const create = await bashLine('phone create --');
    assertIncludes(
      create,
      ['--verified', '--no-verified', '--user-id', '--phone-number', '--file', '--format', '--skip-existing', '--help'],
      'create',
    );
    assertIncludes(
      create,
      [
        '--output',
        '--json',
        '--api-url',
        '--config',
        '--secret-key-file',
        '--retries',
        '--timeout',
        '--debug',
        '--fields',
        '--no-color',
        '--version',
      ],
      'create: global options',
    );
    assert.ok(!create.includes('--yes'), "delete's --yes is not offered for create");
    assert.deepEqual(await bashLine('phone get x --ou'), ['--output'], 'a global option after the subcommand');
    assert.deepEqual(await bashLine('phone delete idn_1 --y'), ['--yes']);
    assertIncludes(await bashLine('phone create '), ['--user-id', '--output'], 'no argument is due: options are offered');
    assert.deepEqual(await bashLine('phone get '), [], 'the phone number ID is due: nothing to guess');
    assertSameSet(
      await bashLine('phone -'),
      [
        '-o',
        '--output',
        '--json',
        '--api-url',
        '--config',
        '--secret-key-file',
        '--retries',
        '--timeout',
        '--debug',
        '--fields',
        '--profile',
        '--no-color',
        '-v',
        '--version',
        '-h',
        '--help',
      ],
      'phone -',
    );
  });

  test('nested subcommands: config path', async () => {
    assertSameSet(await bashLine('phone config '), ['show', 'path', 'help'], 'phone config <Tab>');
    assert.deepEqual(await bashLine('phone config p'), ['path']);
    assert.deepEqual(await bashLine('phone --json config p'), ['path']);
    assertIncludes(await bashLine('phone config path --'), ['--help', '--output', '--json', '--profile'], 'config path options');
    assert.ok(!(await bashLine('phone config path ')).includes('path'), 'path is not offered again under itself');
  });

  test('help completes command names', async () => {
    assertSameSet(await bashLine('phone help '), COMMANDS, 'phone help <Tab>');
    assert.deepEqual(await bashLine('phone help cr'), ['create']);
  });

  test('file paths for --file, --config and --secret-key-file, not for other options', async () => {
    assert.deepEqual(await bashLine('phone create --file see'), ['seed.csv', 'seed.jsonl']);
    assert.deepEqual(await bashLine('phone update --file d'), ['data']);
    assert.deepEqual(await bashLine('phone --config see'), ['seed.csv', 'seed.jsonl']);
    assert.deepEqual(await bashLine('phone get x --secret-key-file sec'), ['secret.txt']);
    assert.deepEqual(await bashLine('phone create --user-id se'), []);
    assert.deepEqual(await bashLine('phone create --phone-number se'), []);
    assert.deepEqual(await bashLine(`phone create --file ${filesDir}/seed.j`), [`${filesDir}/seed.jsonl`]);
  });

  test('after --, a word starting with - is an argument: no options are offered', async () => {
    assert.deepEqual(await bashLine('phone get -- --'), []);
  });

  test("the README's way without the bash-completion package: source <(phone completion bash) in a bare bash", async () => {
    // --norc: no bash-completion package, nothing but what the README's line in ~/.bashrc loads.
    const { stdout, stderr } = await run(
      'bash',
      [
        '--norc',
        '--noprofile',
        '-c',
        'phone() { "$PHONE_NODE" "$PHONE_BIN" "$@"; }; source <(phone completion bash) || exit 9; complete -p phone; COMP_WORDS=(phone cre); COMP_CWORD=1; _phone_completion; printf "%s\\n" "${COMPREPLY[@]}"',
      ],
      filesDir,
      { PHONE_NODE: process.execPath, PHONE_BIN: BIN },
    );
    assert.equal(stderr, '');
    assert.equal(stdout, 'complete -F _phone_completion phone\ncreate\n');
  });
});

describe('fish', needs('fish'), () => {
  test('command names, with descriptions', async () => {
    assert.deepEqual(await fishComplete('phone cre'), ['create']);
    assertSameSet(await fishComplete('phone '), [...COMMANDS, 'help'], 'phone <Tab>');
    assert.deepEqual(await fishComplete('phone --output json cre'), ['create']);
    const file = await scriptFile('fish');
    const { stdout } = await run('fish', ['--no-config', '-c', 'source $argv[1]; complete -C "phone cre"', file]);
    assert.equal(stdout, 'create\tadd a phone number to a user, or one per row of a file\n');
  });

  test('option values: --output, --format, the shell of completion', async () => {
    assertSameSet(await fishComplete('phone get x --output '), OUTPUT_FORMATS, '--output');
    assertSameSet(await fishComplete('phone get x -o '), OUTPUT_FORMATS, '-o');
    assertSameSet(await fishComplete('phone get x --output=j'), ['--output=json', '--output=jsonl'], '--output=');
    assertSameSet(await fishComplete('phone create --format '), INPUT_FORMATS, '--format');
    assertSameSet(await fishComplete('phone completion '), ['bash', 'zsh', 'fish'], 'completion');
    assertSameSet(await fishComplete('phone completion --output json '), ['bash', 'zsh', 'fish'], 'completion after an option');
    assert.deepEqual(await fishComplete('phone create --user-id '), []);
  });

  test("each command's options plus the global ones", async () => {
    assert.deepEqual(await fishComplete('phone create --verif'), ['--verified']);
    assert.deepEqual(await fishComplete('phone create --no-v'), ['--no-verified']);
    const create = await fishComplete('phone create --');
    assertIncludes(
      create,
      [
        '--verified',
        '--no-verified',
        '--user-id',
        '--file',
        '--format',
        '--skip-existing',
        '--output',
        '--json',
        '--config',
        '--secret-key-file',
        '--no-color',
      ],
      'create',
    );
    assert.ok(!create.includes('--yes'));
    assert.deepEqual(await fishComplete('phone get x --ou'), ['--output']);
  });

  test('nested subcommands and help', async () => {
    assertSameSet(await fishComplete('phone config '), ['show', 'path', 'help'], 'phone config <Tab>');
    assert.deepEqual(await fishComplete('phone config p'), ['path']);
    assert.deepEqual(await fishComplete('phone config path '), []);
    assertSameSet(await fishComplete('phone help '), COMMANDS, 'phone help <Tab>');
  });

  test('file paths for --file, --config and --secret-key-file, not for other options', async () => {
    assertSameSet(await fishComplete('phone create --file see'), ['seed.csv', 'seed.jsonl'], '--file');
    assertSameSet(await fishComplete('phone --config see'), ['seed.csv', 'seed.jsonl'], '--config');
    assert.deepEqual(await fishComplete('phone get x --secret-key-file sec'), ['secret.txt']);
    assert.deepEqual(await fishComplete('phone create --user-id se'), []);
    assert.deepEqual(await fishComplete('phone create se'), [], 'no files as arguments');
  });
});

describe('zsh', needs('zsh'), () => {
  test('the script loads under compinit and registers _phone for phone', async () => {
    const file = await scriptFile('zsh');
    const { stdout, stderr } = await run('zsh', [
      '-f',
      '-c',
      'autoload -U compinit; compinit -u -D; source "$1" || exit 9; print $+functions[_phone] $_comps[phone]',
      'zsh',
      file,
    ]);
    assert.equal(stderr, '');
    assert.equal(stdout, '1 _phone\n');
  });

  test('completes commands, options, values, nested subcommands and files in an interactive zsh', async () => {
    const cases: [string, string[]][] = [
      ['phone cre', ['create']],
      ['phone ', [...COMMANDS, 'help']],
      ['phone --output json cre', ['create']],
      ['phone get x --output ', OUTPUT_FORMATS],
      ['phone get x --output=j', ['--output=json', '--output=jsonl']],
      ['phone create --format ', INPUT_FORMATS],
      ['phone completion ', ['bash', 'zsh', 'fish']],
      ['phone create --verif', ['--verified']],
      ['phone create --no-v', ['--no-verified']],
      ['phone get x --ou', ['--output']],
      ['phone config ', ['show', 'path', 'help']],
      ['phone config p', ['path']],
      ['phone help cr', ['create']],
      ['phone create --file see', ['seed.csv', 'seed.jsonl']],
      ['phone --secret-key-file sec', ['secret.txt']],
      ['phone create --user-id ', []],
      ['phone get ', []],
    ];
    const results = await zshComplete(cases.map(([line]) => line));
    cases.forEach(([line, expected], index) => assertSameSet(results[index]!, expected, `zsh: ${line}`));
    const create = (await zshComplete(['phone create --']))[0]!;
    assertIncludes(
      create,
      ['--verified', '--no-verified', '--user-id', '--file', '--output', '--json', '--config', '--no-color'],
      'zsh: create options',
    );
    assert.ok(!create.includes('--yes'));
  });

  test('works autoloaded from $fpath as the file _phone', async () => {
    const [commands, values] = await zshComplete(['phone cre', 'phone list --output '], 'fpath');
    assert.deepEqual(commands, ['create']);
    assertSameSet(values!, OUTPUT_FORMATS, 'zsh fpath: --output');
  });
});

describe('the scripts follow the program', () => {
  // A program unlike phone's: aliases, nested commands, choices on options and arguments, an optional
  // value, a variadic file argument. Nothing in the generator names any of them.
  function demoProgram(): Command {
    const program = new Command('demo')
      .option('--color-mode <mode>', 'colors')
      .addOption(new Option('--level <n>', 'level').choices(['low', 'high']));
    const fruit = program.command('fruit').alias('f').description('fruit things');
    fruit
      .command('peel')
      .description('peel some')
      .addArgument(new Argument('<kind>', 'the kind').choices(['apple', 'pear']))
      .argument('[files...]', 'files to peel')
      .option('--knife [size]', 'use a knife')
      .addOption(new Option('--style <style>').choices(['fast', 'slow']))
      .action(() => {});
    fruit.command('eat').action(() => {});
    program.command('hidden-thing', { hidden: true }).action(() => {});
    return program;
  }

  test('bash', needs('bash'), async () => {
    const file = join(tempDir('phone-completion-demo-'), 'demo.bash');
    writeFileSync(file, completionScript('bash', demoProgram()));
    const complete = (line: string) => bashLine(line, file, '_demo_completion');
    assertSameSet(await complete('demo '), ['fruit', 'help'], 'hidden commands are not offered');
    assertSameSet(await complete('demo fruit '), ['peel', 'eat', 'help'], 'nested');
    assertSameSet(await complete('demo f '), ['peel', 'eat', 'help'], 'by alias');
    assertSameSet(await complete('demo f peel '), ['apple', 'pear'], 'argument choices');
    assert.deepEqual(await complete('demo f peel apple see'), ['seed.csv', 'seed.jsonl'], 'variadic file argument');
    assert.deepEqual(await complete('demo f peel apple seed.csv see'), ['seed.csv', 'seed.jsonl'], 'variadic: every later word');
    assertSameSet(await complete('demo f peel --style '), ['fast', 'slow'], 'option choices');
    assertSameSet(await complete('demo f peel --level '), ['low', 'high'], 'an inherited option with choices');
    assertSameSet(
      await complete('demo --level high f peel --color-mode x --knife '),
      ['apple', 'pear'],
      'values are skipped; an optional value may be left out',
    );
    assertSameSet(await complete('demo f peel --knife --s'), ['--style'], 'an optional value is not taken from an option');
    assert.deepEqual(await complete('demo f peel --kn'), ['--knife']);
  });

  test('fish', needs('fish'), async () => {
    const file = join(tempDir('phone-completion-demo-'), 'demo.fish');
    writeFileSync(file, completionScript('fish', demoProgram()));
    const complete = async (line: string) => {
      const { stdout } = await run('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', file, line]);
      return lines(stdout).map((entry) => entry.split('\t')[0]!);
    };
    assertSameSet(await complete('demo '), ['fruit', 'help'], 'hidden commands are not offered');
    assertSameSet(await complete('demo f '), ['peel', 'eat', 'help'], 'by alias');
    assertSameSet(await complete('demo f peel '), ['apple', 'pear'], 'argument choices');
    assertSameSet(await complete('demo f peel apple see'), ['seed.csv', 'seed.jsonl'], 'variadic file argument');
    assertSameSet(await complete('demo f peel --style '), ['fast', 'slow'], 'option choices');
    assertSameSet(await complete('demo --level high f peel --level '), ['low', 'high'], 'an inherited option with choices');
  });

  test('zsh text', () => {
    const text = completionScript('zsh', demoProgram());
    assert.match(text, /'demo\|f'\) _demo_completion__child='demo fruit'/);
    assert.match(text, /'demo fruit peel\|#0'\)\n\s+_demo_completion_vals=\('apple' 'pear'\) _demo_completion_files=0/);
    assert.match(text, /'demo fruit peel\|#1'\)\n\s+_demo_completion_vals=\(\) _demo_completion_files=1/);
    assert.doesNotMatch(text, /hidden-thing/);
  });
});

// ---------------------------------------------------------------- --profile <Tab>

/**
 * A project with a .phonerc defining `proj` and `shared`, a user file defining `mine` and
 * `shared`, and a --config file defining `team`; `phone` on PATH is the built CLI, which the
 * scripts ask (`phone config profiles`) for the profiles of the config in effect.
 */
const profileWorld = (() => {
  const root = tempDir('phone-completion-profiles-');
  const project = join(root, 'project');
  const home = join(root, 'home');
  const bin = join(root, 'bin');
  for (const dir of [project, join(home, '.config', 'phone'), bin]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(project, '.phonerc.json'), JSON.stringify({ profiles: { proj: { retries: 1 }, shared: { retries: 2 } } }));
  writeFileSync(join(home, '.config', 'phone', 'config.yaml'), 'profiles:\n  mine:\n    retries: 3\n  shared:\n    timeout: 5000\n');
  writeFileSync(join(root, 'team.yaml'), 'profiles:\n  team:\n    retries: 4\n');
  symlinkSync(BIN, join(bin, 'phone'));
  const env = {
    PATH: `${bin}${delimiter}${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
  };
  return { where: { cwd: project, env }, team: join(root, 'team.yaml'), outside: { cwd: root, env } };
})();

describe('--profile completes the profiles of the config in effect', () => {
  test('phone config profiles prints them one a line: project file first, then the user file', async () => {
    const { where } = profileWorld;
    const result = await runCli(['config', 'profiles', '-o', 'table'], { cwd: where.cwd, env: where.env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'proj\nshared\nmine\n');
    const json = await runCli(['config', 'profiles'], { cwd: where.cwd, env: where.env });
    assert.deepEqual(JSON.parse(json.stdout), ['proj', 'shared', 'mine'], 'piped: a JSON list');
    const team = await runCli(['--config', profileWorld.team, 'config', 'profiles', '-o', 'table'], { cwd: where.cwd, env: where.env });
    assert.equal(team.stdout, 'team\n', '--config names the only file');
  });

  test('bash', needs('bash'), async () => {
    const { where, outside, team } = profileWorld;
    assertSameSet(await bashLine('phone get x --profile ', undefined, undefined, where), ['proj', 'shared', 'mine'], 'in the project');
    assert.deepEqual(await bashLine('phone --profile s', undefined, undefined, where), ['shared']);
    assert.deepEqual(
      await bashComplete(['phone', 'get', 'x', '--profile', '=', 'm'], undefined, undefined, where),
      ['mine'],
      '--profile=m',
    );
    assertSameSet(
      await bashLine('phone --profile ', undefined, undefined, outside),
      ['mine', 'shared'],
      'outside the project: the user file only',
    );
    assert.deepEqual(
      await bashLine(`phone --config ${team} get x --profile `, undefined, undefined, where),
      ['team'],
      'the --config of the line',
    );
    assert.deepEqual(
      await bashLine('phone get x --output ', undefined, undefined, where),
      OUTPUT_FORMATS,
      'other values are not asked for',
    );
  });

  test('fish', needs('fish'), async () => {
    const { where, outside, team } = profileWorld;
    assertSameSet(await fishComplete('phone get x --profile ', undefined, where), ['proj', 'shared', 'mine'], 'in the project');
    assertSameSet(await fishComplete('phone --profile ', undefined, outside), ['mine', 'shared'], 'outside the project');
    assert.deepEqual(await fishComplete(`phone --config ${team} get x --profile `, undefined, where), ['team'], 'the --config of the line');
  });

  test('zsh', needs('zsh'), async () => {
    const { where, team } = profileWorld;
    const [inProject, withConfig] = await zshComplete(
      ['phone get x --profile ', `phone --config ${team} get x --profile `],
      'source',
      where,
    );
    assertSameSet(inProject!, ['proj', 'shared', 'mine'], 'in the project');
    assert.deepEqual(withConfig, ['team'], 'the --config of the line');
  });
});
