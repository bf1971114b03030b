import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CliError, ExitCode } from './errors.js';

export const MODULE_NAME = 'phone';
const PROJECT_PLACES = ['package.json', '.phonerc', '.phonerc.json', '.phonerc.yaml', '.phonerc.yml'];
const USER_PLACES = ['config', 'config.json', 'config.yaml'];

export interface ConfigFile {
  path: string;
  /** The parsed content (for package.json, its `phone` key). */
  content: unknown;
}

export interface SearchedDirectory {
  dir: string;
  places: string[];
}

export function configError(path: string, message: string): CliError {
  return new CliError(`config file ${path}: ${message}`, ExitCode.usage, 'bad_config');
}

/** cosmiconfig is loaded only when a candidate file exists: most runs find none and skip its cost. */
const loadExplorer = () => import('./config-explorer.js');

export function userConfigDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.config'), MODULE_NAME);
}

/** The directories searched, in order: the working directory up to the root, then the user's config folder. */
export function searchOrder(cwd: string, env: NodeJS.ProcessEnv): SearchedDirectory[] {
  const order: SearchedDirectory[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    order.push({ dir, places: PROJECT_PLACES });
    if (dirname(dir) === dir) break;
  }
  order.push({ dir: userConfigDir(env), places: USER_PLACES });
  return order;
}

function wrapLoadError(path: string, error: unknown): never {
  if (error instanceof CliError) throw error;
  throw configError(path, (error as Error).message);
}

/**
 * Whether a file may hold phone's settings. Nearly every project has a package.json, and most have
 * no `phone` key: that is told without loading cosmiconfig. One that is not JSON is left to it.
 */
function isCandidate(path: string): boolean {
  if (!existsSync(path)) return false;
  if (!path.endsWith('package.json')) return true;
  try {
    const content = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return typeof content === 'object' && content !== null && MODULE_NAME in content;
  } catch {
    return true;
  }
}

/** The first config file in the search order, or null when there is none. */
export async function findConfigFile(cwd: string, env: NodeJS.ProcessEnv): Promise<ConfigFile | null> {
  const explorers = new Map<string[], ReturnType<Awaited<ReturnType<typeof loadExplorer>>['createExplorer']>>();
  for (const { dir, places } of searchOrder(cwd, env)) {
    if (!places.some((place) => isCandidate(join(dir, place)))) continue;
    let explorer = explorers.get(places);
    if (!explorer) explorers.set(places, (explorer = (await loadExplorer()).createExplorer(places)));
    let found;
    try {
      found = explorer.search(dir);
    } catch (error) {
      wrapLoadError(dir, error);
    }
    if (found && !found.isEmpty) return { path: found.filepath, content: found.config };
  }
  return null;
}

/** `--config <path>`: exactly that file, which must exist. */
export async function loadConfigFile(path: string): Promise<ConfigFile> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) throw configError(absolute, 'no such file');
  const { createExplorer, isConfigFileName } = await loadExplorer();
  if (!isConfigFileName(absolute)) {
    throw configError(absolute, 'config files must be JSON or YAML (.json, .yaml, .yml, or no extension)');
  }
  const explorer = createExplorer(PROJECT_PLACES);
  try {
    const loaded = explorer.load(absolute);
    return { path: absolute, content: loaded?.config ?? {} };
  } catch (error) {
    wrapLoadError(absolute, error);
  }
}
