import { closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readlinkSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { readConfigText, userConfigDir, userConfigFile } from '../config-files.js';
import { checkShape, configError, parseConfigText } from '../config-parse.js';
import { validateFileSettings, type FileSettings } from '../config-validate.js';

/**
 * The config file `phone auth login` writes a key (and an --api-url) into where there is no
 * credential store, and `phone auth logout` removes it from: the `--config` file when one is
 * named, else the user's own file that is in use (config, config.json or config.yaml under
 * $XDG_CONFIG_HOME/phone/), else a new config.yaml there. Never a project file: a key does not
 * belong in a repository.
 */
export async function keyFilePath(env: NodeJS.ProcessEnv, cwd: string, configFlag: string | undefined): Promise<string> {
  if (configFlag) return resolve(cwd, configFlag);
  // The file every command reads (a file of comments only is passed over), else a new one.
  return (await userConfigFile(env))?.path ?? join(userConfigDir(env), 'config.yaml');
}

/** The settings object of a profile (created when `create`), or the top level without one. */
function placeOf(settings: FileSettings, profile: string | undefined, create: boolean): FileSettings | undefined {
  if (profile === undefined) return settings;
  if (!create && !Object.hasOwn(settings.profiles ?? {}, profile)) return undefined;
  settings.profiles ??= {};
  if (!Object.hasOwn(settings.profiles, profile)) {
    Object.defineProperty(settings.profiles, profile, { value: {}, enumerable: true, writable: true, configurable: true });
  }
  return settings.profiles[profile];
}

/**
 * Reads the file, lets `edit` change its settings, and writes it back when it did: the same
 * format (JSON for .json, YAML otherwise; comments in a YAML file are not kept), every other
 * setting and profile as it was, mode 0600 (it holds a key), through a temporary file renamed
 * over it so that no reader ever sees half a file. A file that is not valid settings is left alone.
 */
async function editSettings(path: string, edit: (settings: FileSettings) => boolean): Promise<Edited | false> {
  const file = readConfigText(path);
  const content = (file ? await parseConfigText(path, file.text) : undefined) ?? undefined;
  checkShape(path, content);
  const settings = validateFileSettings({ path, content, mode: file?.mode ?? 0o600, trusted: true });
  const copy = structuredClone(settings ?? {}) as FileSettings;
  if (!edit(copy)) return false;
  const yaml = extname(path) !== '.json';
  const text = yaml ? (await import('../config-yaml.js')).dumpYaml(copy) : `${JSON.stringify(copy, null, 2)}\n`;
  writeAtomically(file ? realpathSync(path) : path, text);
  return { commentsDropped: yaml && /(^|\s)#/m.test(file?.text ?? '') };
}

/** A file rewritten: YAML comments are not kept (js-yaml has no way to), and the user is told. */
export interface Edited {
  commentsDropped: boolean;
}

/**
 * A key is not written through a symbolic link: a config file linked from a dotfiles repository
 * would carry the key into it. The user can name the file itself with --config.
 */
function refuseLink(path: string): void {
  let target: string;
  try {
    if (!lstatSync(path).isSymbolicLink()) return;
    target = readlinkSync(path);
  } catch {
    return;
  }
  throw configError(
    path,
    `is a symbolic link (to ${JSON.stringify(target.slice(0, 200))}), and a secret key is not written through one: it could land in a ` +
      'dotfiles repository. Pass --config <the file itself> to write it there, or replace the link with a file',
  );
}

function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw configError(path, `cannot be written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Sets secretKey (when given) and apiUrl (when given) of the profile, or of the top level without one. */
export async function writeFileSettings(
  path: string,
  profile: string | undefined,
  values: { secretKey?: string; apiUrl?: string },
): Promise<Edited> {
  if (values.secretKey !== undefined) refuseLink(path);
  const edited = await editSettings(path, (settings) => {
    const place = placeOf(settings, profile, true)!;
    if (values.secretKey !== undefined) place.secretKey = values.secretKey;
    if (values.apiUrl !== undefined) place.apiUrl = values.apiUrl;
    return true;
  });
  return edited || { commentsDropped: false };
}

/** Takes the profile's (or the top level's) secretKey out of the file; false when there was none. */
export async function removeFileKey(path: string, profile: string | undefined): Promise<Edited | false> {
  if (!readConfigText(path)) return false;
  return editSettings(path, (settings) => {
    const place = placeOf(settings, profile, false);
    if (place?.secretKey === undefined) return false;
    delete place.secretKey;
    return true;
  });
}
