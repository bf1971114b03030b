import { CliError, ExitCode, usageError } from './errors.js';
import { userConfigDir } from './config-files.js';
import {
  definesProfile,
  loadConfigLayers,
  SettingsLookup,
  unknownProfile,
  validatedLayers,
  type ConfigLayer,
  type FileValue,
} from './config-layers.js';
import { MAX_RETRIES, MAX_TIMEOUT_MS, OUTPUT_FORMATS, secretKeysIn, type OutputFormat } from './config-validate.js';
import { isTrustedByProjectFiles, normalizeApiUrl } from './api-url.js';
import { FileProblem, readRegularFile } from './regular-file.js';
import { redactIn, redactKeyShapes } from './redact.js';
import { parseBoundedInteger } from './validate.js';
import { parseFields } from './fields-flag.js';
import { parseRate, type Rate } from './api/rate.js';

export { OUTPUT_FORMATS, type OutputFormat };

export const DEFAULT_API_URL = 'https://api.clerk.com';
const DEFAULT_RETRIES = 3;
const DEFAULT_TIMEOUT_MS = 30_000;

/** Global flags as commander parsed them. */
export interface GlobalFlags {
  output?: string;
  json?: boolean;
  apiUrl?: string;
  config?: string;
  secretKeyFile?: string;
  retries?: string;
  timeout?: string;
  debug?: boolean;
  color?: boolean;
  fields?: string;
  profile?: string;
  /** `--rate` of batch runs, read through optsWithGlobals() as the command flags below. */
  rate?: string;
  /** Command flags that change how every request is treated, read through optsWithGlobals(). */
  dryRun?: boolean;
  live?: boolean;
}

/** A resolved value and where it came from, e.g. `--api-url`, `CLERK_API_URL`, `/repo/.phonerc (apiUrl)`, `default`. */
export interface Setting<T> {
  value: T;
  source: string;
}

export interface Settings {
  profile: Setting<string> | undefined;
  secretKey: Setting<string> | undefined;
  apiUrl: Setting<string>;
  output: Setting<OutputFormat>;
  retries: Setting<number>;
  timeoutMs: Setting<number>;
  /** The pace of batch runs when the user set one; otherwise it follows from the key (defaultRateForKey). */
  rate: Setting<Rate> | undefined;
  debug: boolean;
  /** `--fields`: the API fields to show, or undefined for all. */
  fields: string[] | undefined;
  /** The settings files read, highest precedence first: the project file, then the user file (or the --config file alone). */
  configFiles: string[];
  /** Said on stderr once settings are resolved. */
  warnings: string[];
  /** Why the credential store gave no key, when it was asked (for the no-key error). */
  storeNote: string | undefined;
}

/** A key read from a file, with what the permission warning needs. */
interface KeyFromFile extends Setting<string> {
  path: string;
  mode: number;
}

function readSecretKeyFile(path: string): KeyFromFile {
  const source = `--secret-key-file ${path}`;
  let file;
  try {
    file = readRegularFile(path);
  } catch (error) {
    if (error instanceof FileProblem) throw usageError(`cannot read ${source}: it ${error.message}`);
    throw error;
  }
  if (!file) {
    // The key itself passed where its file belongs: say so (the message shows it redacted).
    const hint = /^sk_(test|live)_/i.test(path)
      ? { hint: '--secret-key-file takes the path of a file that holds the key, not the key' }
      : {};
    throw usageError(`cannot read ${source}: no such file (ENOENT)`, hint);
  }
  const key = file.text.trim();
  if (!key) throw new CliError(`${source} is empty`, ExitCode.auth, 'no_secret_key');
  return { value: key, source, path, mode: file.mode };
}

/** As ssh does for private keys: the command still runs, but the owner is told. */
function readableByOthers(path: string, mode: number): string | undefined {
  if (!(mode & 0o044)) return undefined;
  return `${path} holds the secret key and group or others can read it (mode ${mode.toString(8).padStart(4, '0')}): chmod 600 ${path}`;
}

function untrustedApiUrl(apiUrl: Setting<string>, env: NodeJS.ProcessEnv): CliError {
  const { host } = new URL(apiUrl.value);
  return new CliError(
    `${apiUrl.source} points the API at ${host}: a config file found from the working directory may only use ` +
      `https://api.clerk.com or a loopback address, so that a cloned repository cannot send your secret key elsewhere. ` +
      `To use ${host}, pass --api-url, set CLERK_API_URL, or set apiUrl in your own config file under ${userConfigDir(env)}/`,
    ExitCode.usage,
    'untrusted_api_url',
  );
}

/** The error with every known key taken out of its text. */
function withoutSecrets(error: unknown, secrets: readonly string[]): unknown {
  const keys = secrets.flatMap((secret) => [secret, secret.trim()]);
  const redact = (text: string) => redactKeyShapes(redactIn(text, keys));
  if (error instanceof CliError) {
    return new CliError(redact(error.message), error.exitCode, error.code, { ...error.details, hint: error.hint && redact(error.hint) });
  }
  if (error instanceof Error) {
    error.message = redact(error.message);
    if (error.stack) error.stack = redact(error.stack);
  }
  return error;
}

export function parseOutputFormat(value: string, flag: string): OutputFormat {
  if (!OUTPUT_FORMATS.includes(value as OutputFormat)) {
    throw usageError(`${flag} must be one of ${OUTPUT_FORMATS.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as OutputFormat;
}

/** The output format from flags and the terminal alone: what error reporting uses before settings exist. */
export function outputFromFlags(flags: GlobalFlags, stdoutIsTTY: boolean): OutputFormat {
  if (flags.json) return 'json';
  if (flags.output && OUTPUT_FORMATS.includes(flags.output as OutputFormat)) return flags.output as OutputFormat;
  return stdoutIsTTY ? 'table' : 'json';
}

/** Errors are one JSON line for JSON and JSON Lines output alike; a person reads the rest. */
export function isMachineOutput(format: OutputFormat): boolean {
  return format !== 'table';
}

export interface ResolveInput {
  flags: GlobalFlags;
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdoutIsTTY: boolean;
  /**
   * `phone auth login`: the key is about to be given, so none is looked for, and a profile no file
   * defines yet is a new one, not an error.
   */
  forLogin?: boolean;
}

/** The first place, in precedence order, that has a value. */
function firstOf<T>(...places: (Setting<T> | undefined)[]): Setting<T> | undefined {
  return places.find((place) => place !== undefined && place.value !== undefined);
}

function given<T>(value: T | undefined, source: string): Setting<T> | undefined;
function given<In, Out>(value: In | undefined, source: string, parse: (value: In) => Out): Setting<Out> | undefined;
function given<In, Out>(value: In | undefined, source: string, parse?: (value: In) => Out): Setting<In | Out> | undefined {
  return value === undefined ? undefined : { value: parse ? parse(value) : value, source };
}

/** A `rate` from a file, checked where it was read: errors name the file and key. */
function parsedRate(setting: Setting<string> | undefined): Setting<Rate> | undefined {
  return setting && { value: parseRate(setting.value, `rate (from ${setting.source})`), source: setting.source };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined;
}

/** The profile asked for: --profile as given, else PHONE_PROFILE (trimmed; blank is none). */
export function chosenProfile(flags: GlobalFlags, env: NodeJS.ProcessEnv): Setting<string> | undefined {
  return given(flags.profile, '--profile') ?? given(nonEmpty(env.PHONE_PROFILE), 'PHONE_PROFILE');
}

/**
 * Flags beat a profile asked for by name, which beats the environment, which beats the config
 * files' top level (the project file's, then the user file's), which beats the defaults. A named profile beats CLERK_SECRET_KEY and
 * CLERK_API_URL on purpose: `--profile prod` must never quietly talk to the instance of a dev key
 * left in the environment; a warning says so when they differ. Keys stored by `phone auth login`
 * in the OS credential store come last in their rank: a profile's after that profile's file key,
 * the default one after every other key (as gh's stored token yields to GH_TOKEN). The store is
 * asked only when no key ranked above it is there: its native module costs start-up time.
 */
export async function resolveSettings(input: ResolveInput): Promise<Settings> {
  // Filled as keys become known: an error raised on the way must not show any of them.
  const secrets: string[] = [];
  try {
    return await resolveSettingsFrom(input, secrets);
  } catch (error) {
    throw withoutSecrets(error, secrets);
  }
}

/** Where a key may be looked up: the config files, and the named profile (`fromProfile` when some file defines it). */
interface KeyPlaces {
  layers: ConfigLayer[];
  fromFiles: SettingsLookup;
  fromProfile: SettingsLookup | undefined;
  profile: Setting<string> | undefined;
}

/**
 * The secret key in precedence order: --secret-key-file, the named profile's (its file key, else
 * the credential store's), CLERK_SECRET_KEY, the files' top level, the credential store's default
 * key. Every key read joins `secrets` (kept out of errors); what the user should know joins `warnings`.
 */
async function resolveSecretKey(
  flags: GlobalFlags,
  env: NodeJS.ProcessEnv,
  { layers, fromFiles, fromProfile, profile }: KeyPlaces,
  { secrets, warnings }: { secrets: string[]; warnings: string[] },
): Promise<{ secretKey: Setting<string> | undefined; storeNote: string | undefined }> {
  let storeNote: string | undefined;
  const stored = async (name: string | undefined): Promise<Setting<string> | undefined> => {
    const { readStoredKey } = await import('./credentials/store.js');
    const found = await readStoredKey(env, name);
    storeNote = found.unavailable ? `the credential store (${found.unavailable})` : `${found.source} (no key)`;
    if (found.key) secrets.push(found.key);
    return found.key === undefined ? undefined : { value: found.key, source: found.source };
  };
  // A profile that only `phone auth login --profile` made lives in the credential store alone.
  let keyFromProfileStore = profile && !fromProfile ? await stored(profile.value) : undefined;
  if (profile && !fromProfile && !keyFromProfileStore) {
    throw unknownProfile(profile.value, layers, `, and ${storeNote} has no key of that name`);
  }

  const keyFromFlag = flags.secretKeyFile === undefined ? undefined : readSecretKeyFile(flags.secretKeyFile);
  if (keyFromFlag) secrets.push(keyFromFlag.value);
  const secretKeyFromEnv = given(nonEmpty(env.CLERK_SECRET_KEY), 'CLERK_SECRET_KEY');
  const trimmed = (setting: FileValue<string> | undefined) => setting && { ...setting, value: setting.value.trim() };
  const keyFromProfile = trimmed(fromProfile?.get('secretKey'));
  const keyFromFiles = trimmed(fromFiles.get('secretKey'));
  if (fromProfile && !keyFromFlag && !keyFromProfile) keyFromProfileStore = await stored(profile!.value);
  const keyFromProfiles = keyFromProfile ?? keyFromProfileStore;
  const secretKey = firstOf<string>(keyFromFlag, keyFromProfiles, secretKeyFromEnv, keyFromFiles) ?? (await stored(undefined));
  if (secretKey && !/^[\x21-\x7e]+$/.test(secretKey.value)) {
    throw new CliError(
      `the secret key from ${secretKey.source} has characters no key has (spaces or control characters)`,
      ExitCode.auth,
      'invalid_secret_key',
    );
  }
  if (secretKeyFromEnv && secretKey === keyFromProfiles && secretKey?.value !== secretKeyFromEnv.value) {
    warnings.push(`profile "${profile!.value}" sets the secret key; CLERK_SECRET_KEY, which differs, is ignored`);
  }
  // The file the key in force was read from, if any: a key others can read is worth a warning.
  const keyFile =
    secretKey === keyFromFlag ? keyFromFlag : [keyFromProfile, keyFromFiles].find((place) => place && place === secretKey)?.file;
  const exposed = keyFile && readableByOthers(keyFile.path, keyFile.mode);
  if (exposed) warnings.push(exposed);
  return { secretKey, storeNote };
}

async function resolveSettingsFrom({ flags, env, cwd, stdoutIsTTY, forLogin }: ResolveInput, secrets: string[]): Promise<Settings> {
  if (env.CLERK_SECRET_KEY) secrets.push(env.CLERK_SECRET_KEY);
  const files = await loadConfigLayers(flags.config, cwd, env);
  for (const file of files) secrets.push(...secretKeysIn(file.content));
  const layers = validatedLayers(files);
  const fromFiles = new SettingsLookup(layers);

  const profile = chosenProfile(flags, env);
  const fromProfile = profile && definesProfile(layers, profile.value) ? new SettingsLookup(layers, profile.value) : undefined;
  const warnings: string[] = [];
  // `phone auth login` is about to be given its key: none is looked for, and a new profile is no error.
  const { secretKey, storeNote } = forLogin
    ? { secretKey: undefined, storeNote: undefined }
    : await resolveSecretKey(flags, env, { layers, fromFiles, fromProfile, profile }, { secrets, warnings });

  const apiUrlFromEnv = given(nonEmpty(env.CLERK_API_URL), 'CLERK_API_URL', (url) => normalizeApiUrl(url, 'CLERK_API_URL'));
  const fileApiUrl = (setting: FileValue<string> | undefined) =>
    setting && { ...setting, value: normalizeApiUrl(setting.value, setting.source) };
  const apiUrlFromProfile = fileApiUrl(fromProfile?.get('apiUrl'));
  const apiUrlFromFiles = fileApiUrl(fromFiles.get('apiUrl'));
  const apiUrl = firstOf<string>(
    given(flags.apiUrl, '--api-url', (url) => normalizeApiUrl(url, '--api-url')),
    apiUrlFromProfile,
    apiUrlFromEnv,
    apiUrlFromFiles,
  ) ?? { value: normalizeApiUrl(DEFAULT_API_URL, 'default'), source: 'default' };
  const apiUrlFile = apiUrl === apiUrlFromProfile ? apiUrlFromProfile.file : apiUrl === apiUrlFromFiles ? apiUrlFromFiles.file : undefined;
  const fromProjectFile = apiUrlFile !== undefined && !apiUrlFile.trusted;
  // The environment saying the same URL is the user's own choice of it.
  if (fromProjectFile && !isTrustedByProjectFiles(apiUrl.value) && apiUrl.value !== apiUrlFromEnv?.value) {
    throw untrustedApiUrl(apiUrl, env);
  }
  if (apiUrlFromEnv && apiUrl === apiUrlFromProfile && apiUrl.value !== apiUrlFromEnv.value) {
    warnings.push(`profile "${profile!.value}" sets the API URL; CLERK_API_URL, which differs, is ignored`);
  }

  return {
    profile,
    secretKey,
    apiUrl,
    output: resolveOutput(flags, fromProfile?.get('output') ?? fromFiles.get('output'), stdoutIsTTY),
    retries: firstOf<number>(
      given(flags.retries, '--retries', (value) => parseBoundedInteger(value, '--retries', 0, MAX_RETRIES)),
      fromProfile?.get('retries'),
      fromFiles.get('retries'),
    ) ?? { value: DEFAULT_RETRIES, source: 'default' },
    timeoutMs: firstOf<number>(
      given(flags.timeout, '--timeout', (value) => parseBoundedInteger(value, '--timeout', 1, MAX_TIMEOUT_MS)),
      fromProfile?.get('timeout'),
      fromFiles.get('timeout'),
    ) ?? { value: DEFAULT_TIMEOUT_MS, source: 'default' },
    rate: firstOf<Rate>(
      given(flags.rate, '--rate', (value) => parseRate(value, '--rate')),
      parsedRate(fromProfile?.get('rate')),
      parsedRate(fromFiles.get('rate')),
    ),
    debug: debugRequested(flags, env),
    fields: flags.fields !== undefined ? parseFields(flags.fields) : undefined,
    configFiles: files.map((file) => file.path),
    warnings,
    storeNote,
  };
}

/**
 * A config file's `output` is what a person at a terminal wants to see: off a terminal the
 * reader is a program, and gets JSON unless a flag asks for something else, so that a recipe
 * piping to jq works whatever the user's config says.
 */
function resolveOutput(flags: GlobalFlags, fromFile: Setting<OutputFormat> | undefined, stdoutIsTTY: boolean): Setting<OutputFormat> {
  if (flags.json) return { value: 'json', source: '--json' };
  if (flags.output !== undefined) return { value: parseOutputFormat(flags.output, '--output'), source: '--output' };
  if (stdoutIsTTY) return fromFile ? { value: fromFile.value, source: fromFile.source } : { value: 'table', source: 'default (terminal)' };
  const note = fromFile && fromFile.value !== 'json' ? `; ${fromFile.source} applies on a terminal only` : '';
  return { value: 'json', source: `default (not a terminal${note})` };
}

/** `--debug`, or PHONE_DEBUG set to anything but an empty string, 0, false or no. */
export function debugRequested(flags: GlobalFlags, env: NodeJS.ProcessEnv): boolean {
  const value = env.PHONE_DEBUG;
  return Boolean(flags.debug) || (value !== undefined && !['', '0', 'false', 'no'].includes(value.trim().toLowerCase()));
}
