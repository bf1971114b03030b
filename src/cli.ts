import { Command, CommanderError, Option } from 'commander';
import { CliError, ExitCode, usageError } from './errors.js';
import { isMachineOutput, outputFromFlags, OUTPUT_FORMATS, type GlobalFlags } from './config.js';
import { CommandContext } from './context.js';
import type { IO } from './io.js';
import { INPUT_FORMATS } from './batch/formats.js';
import { VERSION } from './version.js';
import { colorLevel } from './output/color.js';

const ROOT_HELP_AFTER = `
Environment:
  CLERK_SECRET_KEY   secret key (sk_test_… or sk_live_…), used unless --secret-key-file is given
  CLERK_API_URL      API base URL (default https://api.clerk.com; /v1 is appended)
  NO_COLOR           any value turns color off
  FORCE_COLOR        turns color on (0 turns it off)

Exit codes:
  0    success
  1    the API refused the request, or an unexpected error
  2    usage: bad flag, argument, phone number, ID or config; declined confirmation
  3    not found
  4    authentication: no secret key, 401, 403
  5    temporary failure that outlasted the retries: 429, 5xx, network error, timeout
  130  interrupted
`;

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}

function addGlobalOptions(command: Command): Command {
  return command
    .addOption(new Option('-o, --output <format>', 'output format (default: table on a terminal, json otherwise)').choices([...OUTPUT_FORMATS]))
    .option('--json', 'shorthand for --output json')
    .option('--api-url <url>', 'Clerk Backend API URL (default: https://api.clerk.com)')
    .option('--config <path>', 'read settings from exactly this file')
    .option('--secret-key-file <path>', 'read the secret key from this file')
    .option('--retries <n>', 'retries of a failed request (default: 3, 0 turns retrying off)')
    .option('--timeout <ms>', 'time limit of each attempt in milliseconds (default: 30000)')
    .option('--debug', 'print requests, responses, retries and waits to stderr (key redacted)')
    .option('--fields <names>', 'comma-separated API fields to show (table, json, jsonl)')
    .option('--no-color', 'no colors');
}

function addBatchOptions(command: Command): Command {
  return command
    .option('--file <path|->', 'one row per line: JSON Lines or CSV with a header (- reads stdin)')
    .option('--concurrency <n>', 'with --file: requests in flight (default: 4)')
    .addOption(new Option('--format <format>', 'with --file: input format (default: by file name, else the first line)').choices([...INPUT_FORMATS]));
}

function addFieldOptions(command: Command, verb: string): Command {
  return command
    .option('--verified', `${verb} the phone number as verified`)
    .option('--no-verified', `${verb} the phone number as not verified`)
    .option('--primary', `${verb} it the user's primary phone number`)
    .option('--no-primary', `do not ${verb.toLowerCase()} it the primary phone number`)
    .option('--reserved-for-second-factor', 'reserve it for multi-factor authentication (must be verified)')
    .option('--no-reserved-for-second-factor', 'do not reserve it for multi-factor authentication');
}

/** Builds the command tree; command code is imported only when that command runs. */
export function buildProgram(io: IO, run: (action: (ctx: CommandContext) => Promise<number | void>, command: Command) => Promise<void>): Command {
  const program = addGlobalOptions(new Command('phone'))
    .description("Manage the phone numbers of a Clerk application's users through Clerk's Backend API.")
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s), outputError: () => {} })
    .addHelpText('after', ROOT_HELP_AFTER);

  addBatchOptions(
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
    .description("list a user's phone numbers")
    .requiredOption('--user-id <id>', 'the user')
    .addHelpText('after', examples('phone list --user-id user_2x', 'phone list --user-id user_2x --output jsonl --fields id,phone_number'))
    .action((options, command: Command) => run(async (ctx) => (await import('./commands/list.js')).runList(ctx, options), command));

  addBatchOptions(addFieldOptions(program.command('update').description('change a phone number, or one per row of a file').argument('[phone_number_id]', 'the phone number ID (idn_…)'), 'mark'))
    .addHelpText('after', examples('phone update idn_2x --verified --primary', 'phone update idn_2x --no-reserved-for-second-factor', 'phone update --file changes.csv'))
    .action((id: string | undefined, options, command: Command) => run(async (ctx) => (await import('./commands/update.js')).runUpdate(ctx, id, options), command));

  addBatchOptions(
    program
      .command('delete')
      .description('delete a phone number, by ID or by number, or one per row of a file')
      .argument('[phone_number_id | +E164]', 'the phone number ID (idn_…) or the number (+1…)')
      .option('-y, --yes', 'do not ask for confirmation (required when not on a terminal, and with --file)'),
  )
    .addHelpText('after', examples('phone delete idn_2x', 'phone delete +12015550123 --yes --json', 'phone delete --file made.jsonl --yes'))
    .action((id: string | undefined, options, command: Command) => run(async (ctx) => (await import('./commands/delete.js')).runDelete(ctx, id, options), command));

  for (const command of [program, ...program.commands]) command.exitOverride();
  return program;
}

/** Global options may stand before or after the subcommand; commander keeps them on either level. */
function flagsOf(command: Command): GlobalFlags {
  return command.optsWithGlobals() as GlobalFlags;
}

async function reportError(io: IO, ctx: CommandContext | undefined, flags: GlobalFlags, error: unknown): Promise<number> {
  const cliError =
    error instanceof CliError ? error : new CliError(`unexpected error: ${(error as Error)?.message ?? String(error)}`, ExitCode.apiRefused, 'internal');
  const settings = ctx?.resolvedSettings;
  const format = settings?.output.value ?? outputFromFlags(flags, Boolean(io.stdout.isTTY));
  const { renderErrorJson, renderErrorForTerminal } = await import('./output/error-report.js');
  const text = isMachineOutput(format)
    ? renderErrorJson(cliError)
    : renderErrorForTerminal(cliError, colorLevel(flags.color, io.env, Boolean(io.stderr.isTTY)));
  const { redactIn } = await import('./redact.js');
  io.stderr.write(redactIn(text, settings?.secretKey?.value));
  if (flags.debug && !(error instanceof CliError) && error instanceof Error && error.stack) {
    io.stderr.write(redactIn(`${error.stack}\n`, settings?.secretKey?.value));
  }
  return cliError.exitCode;
}

function commandPath(command: Command): string {
  return command.parent ? `phone ${command.name()}` : 'phone';
}

function commanderUsageError(error: CommanderError, command: Command): CliError {
  const usage = `Usage: ${commandPath(command)} ${command.usage()}\nRun '${commandPath(command)} --help' for more.`;
  return usageError(error.message.replace(/^error: /, ''), { usage });
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
      // Help was already printed to stderr because no command was given.
      if (error.code === 'commander.help') return ExitCode.usage;
      const failing = findCommand(program, argv);
      return reportError(io, ctx, flagsOf(failing), commanderUsageError(error, failing));
    }
    return reportError(io, ctx, activeCommand ? flagsOf(activeCommand) : (program.opts() as GlobalFlags), error);
  }
  return exitCode;
}

/** The subcommand the arguments name, for the usage line of an error. */
function findCommand(program: Command, argv: string[]): Command {
  const names = new Set(argv.filter((arg) => !arg.startsWith('-')));
  return program.commands.find((command) => names.has(command.name())) ?? program;
}
