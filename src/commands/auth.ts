import type { CommandContext } from '../context.js';
import { noSecretKeyError } from '../context.js';
import { chosenProfile, resolveSettings } from '../config.js';
import { CliError, ExitCode, usageError } from '../errors.js';
import { canPrompt } from '../io.js';
import { keyKind, redactKey } from '../redact.js';
import { readFirstLine, readHiddenLine } from '../secret-input.js';
import { getInstance, type InstanceInfo } from '../api/instance.js';
import { credentialStoreWanted, openStoreEntry, storeErrorText, storeSource } from '../credentials/store.js';
import { keyFilePath, removeFileKey, writeFileSettings, type Edited } from '../credentials/config-file.js';
import { renderMachine } from '../output/json.js';
import { escapeForTerminal } from '../output/terminal-text.js';
import { writeOutput } from '../output/write-output.js';

export interface LoginOptions {
  withKeyStdin?: boolean;
}

/** `--profile`, else PHONE_PROFILE, as every command reads them; undefined for the default key. */
function profileOf(ctx: CommandContext): string | undefined {
  return chosenProfile(ctx.flags, ctx.io.env)?.value;
}

/** Longer profile names are described, not shown, in messages (config-parse.ts shownKey). */
const MAX_PROFILE_NAME = 64;

/**
 * A profile that login is about to make must be one a config file can hold and a message can
 * show: `__proto__`, `constructor` and the like are refused by every later read of the file.
 */
function checkNewProfile(profile: string | undefined): void {
  if (profile === undefined) return;
  const problem =
    profile.trim() === ''
      ? 'is blank'
      : profile.length > MAX_PROFILE_NAME
        ? `is longer than ${MAX_PROFILE_NAME} characters`
        : [...profile].some((char) => char < ' ' || char === '\x7f')
          ? 'has control characters'
          : Object.hasOwn(Object.prototype, profile)
            ? 'names a member of JavaScript objects, which config files may not use as a key'
            : undefined;
  if (problem) throw usageError(`the profile name ${JSON.stringify(profile.slice(0, MAX_PROFILE_NAME))} ${problem}`);
}

function whose(profile: string | undefined): string {
  return profile === undefined ? 'the default key' : `the key of profile ${JSON.stringify(profile)}`;
}

/** The file's place of the key, as sources are named elsewhere: `/home/me/.config/phone/config.yaml (profiles.prod.secretKey)`. */
function fileSource(path: string, profile: string | undefined): string {
  return `${path} (${profile === undefined ? '' : `profiles.${profile}.`}secretKey)`;
}

async function readKey(ctx: CommandContext, options: LoginOptions): Promise<string> {
  let key: string;
  const question = 'Paste your secret key (sk_test_… or sk_live_…; input is hidden): ';
  // --with-key-stdin from a terminal: what is typed there must not show either.
  if (options.withKeyStdin) key = ctx.io.stdin.isTTY ? await readHiddenLine(ctx.io, question) : await readFirstLine(ctx.io);
  else if (canPrompt(ctx.io)) key = await readHiddenLine(ctx.io, question);
  else {
    // On a terminal, CI (set by CI runners) is what keeps phone from asking: say so, or the message would be false.
    const why =
      ctx.io.stdin.isTTY && ctx.io.stderr.isTTY
        ? `CI=${JSON.stringify(String(ctx.io.env.CI).slice(0, 20))} says no one is there to ask`
        : 'no terminal to ask for the key on';
    throw usageError(`${why}: pipe it in with --with-key-stdin (e.g. phone auth login --with-key-stdin < key.txt)`);
  }
  key = key.trim();
  if (!key) throw usageError('no key entered');
  if (!/^[\x21-\x7e]+$/.test(key)) throw usageError('the key entered has characters no key has (spaces or control characters)');
  return key;
}

/** GET /v1/instance with the key; a refusal or failure says that nothing was stored. */
async function checkKey(ctx: CommandContext, key: string): Promise<InstanceInfo> {
  const client = await ctx.client({ key });
  try {
    return await getInstance(client);
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    const kind = keyKind(key) === 'unknown' ? 'not shaped like a Clerk secret key' : `a ${keyKind(key)} key`;
    const hint = `the key entered was ${redactKey(key)}, ${kind}; nothing was stored`;
    throw new CliError(error.message, error.exitCode, error.code, { ...error.details, hint: error.hint ? `${hint}; ${error.hint}` : hint });
  }
}

/** The notice that a YAML file login or logout rewrote lost its comments, if it had any. */
function commentsDropped(path: string, edited: Edited | false): string[] {
  return edited && edited.commentsDropped ? [`${path} was rewritten without its comments (YAML comments are not kept)`] : [];
}

/** Where login put the key, and the notices that go with it. */
async function storeKey(ctx: CommandContext, profile: string | undefined, key: string, apiUrl: string | undefined) {
  const path = await keyFilePath(ctx.io.env, ctx.io.cwd, ctx.flags.config);
  const notices: string[] = [];
  const kept = (edited: Edited | false) => notices.push(...commentsDropped(path, edited));
  let why: string | undefined;
  const opened = await openStoreEntry(ctx.io.env, profile);
  if (opened.entry) {
    try {
      await opened.entry.set(key);
    } catch (error) {
      why = `the credential store refused it: ${storeErrorText(error)}`;
    }
    if (why === undefined) {
      if (apiUrl !== undefined) kept(await writeFileSettings(path, profile, { apiUrl }));
      // A key left in the file at the same place would be used before the stored one.
      const removed = await removeFileKey(path, profile);
      if (removed) notices.push(`removed the key that ${fileSource(path, profile)} held: the credential store has it now`);
      if (apiUrl === undefined) kept(removed);
      return { storedIn: opened.source, notices };
    }
  }
  why ??= opened.unavailable;
  const edited = await writeFileSettings(path, profile, { secretKey: key, apiUrl });
  notices.push(`no credential store to use (${why}): the key was written to ${path}, readable only by you (mode 0600)`);
  kept(edited);
  return { storedIn: fileSource(path, profile), notices };
}

/**
 * What every other command will use after login, when it is not the key just stored: a key from
 * CLERK_SECRET_KEY, a project file or a flag file ranks above a stored one (README, Configuration).
 */
async function outranked(ctx: CommandContext, key: string): Promise<string[]> {
  let settings;
  try {
    settings = await resolveSettings({ flags: ctx.flags, env: ctx.io.env, cwd: ctx.io.cwd, stdoutIsTTY: false });
  } catch {
    return [];
  }
  const used = settings.secretKey;
  if (!used || used.value === key) return [];
  return [`commands run here will not use it: they use ${redactKey(used.value)} from ${used.source}, which ranks above it`];
}

/** `phone auth login`: asks for a key (or reads it from stdin), checks it against the instance, and stores it. */
export async function runAuthLogin(ctx: CommandContext, options: LoginOptions): Promise<void> {
  ctx.forLogin = true;
  const profile = profileOf(ctx);
  checkNewProfile(profile);
  if (ctx.flags.secretKeyFile !== undefined) {
    throw usageError('phone auth login reads the key from the terminal or stdin, not --secret-key-file', {
      hint: 'phone auth login --with-key-stdin < <path>',
    });
  }
  // A PHONE_CREDENTIAL_STORE phone does not know is a usage error before the key is typed, not after.
  credentialStoreWanted(ctx.io.env);
  const settings = await ctx.settings();
  const key = await readKey(ctx, options);
  ctx.enteredKeys.push(key);
  const instance = await checkKey(ctx, key);
  const { storedIn, notices } = await storeKey(ctx, profile, key, ctx.flags.apiUrl);
  notices.push(...(await outranked(ctx, key)));
  for (const notice of notices) ctx.io.stderr.write(`notice: ${escapeForTerminal(notice)}\n`);
  const output = await ctx.output();
  const result = { profile: profile ?? null, key: redactKey(key), instance, apiUrl: settings.apiUrl.value, storedIn };
  if (output.format !== 'table') return writeOutput(ctx.io.stdout, renderMachine(output.format, result));
  await writeOutput(
    ctx.io.stdout,
    escapeForTerminal(
      `Logged in to instance ${instance.id} (${instance.environment}) at ${settings.apiUrl.value} with ${result.key}.\n` +
        `${whose(profile)[0]!.toUpperCase()}${whose(profile).slice(1)} is stored in ${storedIn}.\n`,
      { keepNewlines: true },
    ),
  );
}

/** What `phone auth status` calls the kind of place a key came from. */
function sourceKind(source: string): string {
  if (source.startsWith('--secret-key-file')) return 'flag file';
  if (source === 'CLERK_SECRET_KEY') return 'environment';
  if (source.startsWith('credential store')) return 'credential store';
  return source.includes('(profiles.') ? 'profile of a file' : 'file';
}

/** `phone auth status`: the key every other command would use, where it came from, and the instance it reaches. */
export async function runAuthStatus(ctx: CommandContext): Promise<void> {
  const settings = await ctx.settings();
  const { secretKey, apiUrl } = settings;
  if (!secretKey) throw noSecretKeyError(settings, ctx.io);
  let ms: number | undefined;
  const client = await ctx.client({ onLatency: (latency) => (ms = Math.round(latency)) });
  const instance = await getInstance(client);
  const output = await ctx.output();
  const result = {
    profile: settings.profile?.value ?? null,
    key: redactKey(secretKey.value),
    kind: keyKind(secretKey.value),
    source: secretKey.source,
    sourceKind: sourceKind(secretKey.source),
    apiUrl: apiUrl.value,
    instance,
    roundTripMs: ms ?? null,
  };
  if (output.format !== 'table') return writeOutput(ctx.io.stdout, renderMachine(output.format, result));
  const rows: [string, string][] = [
    ['profile', result.profile ?? '(none)'],
    ['key', `${result.key} (${result.kind})`],
    ['source', result.sourceKind === 'credential store' ? result.source : `${result.source} (${result.sourceKind})`],
    ['API URL', `${apiUrl.value} (${apiUrl.source})`],
    ['instance', `${instance.id} (${instance.environment})`],
    ['round trip', ms === undefined ? '(unknown)' : `${ms} ms`],
  ];
  await writeOutput(ctx.io.stdout, rows.map(([name, value]) => `${name.padEnd(10)}  ${escapeForTerminal(value)}\n`).join(''));
}

/** `phone auth logout`: removes the key login stored for the profile (or the default), from the credential store and the file. */
export async function runAuthLogout(ctx: CommandContext): Promise<void> {
  const profile = profileOf(ctx);
  const removedFrom: string[] = [];
  const notices: string[] = [];
  let storeFailure: CliError | undefined;
  const opened = await openStoreEntry(ctx.io.env, profile);
  if (opened.entry) {
    try {
      if (await opened.entry.delete()) removedFrom.push(storeSource(profile));
    } catch (error) {
      storeFailure = new CliError(
        `cannot remove ${whose(profile)} from ${opened.source}: ${storeErrorText(error)}`,
        ExitCode.apiRefused,
        'credential_store_failed',
      );
    }
  }
  // A store that failed does not keep the key in the file: login may have put it there when the store refused it.
  const path = await keyFilePath(ctx.io.env, ctx.io.cwd, ctx.flags.config);
  const removed = await removeFileKey(path, profile);
  if (removed) removedFrom.push(fileSource(path, profile));
  notices.push(...commentsDropped(path, removed));
  if (storeFailure) notices.push(...removedFrom.map((place) => `removed ${whose(profile)} from ${place}`));
  if (removedFrom.length === 0 && !storeFailure) {
    const places = [opened.entry ? storeSource(profile) : undefined, path].filter(Boolean).join(' or ');
    const unchecked = opened.entry ? '' : ` (the credential store was not looked at: ${opened.unavailable})`;
    notices.push(`${whose(profile)} is not stored in ${places}: nothing to remove${unchecked}`);
  }
  for (const notice of notices) ctx.io.stderr.write(`notice: ${escapeForTerminal(notice)}\n`);
  if (storeFailure) throw storeFailure;
  const output = await ctx.output();
  if (output.format !== 'table') return writeOutput(ctx.io.stdout, renderMachine(output.format, { profile: profile ?? null, removedFrom }));
  await writeOutput(
    ctx.io.stdout,
    removedFrom.map((place) => `${escapeForTerminal(`Removed ${whose(profile)} from ${place}.`)}\n`).join(''),
  );
}
