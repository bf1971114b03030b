import type { Command } from 'commander';
import type { CommandContext } from './context.js';
import { examples } from './help-text.js';

/** How cli.ts runs a command's action: settings, output and the one error handler around it. */
export type RunCommand = (action: (ctx: CommandContext) => Promise<number | void>, command: Command) => Promise<void>;

/** `phone auth login|status|logout` (issue 15), wired apart from cli.ts to keep it short; the code is imported when run. */
export function addAuthCommands(program: Command, run: RunCommand): void {
  const auth = program
    .command('auth')
    .description('store a secret key once (OS credential store), see which instance it reaches, remove it')
    .addHelpText('after', examples('phone auth login', 'phone auth login --profile prod', 'phone auth status --json', 'phone auth logout'));
  auth
    .command('login')
    .usage('[--profile <name>] [--api-url <url>] [--with-key-stdin] [options]')
    .description('check a secret key against its instance (GET /v1/instance) and store it; asks for it with input hidden')
    .option('--with-key-stdin', 'read the key from the first line of stdin instead of asking')
    .addHelpText(
      'after',
      examples(
        'phone auth login',
        'phone auth login --profile prod --api-url https://api.clerk.com',
        'phone auth login --with-key-stdin < key.txt',
      ) +
        "\nThe key goes to the OS credential store (Keychain, Credential Manager, Secret Service); where there is none, to the\nuser config file with mode 0600. --profile (or PHONE_PROFILE) stores it as that profile's key, with --api-url if given.\n",
    )
    .action((options, command: Command) => run(async (ctx) => (await import('./commands/auth.js')).runAuthLogin(ctx, options), command));
  auth
    .command('status')
    .usage('[--profile <name>] [options]')
    .description(
      'the key in force (redacted), where it came from, and the instance it reaches: exit 0 works, 4 refused/none, 5 unreachable',
    )
    .addHelpText('after', examples('phone auth status', 'phone --profile prod auth status --json'))
    .action((_options, command: Command) => run(async (ctx) => (await import('./commands/auth.js')).runAuthStatus(ctx), command));
  auth
    .command('logout')
    .usage('[--profile <name>] [options]')
    .description('remove the stored key of the default or the named profile (credential store and config file)')
    .addHelpText('after', examples('phone auth logout', 'phone auth logout --profile prod'))
    .action((_options, command: Command) => run(async (ctx) => (await import('./commands/auth.js')).runAuthLogout(ctx), command));
}
