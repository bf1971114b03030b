import { Argument, Command, CommanderError, Option } from 'commander';
import { CliError, ExitCode, usageError } from './errors.js';
import { debugRequested, isMachineOutput, outputFromFlags, OUTPUT_FORMATS, type GlobalFlags } from './config.js';
import { CommandContext, withKeySource } from './context.js';
import type { IO } from './io.js';
import { INPUT_FORMATS } from './batch/formats.js';
import { VERSION } from './version.js';
import { colorLevel } from './output/color.js';
import { SETTABLE_FIELDS } from './phone/fields.js';
import { findCommand, usageOf, withUsage } from './usage.js';
import { examples, ROOT_HELP_AFTER, SECRET_KEY_FLAG_HINT } from './help-text.js';
import { addAuthCommands, type RunCommand } from './cli-auth.js';

function addGlobalOptions(command: Command): Command {
  return command
    .addOption(
      new Option('-o, --output <format>', 'output format (default: table on a terminal, json otherwise)').choices([...OUTPUT_FORMATS]),
    )
    .option('--json', 'shorthand for --output json')
    .option('--api-url <url>', 'Clerk Backend API URL (default: https://api.clerk.com)')
    .option('--config <path>', 'read settings from exactly this file')
    .option('--secret-key-file <path>', 'read the secret key from this file')
    .option('--retries <n>', 'retries of a failed request (default: 3, 0 turns retrying off)')
    .option('--timeout <ms>', 'time limit of each attempt in milliseconds (default: 30000)')
    .option('--debug', 'print requests, responses, retries and waits to stderr (key redacted)')
    .option('--fields <names>', 'comma-separated API fields to show (table, json, jsonl)')
    .option('--profile <name>', 'use this profile of the config file (beats CLERK_SECRET_KEY and CLERK_API_URL)')
    .option('--no-color', 'no colors');
}

/** The options of every command that changes data: batch files, dry runs, the production guard. */
function addChangeOptions(command: Command): Command {
  return command
    .option('--file <path|->', 'one row per line: JSON Lines or CSV with a header (- reads stdin)')
    .option('--rate <n/period>', "with --file: requests per period, e.g. 100/10s (default: 90% of Clerk's limit for the key)")
    .option('--concurrency <n>', 'with --file: requests in flight (default: follows rate and latency)')
    .addOption(
      new Option('--format <format>', 'with --file: input format (default: by file name, else the first line)').choices([...INPUT_FORMATS]),
    )
    .option('--dry-run', 'print the requests that would change data, send none of them (lookups still run)')
    .option('--live', 'with --file: allow a batch run with a production (sk_live_) key');
}

/** `--x` and `--no-x` for each field create and update set. */
function addFieldOptions(command: Command, verb: 'create' | 'update'): Command {
  for (const { flag, help } of SETTABLE_FIELDS) command.option(`--${flag}`, help[verb][0]).option(`--no-${flag}`, help[verb][1]);
  return command;
}

/** Builds the command tree; command code is imported only when that command runs. */
export function buildProgram(io: IO, run: RunCommand): Command {
  const program = addGlobalOptions(new Command('phone'))
    .description("Manage the phone numbers of a Clerk application's users through Clerk's Backend API.")
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: () => {} })
    .addHelpText('after', ROOT_HELP_AFTER);

  addChangeOptions(
    addFieldOptions(
      program
        .command('create')
        .description('add a phone number to a user, or one per row of a file')
        .option('--user-id <id>', 'the user to add it to')
        .option('--phone-number <number>', 'E.164 number; spaces, dashes, dots and parentheses are ignored'),
      'create',
    ),
  )
    .option('--skip-existing', 'with --file: a number the user already has is skipped, not failed')
    .addHelpText(
      'after',
      examples(
        'phone create --user-id user_2x --phone-number "+1 201 555 0123" --verified',
        'phone create --user-id user_2x --phone-number +12015550123 --json | jq -r .id',
        'phone create --file seed.jsonl --skip-existing > made.jsonl',
      ),
    )
    .action((options, command: Command) => run(async (ctx) => (await import('./commands/create.js')).runCreate(ctx, options), command));

  program
    .command('get')
    .description('show a phone number, by ID or by the number itself')
    .argument('<phone_number_id | +E164>', 'the phone number ID (idn_…) or the number (+1…)')
    .addHelpText('after', examples('phone get idn_2x', 'phone get +12015550123', 'phone get idn_2x --json | jq .verification.status'))
    .action((id: string, _options, command: Command) => run(async (ctx) => (await import('./commands/get.js')).runGet(ctx, id), command));

  program
    .command('list')
    .description("list a user's phone numbers, or with --all every phone number of the instance")
    .option('--user-id <id>', 'the user')
    .option('--all', 'every user: one row per phone number, with user_id and primary added (streamed)')
    .option('--search <digits>', "with --all: only users with a number containing these digits (+ allowed), Clerk's phone_number_query")
    .option('--status <s,…>', 'with --all: only numbers with one of these verification statuses (none: unverified, or reserved)')
    .option('--second-factor', 'with --all: only numbers reserved for second factor')
    .option('--primary', "with --all: only users' primary numbers")
    .option('--rate <n/period>', "with --all: requests per period, e.g. 100/10s (default: 90% of Clerk's limit for the key)")
    .addHelpText(
      'after',
      examples(
        'phone list --user-id user_2x',
        'phone list --user-id user_2x --output jsonl --fields id,phone_number',
        'phone list --all --search +44 --status unverified -o jsonl > unverified-uk.jsonl',
      ),
    )
    .action((options, command: Command) => run(async (ctx) => (await import('./commands/list.js')).runList(ctx, options), command));

  addChangeOptions(
    addFieldOptions(
      program
        .command('update')
        .description('change a phone number, or one per row of a file')
        .argument('[phone_number_id]', 'the phone number ID (idn_…)'),
      'update',
    ),
  )
    .addHelpText(
      'after',
      examples(
        'phone update idn_2x --verified --primary',
        'phone update idn_2x --no-reserved-for-second-factor',
        'phone update --file changes.csv',
      ),
    )
    .action((id: string | undefined, options, command: Command) =>
      run(async (ctx) => (await import('./commands/update.js')).runUpdate(ctx, id, options), command),
    );

  addChangeOptions(
    program
      .command('delete')
      .description('delete a phone number, by ID or by number, or one per row of a file')
      .argument('[phone_number_id | +E164]', 'the phone number ID (idn_…) or the number (+1…)')
      .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal, and with --file)'),
  )
    .addHelpText('after', examples('phone delete idn_2x', 'phone delete +12015550123 --yes --json', 'phone delete --file made.jsonl --yes'))
    .action((id: string | undefined, options, command: Command) =>
      run(async (ctx) => (await import('./commands/delete.js')).runDelete(ctx, id, options), command),
    );

  const verify = program
    .command('verify')
    .description('send a verification code to a phone number, and check the code the user received')
    .addHelpText('after', examples('phone verify send idn_2x', 'phone verify check idn_2x --verification-id ver_2x --code 424242'));
  verify
    .command('send')
    .description('send a one-time code by SMS to a phone number, by ID or by number; prints the verification and its ID')
    .argument('<phone_number_id | +E164>', 'the phone number ID (idn_…) or the number (+1…)')
    .addHelpText(
      'after',
      examples('phone verify send idn_2x', 'phone verify send +12015550100 --json | jq -r .id', 'phone verify send idn_2x --output table'),
    )
    .action((target: string, _options, command: Command) =>
      run(async (ctx) => (await import('./commands/verify.js')).runVerifySend(ctx, target), command),
    );
  verify
    .command('check')
    .description("check a code: exit 0 when it is accepted, 1 when not (the verification's status says why)")
    .argument('<phone_number_id | +E164>', 'the phone number ID (idn_…) or the number (+1…)')
    .requiredOption('--code <code>', 'the code the user received (424242 for test numbers on development instances)')
    .requiredOption('--verification-id <id>', "the verification's ID, as 'phone verify send' printed it")
    .addHelpText(
      'after',
      examples(
        'phone verify check idn_2x --verification-id ver_2x --code 123456',
        'ver=$(phone verify send +12015550100 --json | jq -r .id) && phone verify check +12015550100 --verification-id "$ver" --code 424242',
      ),
    )
    .action((target: string, options, command: Command) =>
      run(async (ctx) => (await import('./commands/verify.js')).runVerifyCheck(ctx, target, options), command),
    );

  program
    .command('replace')
    .description('replace every phone number of a user with one new primary number (the others are deleted)')
    .requiredOption('--user-id <id>', 'the user')
    .requiredOption('--phone-number <number>', 'E.164 number; spaces, dashes, dots and parentheses are ignored')
    .addOption(
      new Option('--status <status>', "the new number's status (default: Clerk's, verified); unverified can lock the user out").choices([
        'verified',
        'reserved',
        'unverified',
      ]),
    )
    .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal)')
    .option('--dry-run', 'show the numbers that would be deleted and the request, send nothing that changes data')
    .addHelpText(
      'after',
      examples(
        'phone replace --user-id user_2x --phone-number "+1 201 555 0123"',
        'phone replace --user-id user_2x --phone-number +12015550123 --status reserved --yes --json',
        'phone replace --user-id user_2x --phone-number +12015550123 --dry-run',
      ),
    )
    .action((options, command: Command) => run(async (ctx) => (await import('./commands/replace.js')).runReplace(ctx, options), command));

  const config = program
    .command('config')
    .description('show the settings in force and where each comes from')
    .addHelpText('after', examples('phone config', 'phone --profile prod config --json', 'phone config path'));
  config
    .command('show', { isDefault: true })
    .description('the resolved settings (profile, API URL, output, retries, timeout, key redacted) and their sources')
    .addHelpText('after', examples('phone config show', 'phone --profile prod config show --json | jq -r .apiUrl.value'))
    .action((_options, command: Command) => run(async (ctx) => (await import('./commands/config.js')).runConfigShow(ctx), command));
  config
    .command('path')
    .description('the config files searched, in order, marking the ones used')
    .addHelpText('after', examples('phone config path', "phone config path --json | jq -r '.used[]'"))
    .action((_options, command: Command) => run(async (ctx) => (await import('./commands/config.js')).runConfigPath(ctx), command));
  // Hidden: what the completion scripts ask when completing --profile (the profile names of the
  // config in effect, one a line); a person reads them in 'phone config path' and the files.
  config
    .command('profiles', { hidden: true })
    .description('the profile names the config files define, one per line (what --profile completes)')
    .action((_options, command: Command) => run(async (ctx) => (await import('./commands/config.js')).runConfigProfiles(ctx), command));

  addAuthCommands(program, run);

  program
    .command('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('<shell>', 'the shell').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      examples(
        'phone completion bash > ~/.local/share/bash-completion/completions/phone',
        'phone completion zsh > "${fpath[1]}/_phone"',
        'phone completion fish > ~/.config/fish/completions/phone.fish',
      ),
    )
    .action((shell: string, _options, command: Command) =>
      run(async (ctx) => (await import('./commands/completion.js')).runCompletion(ctx, shell, program), command),
    );

  const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
  for (const command of everyCommand(program)) command.exitOverride();
  return program;
}

/** Global options may stand before or after the subcommand; commander keeps them on either level. */
function flagsOf(command: Command): GlobalFlags {
  return command.optsWithGlobals() as GlobalFlags;
}

/**
 * Every key known without loading config: the resolved one, else CLERK_SECRET_KEY; and anything
 * shaped like a Clerk secret key, for errors raised before settings exist (commander repeats a bad
 * `--output` value, which may be a key pasted in the wrong place).
 */
async function redactor(io: IO, ctx: CommandContext | undefined): Promise<(text: string) => string> {
  const { redactIn, redactKeyShapes } = await import('./redact.js');
  const keys = [
    ctx?.resolvedSettings?.secretKey?.value,
    ...(ctx?.enteredKeys ?? []),
    io.env.CLERK_SECRET_KEY,
    io.env.CLERK_SECRET_KEY?.trim(),
  ];
  return (text) => redactKeyShapes(redactIn(text, keys));
}

async function reportError(io: IO, ctx: CommandContext | undefined, flags: GlobalFlags, error: unknown): Promise<number> {
  const settings = ctx?.resolvedSettings;
  const cliError =
    error instanceof CliError
      ? withKeySource(error, settings)
      : new CliError(`unexpected error: ${(error as Error)?.message ?? String(error)}`, ExitCode.apiRefused, 'internal');
  const format = settings?.output.value ?? outputFromFlags(flags, Boolean(io.stdout.isTTY));
  const { renderError } = await import('./output/render-error.js');
  const text = await renderError(cliError, isMachineOutput(format), colorLevel(flags.color, io.env, Boolean(io.stderr.isTTY)));
  const redact = await redactor(io, ctx);
  io.stderr.write(redact(text));
  if (debugRequested(flags, io.env) && !(error instanceof CliError) && error instanceof Error && error.stack) {
    io.stderr.write(redact(`${error.stack}\n`));
  }
  return cliError.exitCode;
}

export async function main(argv: string[], io: IO): Promise<number> {
  let ctx: CommandContext | undefined;
  let activeCommand: Command | undefined;
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(io, async (action, command) => {
    activeCommand = command;
    ctx = new CommandContext(io, flagsOf(command));
    exitCode = (await action(ctx)) ?? ExitCode.ok;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      // `phone help` asked for help (0); a bare `phone` got it on stderr for lack of a command (2).
      if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
      const failing = findCommand(program, argv);
      const keyFlag = error.code === 'commander.unknownOption' && /'--secret-key(=|')/.test(error.message);
      const message = error.message.replace(/^error: /, '').replace(/\s*\(Did you mean --secret-key-file\?\)$/, '');
      const hint = keyFlag ? { hint: SECRET_KEY_FLAG_HINT } : {};
      return reportError(io, ctx, flagsOf(failing), usageError(message, { usage: usageOf(failing), ...hint }));
    }
    return reportError(io, ctx, activeCommand ? flagsOf(activeCommand) : (program.opts() as GlobalFlags), withUsage(error, activeCommand));
  }
  return exitCode;
}
