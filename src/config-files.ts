import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { configError, isConfigFileName, MODULE_NAME, parseConfigText } from './config-parse.js';
import { FileProblem, readRegularFile } from './regular-file.js';

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

/** Whether a package.json holds phone's settings, told without cosmiconfig: most projects have one, without. */
async function hasPhoneKey(path: string, text: string): Promise<boolean> {
  const content = await parseConfigText(path, text);
  return content !== null && typeof content === 'object' && Object.hasOwn(content, MODULE_NAME);
}

/** The file's text and mode (null when there is no file), checked as readRegularFile does; a problem is a config error. */
export function readConfigText(path: string): { text: string; mode: number } | null {
  try {
    return readRegularFile(path);
  } catch (error) {
    if (error instanceof FileProblem) throw configError(path, error.message);
    throw error;
  }
}

/**
 * Reads one settings file; null when there is no file at the path. The path is checked first
 * (a regular file of at most 1 MiB, src/regular-file.ts); only then does cosmiconfig load it.
 */
async function readConfigFile(path: string, trusted: boolean): Promise<ConfigFile | null> {
  const file = readConfigText(path);
  if (!file) return null;
  if (file.text.trim() === '' || (basename(path) === 'package.json' && !(await hasPhoneKey(path, file.text)))) {
    return { path, content: undefined, mode: file.mode, trusted };
  }
  const { loadSettingsFile } = await import('./config-explorer.js');
  return { path, content: await loadSettingsFile(path, file.text), mode: file.mode, trusted };
}

/** The first file with settings in it among `places` of the directories, in order. */
async function firstWithSettings(dirs: SearchedDirectory[]): Promise<ConfigFile | null> {
  for (const { dir, places, trusted } of dirs) {
    for (const place of places) {
      const found = await readConfigFile(join(dir, place), trusted);
      if (found && found.content !== undefined) return found;
    }
  }
  return null;
}

/** The user's own settings file in force: the first of config, config.json, config.yaml in their folder with settings in it. */
export function userConfigFile(env: NodeJS.ProcessEnv): Promise<ConfigFile | null> {
  return firstWithSettings([{ dir: userConfigDir(env), places: USER_PLACES, trusted: true }]);
}

/**
 * The config files in force, highest precedence first: the nearest project file (found by walking
 * up from the working directory), then the user's own file. A blank file, or a package.json
 * without a `phone` key, is passed over.
 */
export async function findConfigFiles(cwd: string, env: NodeJS.ProcessEnv): Promise<ConfigFile[]> {
  const order = searchOrder(cwd, env);
  const project = await firstWithSettings(order.filter((each) => !each.trusted));
  const user = await userConfigFile(env);
  return [project, user].filter((file): file is ConfigFile => file !== null);
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
