import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cosmiconfig, type Loader } from 'cosmiconfig';
import { checkShape, configError, MODULE_NAME, parseConfigText } from './config-parse.js';

/**
 * cosmiconfig 9 loads phone's settings files, with phone's own loaders only: JSON.parse for
 * `.json`, js-yaml's core schema for `.yaml`, `.yml` and no extension, and a refusal for code.
 * Each loader checks the file's shape (src/config-parse.ts checkShape) before cosmiconfig sees the
 * content: `$import` throws there, so cosmiconfig never follows it to another file. This module
 * (and cosmiconfig with it) is loaded only when a candidate file exists.
 */

/** Config files never run code: a cloned repository must not be able to execute anything through one. */
const refuseCode: Loader = (path) => {
  throw configError(path, 'config files must be JSON or YAML; code files are never executed');
};

/**
 * The file's content, checked. A package.json is shape-checked at its `phone` key only (the rest
 * belongs to npm); cosmiconfig then takes that key from what the loader returns.
 */
function loaderFor(expectedText: string): Loader {
  return async (path, content) => {
    // cosmiconfig reads the path again after src/regular-file.ts checked it: it must be the same file.
    if (content !== expectedText) throw configError(path, 'changed while it was being read');
    const parsed = await parseConfigText(path, content);
    if (basename(path) !== 'package.json') {
      checkShape(path, parsed);
      return parsed;
    }
    const own =
      parsed !== null && typeof parsed === 'object' && Object.hasOwn(parsed, MODULE_NAME)
        ? (parsed as Record<string, unknown>)[MODULE_NAME]
        : undefined;
    checkShape(path, own);
    return { [MODULE_NAME]: own };
  };
}

/**
 * cosmiconfig 9's factory reads its own settings from `.config/config.*` and `package.json` in the
 * working directory with its default loaders, JavaScript included, and has no option to skip that.
 * The factory is therefore called from a folder of phone's own that holds neither: in the bundle
 * dist/vendor/ (dist/ has a package.json, and the default JSON loader's parse-json is not shipped),
 * in the sources src/.
 */
const QUIET_DIR = ((home: string) => (existsSync(join(home, 'vendor')) ? join(home, 'vendor') : home))(
  dirname(fileURLToPath(import.meta.url)),
);

function createExplorer(expectedText: string) {
  const load = loaderFor(expectedText);
  const cwd = process.cwd();
  process.chdir(QUIET_DIR);
  try {
    return cosmiconfig(MODULE_NAME, {
      searchStrategy: 'none',
      cache: false,
      loaders: {
        '.json': load,
        '.yaml': load,
        '.yml': load,
        noExt: load,
        '.js': refuseCode,
        '.cjs': refuseCode,
        '.mjs': refuseCode,
        '.ts': refuseCode,
        '.mts': refuseCode,
        '.cts': refuseCode,
      },
    });
  } finally {
    process.chdir(cwd);
  }
}

/**
 * Loads one file that src/regular-file.ts has read as `text` (a regular file of at most 1 MiB):
 * its settings, or undefined when it holds none (blank, or a package.json without a `phone` key).
 */
export async function loadSettingsFile(path: string, text: string): Promise<unknown> {
  const result = await createExplorer(text).load(path);
  return result === null || result.isEmpty ? undefined : (result.config ?? undefined);
}
