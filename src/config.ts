import { readFileSync } from 'node:fs';
import { CliError, ExitCode, usageError } from './errors.js';
import { configError, findConfigFile, loadConfigFile, type ConfigFile } from './config-files.js';
import { normalizeApiUrl } from './api-url.js';
import { parseNonNegativeInteger, parsePositiveInteger } from './validate.js';
import { parseFields } from './fields-flag.js';

export const OUTPUT_FORMATS = ['table', 'json', 'jsonl'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

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
  debug: boolean;
  /** `--fields`: the API fields to show, or undefined for all. */
  fields: string[] | undefined;
  configFile: string | null;
  /** Said on stderr once settings are resolved. */
  warnings: string[];
}

interface ProfileSettings {
  secretKey?: string;
  apiUrl?: string;
  output?: OutputFormat;
  retries?: number;
  timeout?: number;
}

interface FileSettings extends ProfileSettings {
  profiles?: Record<string, ProfileSettings>;
}

type KeyCheck = (value: unknown) => string | null;
const isString: KeyCheck = (v) => (typeof v === 'string' && v.trim() !== '' ? null : 'a non-empty string');
const isWholeNumber = (min: number): KeyCheck => (v) =>
  Number.isInteger(v) && (v as number) >= min ? null : `a whole number of ${min} or more`;

const PROFILE_KEYS: Record<keyof ProfileSettings, KeyCheck> = {
  secretKey: isString,
  apiUrl: isString,
  output: (v) => (OUTPUT_FORMATS.includes(v as OutputFormat) ? null : `one of ${OUTPUT_FORMATS.join(', ')}`),
  retries: isWholeNumber(0),
  timeout: isWholeNumber(1),
};

/** Checks one level of settings; `prefix` names where it sits (`profiles.prod.`) in error messages. */
function checkSettings(content: unknown, path: string, prefix: string, keys: Record<string, KeyCheck>): void {
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    throw configError(path, `${prefix ? `key "${prefix.slice(0, -1)}"` : 'the file'} must be an object of settings`);
  }
  for (const [key, value] of Object.entries(content)) {
    const check = keys[key];
    if (!check) throw configError(path, `unknown key "${prefix}${key}" (known keys: ${Object.keys(keys).join(', ')})`);
    const expected = check(value);
    // The value is not echoed for the key setting: it may be the key itself.
    const got = key === 'secretKey' ? `a ${Array.isArray(value) ? 'list' : typeof value}` : JSON.stringify(value);
    if (expected) throw configError(path, `key "${prefix}${key}" must be ${expected}, got ${got}`);
  }
}

/** Rejects what a typo would otherwise turn into a silent default. */
function validateFileSettings(file: ConfigFile): FileSettings {
  const { content, path } = file;
  if (content === null || content === undefined) return {};
  const isObject: KeyCheck = (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? null : 'an object of named profiles');
  checkSettings(content, path, '', { ...PROFILE_KEYS, profiles: isObject });
  for (const [name, profile] of Object.entries((content as FileSettings).profiles ?? {})) {
    checkSettings(profile, path, `profiles.${name}.`, PROFILE_KEYS);
  }
  return content as FileSettings;
}

function readSecretKeyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read --secret-key-file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const key = text.trim();
  if (!key) throw new CliError(`--secret-key-file ${path} is empty`, ExitCode.auth, 'no_secret_key');
  return key;
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

function nonEmpty(value: string | undefined): string | undefined {
  return value?.trim() ? value.trim() : undefined;
}

/**
 * Flags beat a profile asked for by name, which beats the environment, which beats the config
 * file's top level, which beats the defaults. A named profile beats CLERK_SECRET_KEY and
 * CLERK_API_URL on purpose: `--profile prod` must never quietly talk to the instance of a dev key
 * left in the environment; a warning says so when they differ.
 */
export async function resolveSettings({ flags, env, cwd, stdoutIsTTY }: ResolveInput): Promise<Settings> {
  const file = flags.config ? await loadConfigFile(flags.config) : await findConfigFile(cwd, env);
  const fromFile = file ? validateFileSettings(file) : {};
  // Sources are named before it is known whether a value is there: they must not assume one.
  const fileSource = (key: string) => `${file?.path ?? 'config file'} (${key})`;

  const profile = given(flags.profile, '--profile') ?? given(nonEmpty(env.PHONE_PROFILE), 'PHONE_PROFILE');
  const fromProfile = profile ? selectProfile(fromFile, profile.value, file?.path ?? null) : {};
  const profileSource = (key: string) => fileSource(`profiles.${profile?.value}.${key}`);
  const warnings: string[] = [];

  const secretKeyFromEnv = given(nonEmpty(env.CLERK_SECRET_KEY), 'CLERK_SECRET_KEY');
  const secretKey = firstOf(
    given(flags.secretKeyFile, `--secret-key-file ${flags.secretKeyFile}`, readSecretKeyFile),
    given(fromProfile.secretKey?.trim(), profileSource('secretKey')),
    secretKeyFromEnv,
    given(fromFile.secretKey?.trim(), fileSource('secretKey')),
  );
  if (secretKey && !/^[\x21-\x7e]+$/.test(secretKey.value)) {
    throw new CliError(`the secret key from ${secretKey.source} has characters no key has (spaces or control characters)`, ExitCode.auth, 'invalid_secret_key');
  }
  if (secretKeyFromEnv && secretKey?.source.includes('(profiles.') && secretKey.value !== secretKeyFromEnv.value) {
    warnings.push(`profile "${profile!.value}" sets the secret key; CLERK_SECRET_KEY, which differs, is ignored`);
  }

  const apiUrlFromEnv = given(nonEmpty(env.CLERK_API_URL), 'CLERK_API_URL', (url) => normalizeApiUrl(url, 'CLERK_API_URL'));
  const apiUrl = firstOf(
    given(flags.apiUrl, '--api-url', (url) => normalizeApiUrl(url, '--api-url')),
    given(fromProfile.apiUrl, profileSource('apiUrl'), (url) => normalizeApiUrl(url, profileSource('apiUrl'))),
    apiUrlFromEnv,
    given(fromFile.apiUrl, fileSource('apiUrl'), (url) => normalizeApiUrl(url, fileSource('apiUrl'))),
  ) ?? { value: normalizeApiUrl(DEFAULT_API_URL, 'default'), source: 'default' };
  if (apiUrlFromEnv && apiUrl.source.includes('(profiles.') && apiUrl.value !== apiUrlFromEnv.value) {
    warnings.push(`profile "${profile!.value}" sets the API URL; CLERK_API_URL, which differs, is ignored`);
  }

  const output = firstOf<OutputFormat>(
    flags.json ? { value: 'json', source: '--json' } : undefined,
    given(flags.output, '--output', (value) => parseOutputFormat(value, '--output')),
    given(fromProfile.output, profileSource('output')),
    given(fromFile.output, fileSource('output')),
  ) ?? { value: stdoutIsTTY ? 'table' : 'json', source: stdoutIsTTY ? 'default (terminal)' : 'default (not a terminal)' };

  const retries = firstOf<number>(
    given(flags.retries, '--retries', (value) => parseNonNegativeInteger(value, '--retries')),
    given(fromProfile.retries, profileSource('retries')),
    given(fromFile.retries, fileSource('retries')),
  ) ?? { value: DEFAULT_RETRIES, source: 'default' };

  const timeoutMs = firstOf<number>(
    given(flags.timeout, '--timeout', (value) => parsePositiveInteger(value, '--timeout')),
    given(fromProfile.timeout, profileSource('timeout')),
    given(fromFile.timeout, fileSource('timeout')),
  ) ?? { value: DEFAULT_TIMEOUT_MS, source: 'default' };

  return {
    profile,
    secretKey,
    apiUrl,
    output,
    retries,
    timeoutMs,
    debug: debugRequested(flags, env),
    fields: flags.fields !== undefined ? parseFields(flags.fields) : undefined,
    configFile: file?.path ?? null,
    warnings,
  };
}

/** `--debug`, or PHONE_DEBUG set to anything but an empty string, 0, false or no. */
export function debugRequested(flags: GlobalFlags, env: NodeJS.ProcessEnv): boolean {
  const value = env.PHONE_DEBUG;
  return Boolean(flags.debug) || (value !== undefined && !['', '0', 'false', 'no'].includes(value.trim().toLowerCase()));
}

function selectProfile(settings: FileSettings, name: string, path: string | null): ProfileSettings {
  const known = Object.keys(settings.profiles ?? {});
  const chosen = settings.profiles?.[name];
  if (!chosen) {
    const where = path ? `${path} defines ${known.length ? `${known.join(', ')}` : 'no profiles'}` : 'no config file was found';
    throw new CliError(`unknown profile "${name}": ${where}`, ExitCode.usage, 'unknown_profile');
  }
  return chosen;
}
