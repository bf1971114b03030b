import { configError, describeValue, shownKey } from './config-parse.js';
import type { ConfigFile } from './config-files.js';

export const OUTPUT_FORMATS = ['table', 'json', 'jsonl'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Node's timers hold at most 2^31-1 ms; a longer timeout would fire after 1 ms instead. */
export const MAX_TIMEOUT_MS = 2_147_483_647;
/** The same bound for retries: a count no run could reach, never one that wraps around. */
export const MAX_RETRIES = 2_147_483_647;

export interface ProfileSettings {
  secretKey?: string;
  apiUrl?: string;
  output?: OutputFormat;
  retries?: number;
  timeout?: number;
  /** As --rate takes it (`100/10s`); read by parseRate when settings are resolved. */
  rate?: string;
}

export interface FileSettings extends ProfileSettings {
  profiles?: Record<string, ProfileSettings>;
}

type KeyCheck = (value: unknown) => string | null;
const isString: KeyCheck = (v) => (typeof v === 'string' && v.trim() !== '' ? null : 'a non-empty string');
const isWholeNumber =
  (min: number, max: number): KeyCheck =>
  (v) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max ? null : `a whole number from ${min} to ${max}`;
const isObject: KeyCheck = (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? null : 'an object of named profiles');

const PROFILE_KEYS: Record<keyof ProfileSettings, KeyCheck> = {
  secretKey: isString,
  apiUrl: isString,
  output: (v) => (OUTPUT_FORMATS.includes(v as OutputFormat) ? null : `one of ${OUTPUT_FORMATS.join(', ')}`),
  retries: isWholeNumber(0, MAX_RETRIES),
  timeout: isWholeNumber(1, MAX_TIMEOUT_MS),
  rate: (v) => (typeof v === 'string' ? null : 'a string such as "100/10s"'),
};

/** Checks one level of settings; `prefix` names where it sits (`profiles.prod.`) in error messages. */
function checkSettings(content: unknown, path: string, prefix: string, keys: Record<string, KeyCheck>): void {
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    throw configError(path, `${prefix ? `key ${shownKey(prefix.slice(0, -1))}` : 'the file'} must be an object of settings`);
  }
  for (const [key, value] of Object.entries(content)) {
    // Own keys only: `constructor` or `toString` must not find Object's members.
    const check = Object.hasOwn(keys, key) ? keys[key]! : undefined;
    if (!check) throw configError(path, `unknown key ${shownKey(prefix + key)} (known keys: ${Object.keys(keys).join(', ')})`);
    const expected = check(value);
    // The value is not echoed for the key setting: it may be the key itself.
    const got = key === 'secretKey' ? `a ${Array.isArray(value) ? 'list' : typeof value}` : describeValue(value);
    if (expected) throw configError(path, `key ${shownKey(prefix + key)} must be ${expected}, got ${got}`);
  }
}

/** Rejects what a typo would otherwise turn into a silent default. */
export function validateFileSettings(file: ConfigFile): FileSettings {
  const { content, path } = file;
  if (content === undefined) return {};
  checkSettings(content, path, '', { ...PROFILE_KEYS, profiles: isObject });
  for (const [name, profile] of Object.entries((content as FileSettings).profiles ?? {})) {
    checkSettings(profile, path, `profiles.${name}.`, PROFILE_KEYS);
  }
  return content as FileSettings;
}

/**
 * Every string a config file holds as a secret key, valid or not, read before the file is
 * checked: errors raised while settings are resolved must not show any of them.
 */
export function secretKeysIn(content: unknown): string[] {
  const keyOf = (settings: unknown) =>
    settings !== null && typeof settings === 'object' && Object.hasOwn(settings, 'secretKey')
      ? (settings as ProfileSettings).secretKey
      : undefined;
  const profiles =
    content !== null && typeof content === 'object' && Object.hasOwn(content, 'profiles') ? (content as FileSettings).profiles : undefined;
  const all = [keyOf(content), ...(profiles !== null && typeof profiles === 'object' ? Object.values(profiles).map(keyOf) : [])];
  return all.filter((key): key is string => typeof key === 'string');
}
