import { extname } from 'node:path';
import { CliError, ExitCode } from './errors.js';

/** Settings are four levels deep at most (file, profiles, a profile, a value); anything far deeper is not settings. */
export const MAX_CONFIG_DEPTH = 32;
/** The name cosmiconfig searches under, and package.json's key for phone's settings. */
export const MODULE_NAME = 'phone';
/** Strings and keys longer than this are described, never shown: a message must not carry a whole value. */
const MAX_SHOWN_LENGTH = 64;

export function configError(path: string, message: string): CliError {
  return new CliError(`config file ${path}: ${message}`, ExitCode.usage, 'bad_config');
}

/** `.json`, `.yaml`, `.yml`, or no extension (`.phonerc`, read as YAML, which JSON is too). */
export function isConfigFileName(path: string): boolean {
  return ['', '.json', '.yaml', '.yml'].includes(extname(path));
}

/** A key as a message names it: quoted, or described when it is long. */
export function shownKey(key: string): string {
  return key.length <= MAX_SHOWN_LENGTH ? JSON.stringify(key) : `a key of ${key.length} characters`;
}

/** A value as a message names it: short scalars as they are, anything else by its kind alone. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value.length <= MAX_SHOWN_LENGTH ? JSON.stringify(value) : `a string of ${value.length} characters`;
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * Syntax errors name the place, never the text: V8 and js-yaml quote the file in their messages,
 * and a config file may hold the secret key.
 */
function lineAndColumn(content: string, offset: number): string {
  const before = content.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    throw configError(path, `invalid JSON${position ? ` at ${lineAndColumn(text, Number(position[1]))}` : ''}`);
  }
}

async function parseYaml(path: string, text: string): Promise<unknown> {
  const { loadYaml } = await import('./config-yaml.js');
  try {
    return loadYaml(text, MAX_CONFIG_DEPTH);
  } catch (error) {
    const { reason, mark } = error as { reason?: unknown; mark?: { line: number; column: number } };
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    // A reason may quote the text (an alias or tag name): only short ones are shown.
    const why = typeof reason === 'string' && reason.length <= 2 * MAX_SHOWN_LENGTH ? `: ${reason}` : '';
    throw configError(path, `invalid YAML${where}${why}`);
  }
}

/** The file's parsed content: JSON for `.json`, YAML otherwise; undefined when it is blank. */
export async function parseConfigText(path: string, text: string): Promise<unknown> {
  if (text.trim() === '') return undefined;
  return extname(path) === '.json' ? parseJson(path, text) : await parseYaml(path, text);
}

/**
 * What no settings file may hold, wherever it sits: `$import` (cosmiconfig's way of pulling in
 * another file, which would let a project file read the user's key), keys that name members of
 * Object (`__proto__`, `constructor`, …), YAML aliases of lists or maps (one alias bomb line
 * stands for billions of values), and deep nesting. The walk keeps its own stack, and visits
 * each object once: its cost is bounded by the file's size.
 */
export function checkShape(path: string, content: unknown): void {
  const seen = new Set<object>();
  const pending: [unknown, number][] = [[content, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, depth] = next;
    if (value === null || typeof value !== 'object') continue;
    if (seen.has(value)) throw configError(path, 'YAML aliases (*name) of lists or maps are not supported: write the value out');
    seen.add(value);
    if (depth > MAX_CONFIG_DEPTH) throw configError(path, `nested more than ${MAX_CONFIG_DEPTH} levels deep`);
    for (const [key, child] of Object.entries(value)) {
      if (key === '$import') throw configError(path, '"$import" is not supported: a config file never reads another file');
      if (Object.hasOwn(Object.prototype, key)) throw configError(path, `unknown key ${shownKey(key)}`);
      pending.push([child, depth + 1]);
    }
  }
}
