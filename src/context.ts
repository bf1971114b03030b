import { CliError, ExitCode } from './errors.js';
import type { IO } from './io.js';
import { debugRequested, resolveSettings, type GlobalFlags, type Settings } from './config.js';
import { colorLevel } from './output/color.js';
import type { OutputTarget } from './output/output.js';
import { userConfigDir } from './config-files.js';
import { isLiveKey, keyKind, redactIn, redactKey } from './redact.js';
import { VERSION } from './version.js';
import type { ClerkClient, ClientOptions } from './api/client.js';

/** What every command gets: its streams, the global flags, and settings and a client made on first use. */
export class CommandContext {
  #settings: Promise<Settings> | undefined;
  #resolved: Settings | undefined;
  /** `phone auth login`: settings without a key, and a profile that is about to be made (ResolveInput.forLogin). */
  forLogin = false;
  /** Keys that are not settings (the one `phone auth login` was given): taken out of debug lines and errors too. */
  readonly enteredKeys: string[] = [];

  constructor(
    readonly io: IO,
    readonly flags: GlobalFlags,
  ) {}

  settings(): Promise<Settings> {
    this.#settings ??= resolveSettings({
      flags: this.flags,
      env: this.io.env,
      cwd: this.io.cwd,
      stdoutIsTTY: Boolean(this.io.stdout.isTTY),
      forLogin: this.forLogin,
    }).then((settings) => {
      for (const warning of settings.warnings) this.io.stderr.write(`warning: ${warning}\n`);
      return (this.#resolved = settings);
    });
    return this.#settings;
  }

  /** Settings if they were resolved already; error reporting must not trigger config loading. */
  get resolvedSettings(): Settings | undefined {
    return this.#resolved;
  }

  get debugEnabled(): boolean {
    return debugRequested(this.flags, this.io.env);
  }

  /** Debug lines go to stderr only, timestamped, with the key redacted. */
  debug = (line: string): void => {
    if (!this.debugEnabled) return;
    const text = `[phone debug ${new Date().toISOString()}] ${line}\n`;
    this.io.stderr.write(redactIn(text, [this.#resolved?.secretKey?.value, ...this.enteredKeys]));
  };

  /** Where results go, in the format and with the fields the settings say. */
  async output(): Promise<OutputTarget> {
    const { output, fields } = await this.settings();
    const level = colorLevel(this.flags.color, this.io.env, Boolean(this.io.stdout.isTTY));
    return { stdout: this.io.stdout, stderr: this.io.stderr, format: output.value, fields, colorLevel: level };
  }

  /**
   * The API client. `mutating`: the command changes data, so a production key is pointed out to
   * a person at a terminal, and --dry-run keeps the change from being sent.
   */
  async client(
    options: Partial<Pick<ClientOptions, 'pacer' | 'onLatency' | 'signal' | 'retries' | 'timeoutMs'>> & {
      mutating?: boolean;
      key?: string;
    } = {},
  ): Promise<ClerkClient> {
    const settings = await this.settings();
    // `key`: one that is not a setting yet (`phone auth login` checks it before storing it).
    const secretKey = options.key !== undefined ? { value: options.key, source: 'input' } : settings.secretKey;
    if (!secretKey) throw noSecretKeyError(settings, this.io);
    if (options.mutating && !this.flags.dryRun && isLiveKey(secretKey.value) && this.io.stderr.isTTY) {
      this.io.stderr.write(`Production instance: ${redactKey(secretKey.value)} (from ${secretKey.source}) is a live key\n`);
    }
    const { ClerkClient } = await import('./api/client.js');
    return new ClerkClient({
      baseUrl: settings.apiUrl.value,
      secretKey: secretKey.value,
      // A request that is only nice to have (a progress total) may give up sooner than the settings say.
      retries: Math.min(options.retries ?? Infinity, settings.retries.value),
      timeoutMs: Math.min(options.timeoutMs ?? Infinity, settings.timeoutMs.value),
      userAgent: `phone/${VERSION}`,
      debug: this.debugEnabled ? this.debug : undefined,
      pacer: options.pacer,
      onLatency: options.onLatency,
      signal: options.signal,
      dryRun: Boolean(this.flags.dryRun),
    });
  }
}

export function noSecretKeyError(settings: Settings, io: IO): CliError {
  const where = settings.configFiles.length
    ? `the config ${settings.configFiles.length > 1 ? 'files' : 'file'} ${settings.configFiles.join(' and ')} (no secretKey)`
    : `config files (none found: .phonerc* and package.json from ${io.cwd} upward, ${userConfigDir(io.env)}/config*)`;
  const store = settings.storeNote ? ` and ${settings.storeNote}` : '';
  return new CliError(
    `no secret key found: looked at --secret-key-file, CLERK_SECRET_KEY, ${where}${store}`,
    ExitCode.auth,
    'no_secret_key',
    {
      hint: 'run phone auth login, set CLERK_SECRET_KEY, or pass --secret-key-file <path> (the key is under "API Keys" in the Clerk Dashboard)',
    },
  );
}

const KEY_KINDS = {
  live: 'a live (production) key',
  test: 'a test (development) key',
  unknown: 'not shaped like a Clerk secret key',
} as const;

/**
 * What a person needs after a 401: which key was sent, from where (redacted), and what to check.
 * The settings know the key's source; the API layer does not.
 */
export function withKeySource(error: CliError, settings: Settings | undefined): CliError {
  const key = settings?.secretKey;
  if (error.status !== 401 || !key) return error;
  const kind = KEY_KINDS[keyKind(key.value)];
  const hint =
    `the key sent was ${redactKey(key.value)} from ${key.source}, ${kind}: check that it is the current secret key of this instance ` +
    `(Clerk Dashboard → your application → API Keys; a test key works only with its development instance, a live key with production)` +
    (error.hint ? `; ${error.hint}` : '');
  return new CliError(error.message, error.exitCode, error.code, { ...error.details, hint });
}
