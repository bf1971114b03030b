import { readFileSync } from 'node:fs';
import { CliError, ExitCode, usageError } from './errors.js';
import { findConfigFile, loadConfigFile, type ConfigFile } from './config-files.js';
import { normalizeApiUrl } from './api-url.js';
import { parseNonNegativeInteger, parsePositiveInteger } from './validate.js';
import { parseFields } from './output/fields.js';

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
}

/** A resolved value and where it came from, e.g. `--api-url`, `CLERK_API_URL`, `/repo/.phonerc (apiUrl)`, `default`. */
export interface Setting<T> {
  value: T;
  source: string;
}

export interface Settings {
  secretKey: Setting<string> | undefined;
  apiUrl: Setting<string>;
  output: Setting<OutputFormat>;
  retries: Setting<number>;
  timeoutMs: Setting<number>;
  debug: boolean;
  /** `--fields`: the API fields to show, or undefined for all. */
  fields: string[] | undefined;
  configFile: string | null;
}

interface FileSettings {
  secretKey?: string;
  apiUrl?: string;
  output?: OutputFormat;
  retries?: number;
  timeout?: number;
}

type KeyCheck = (value: unknown) => string | null;
const isString: KeyCheck = (v) => (typeof v === 'string' && v.trim() !== '' ? null : 'a non-empty string');
const isWholeNumber = (min: number): KeyCheck => (v) =>
  Number.isInteger(v) && (v as number) >= min ? null : `a whole number of ${min} or more`;

const FILE_KEYS: Record<keyof FileSettings, KeyCheck> = {
  secretKey: isString,
  apiUrl: isString,
  output: (v) => (OUTPUT_FORMATS.includes(v as OutputFormat) ? null : `one of ${OUTPUT_FORMATS.join(', ')}`),
  retries: isWholeNumber(0),
  timeout: isWholeNumber(1),
};

/** Rejects what a typo would otherwise turn into a silent default. */
function validateFileSettings(file: ConfigFile): FileSettings {
  const { content, path } = file;
  if (content === null || content === undefined) return {};
  if (typeof content !== 'object' || Array.isArray(content)) {
    throw new CliError(`config file ${path}: expected an object of settings`, ExitCode.usage, 'bad_config');
  }
  for (const [key, value] of Object.entries(content)) {
    const check = FILE_KEYS[key as keyof FileSettings];
    if (!check) {
      throw new CliError(
        `config file ${path}: unknown key "${key}" (known keys: ${Object.keys(FILE_KEYS).join(', ')})`,
        ExitCode.usage,
        'bad_config',
      );
    }
    const expected = check(value);
    if (expected) {
      throw new CliError(
        `config file ${path}: key "${key}" must be ${expected}, got ${JSON.stringify(value)}`,
        ExitCode.usage,
        'bad_config',
      );
    }
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

/** Flags beat the environment, which beats the config file, which beats the defaults. */
export async function resolveSettings({ flags, env, cwd, stdoutIsTTY }: ResolveInput): Promise<Settings> {
  const file = flags.config ? await loadConfigFile(flags.config) : await findConfigFile(cwd, env);
  const fromFile = file ? validateFileSettings(file) : {};
  const fileSource = (key: string) => `${file!.path} (${key})`;

  let secretKey: Setting<string> | undefined;
  if (flags.secretKeyFile) secretKey = { value: readSecretKeyFile(flags.secretKeyFile), source: `--secret-key-file ${flags.secretKeyFile}` };
  else if (env.CLERK_SECRET_KEY?.trim()) secretKey = { value: env.CLERK_SECRET_KEY.trim(), source: 'CLERK_SECRET_KEY' };
  else if (fromFile.secretKey) secretKey = { value: fromFile.secretKey.trim(), source: fileSource('secretKey') };

  let apiUrl: Setting<string>;
  if (flags.apiUrl) apiUrl = { value: normalizeApiUrl(flags.apiUrl, '--api-url'), source: '--api-url' };
  else if (env.CLERK_API_URL?.trim()) apiUrl = { value: normalizeApiUrl(env.CLERK_API_URL.trim(), 'CLERK_API_URL'), source: 'CLERK_API_URL' };
  else if (fromFile.apiUrl) apiUrl = { value: normalizeApiUrl(fromFile.apiUrl, fileSource('apiUrl')), source: fileSource('apiUrl') };
  else apiUrl = { value: normalizeApiUrl(DEFAULT_API_URL, 'default'), source: 'default' };

  let output: Setting<OutputFormat>;
  if (flags.json) output = { value: 'json', source: '--json' };
  else if (flags.output) output = { value: parseOutputFormat(flags.output, '--output'), source: '--output' };
  else if (fromFile.output) output = { value: fromFile.output, source: fileSource('output') };
  else output = { value: stdoutIsTTY ? 'table' : 'json', source: stdoutIsTTY ? 'default (terminal)' : 'default (not a terminal)' };

  const retries: Setting<number> =
    flags.retries !== undefined
      ? { value: parseNonNegativeInteger(flags.retries, '--retries'), source: '--retries' }
      : fromFile.retries !== undefined
        ? { value: fromFile.retries, source: fileSource('retries') }
        : { value: DEFAULT_RETRIES, source: 'default' };

  const timeoutMs: Setting<number> =
    flags.timeout !== undefined
      ? { value: parsePositiveInteger(flags.timeout, '--timeout'), source: '--timeout' }
      : fromFile.timeout !== undefined
        ? { value: fromFile.timeout, source: fileSource('timeout') }
        : { value: DEFAULT_TIMEOUT_MS, source: 'default' };

  const fields = flags.fields !== undefined ? parseFields(flags.fields) : undefined;
  return { secretKey, apiUrl, output, retries, timeoutMs, debug: Boolean(flags.debug), fields, configFile: file?.path ?? null };
}
