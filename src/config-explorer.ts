import { dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cosmiconfigSync, defaultLoadersSync, type LoaderSync } from 'cosmiconfig';
import { configError, MODULE_NAME } from './config-files.js';

/** JSON.parse, with the file named in the error: parse-json's prettier message costs a dependency tree. */
const loadJson: LoaderSync = (path, content) => {
  try {
    return JSON.parse(content);
  } catch (error) {
    throw configError(path, `invalid JSON: ${(error as Error).message}`);
  }
};

const loadYaml: LoaderSync = (path, content) => {
  try {
    return defaultLoadersSync['.yaml']!(path, content);
  } catch (error) {
    throw configError(path, `invalid YAML: ${(error as Error).message.replace(/^YAML Error in [^\n]*\n/, '')}`);
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
