import { dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cosmiconfigSync, defaultLoadersSync, type LoaderSync } from 'cosmiconfig';
import { configError, MODULE_NAME } from './config-files.js';

/**
 * Syntax errors name the place, never the text: V8 and js-yaml quote the file in their messages,
 * and a config file may hold the secret key.
 */
function lineAndColumn(content: string, offset: number): string {
  const before = content.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before.at(-1)!.length + 1}`;
}

/** JSON.parse: parse-json, cosmiconfig's default, costs a dependency tree for a prettier message. */
const loadJson: LoaderSync = (path, content) => {
  try {
    return JSON.parse(content);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    throw configError(path, `invalid JSON${position ? ` at ${lineAndColumn(content, Number(position[1]))}` : ''}`);
  }
};

const loadYaml: LoaderSync = (path, content) => {
  try {
    return defaultLoadersSync['.yaml']!(path, content);
  } catch (error) {
    const { reason, mark } = error as { reason?: string; mark?: { line: number; column: number } };
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : '';
    throw configError(path, `invalid YAML${where}${reason ? `: ${reason}` : ''}`);
  }
};

/** Config files never run code: a cloned repository must not be able to execute anything through one. */
const refuseCode: LoaderSync = (path) => {
  throw configError(path, 'config files must be JSON or YAML; code files are never executed');
};

const LOADERS: Record<string, LoaderSync> = {
  '.json': loadJson,
  '.yaml': loadYaml,
  '.yml': loadYaml,
  noExt: loadYaml,
  '.js': refuseCode,
  '.cjs': refuseCode,
  '.mjs': refuseCode,
  '.ts': refuseCode,
  '.mts': refuseCode,
  '.cts': refuseCode,
};

/**
 * cosmiconfig 9's factory reads its own settings from `.config/config.*` in the working
 * directory with its default loaders, JavaScript included, and has no option to skip that.
 * The factory is therefore called from this bundle's own directory, which holds no such file.
 */
export function createExplorer(searchPlaces: string[]) {
  const cwd = process.cwd();
  process.chdir(dirname(fileURLToPath(import.meta.url)));
  try {
    return cosmiconfigSync(MODULE_NAME, { searchPlaces, loaders: LOADERS, searchStrategy: 'none', cache: false });
  } finally {
    process.chdir(cwd);
  }
}

export function isConfigFileName(path: string): boolean {
  const extension = extname(path);
  return extension === '' || (extension in LOADERS && LOADERS[extension] !== refuseCode);
}
