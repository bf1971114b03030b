import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { checkShape, configError, isConfigFileName, parseConfigText } from './config-parse.js';
import { FileProblem, readRegularFile } from './regular-file.js';

const MODULE_NAME = 'phone';
const PROJECT_PLACES = ['package.json', '.phonerc', '.phonerc.json', '.phonerc.yaml', '.phonerc.yml'];
const USER_PLACES = ['config', 'config.json', 'config.yaml'];

export interface ConfigFile {
  path: string;
  /** The parsed content (for package.json, its `phone` key); undefined when the file holds nothing. */
  content: unknown;
  /** Permission bits, for the warning about a key that others can read. */
  mode: number;
  /**
   * Chosen by the user: the user config file or `--config`. A file found by walking up from the
   * working directory may come with a cloned repository, and is not trusted with where the key goes.
   */
  trusted: boolean;
}

export interface SearchedDirectory {
  dir: string;
  places: string[];
  trusted: boolean;
}

export function userConfigDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.config'), MODULE_NAME);
}

/** The directories searched, in order: the working directory up to the root, then the user's config folder. */
export function searchOrder(cwd: string, env: NodeJS.ProcessEnv): SearchedDirectory[] {
  const order: SearchedDirectory[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    order.push({ dir, places: PROJECT_PLACES, trusted: false });
    if (dirname(dir) === dir) break;
  }
  order.push({ dir: userConfigDir(env), places: USER_PLACES, trusted: true });
  return order;
}

/** Reads and parses one settings file; null when there is no file at the path. */
async function readConfigFile(path: string, trusted: boolean): Promise<ConfigFile | null> {
  let file;
  try {
    file = readRegularFile(path);
  } catch (error) {
    if (error instanceof FileProblem) throw configError(path, error.message);
    throw error;
  }
  if (!file) return null;
  let content = await parseConfigText(path, file.text);
  if (basename(path) === 'package.json') {
    content = content !== null && typeof content === 'object' && Object.hasOwn(content, MODULE_NAME) ? (content as Record<string, unknown>)[MODULE_NAME] : undefined;
  }
  checkShape(path, content);
  return { path, content: content ?? undefined, mode: file.mode, trusted };
}

/**
 * The first config file in the search order with settings in it, or null when there is none. A
 * blank file, or a package.json without a `phone` key, is passed over.
 */
export async function findConfigFile(cwd: string, env: NodeJS.ProcessEnv): Promise<ConfigFile | null> {
  for (const { dir, places, trusted } of searchOrder(cwd, env)) {
    for (const place of places) {
      const found = await readConfigFile(join(dir, place), trusted);
      if (found && found.content !== undefined) return found;
    }
  }
  return null;
}

/** `--config <path>`: exactly that file, which must exist. The user named it, so it is trusted. */
export async function loadConfigFile(path: string): Promise<ConfigFile> {
  const absolute = resolve(path);
  if (!isConfigFileName(absolute)) {
    throw configError(absolute, 'config files must be JSON or YAML (.json, .yaml, .yml, or no extension); code files are never executed');
  }
  const file = await readConfigFile(absolute, true);
  if (!file) throw configError(absolute, 'no such file');
  return file;
}
