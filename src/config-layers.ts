import { CliError, ExitCode } from './errors.js';
import { findConfigFiles, loadConfigFile, type ConfigFile } from './config-files.js';
import { shownKey } from './config-parse.js';
import { validateFileSettings, type FileSettings, type ProfileSettings } from './config-validate.js';

/**
 * The settings files in force, merged key by key: the project file (nearest `.phonerc*` or
 * package.json#phone) beats the user's file (~/.config/phone/config*). `--config` names the only
 * file. Profiles merge the same way: a profile defined in both files takes each key from the
 * project file when it sets it, else from the user file; a profile in one file only is available
 * inside any project.
 */
export interface ConfigLayer {
  file: ConfigFile;
  settings: FileSettings;
}

/** A value from a settings file, with the file it came from (for the apiUrl trust rule and the key file's mode). */
export interface FileValue<T> {
  value: T;
  source: string;
  file: ConfigFile;
}

export async function loadConfigLayers(configFlag: string | undefined, cwd: string, env: NodeJS.ProcessEnv): Promise<ConfigFile[]> {
  return configFlag ? [await loadConfigFile(configFlag)] : await findConfigFiles(cwd, env);
}

export function validatedLayers(files: ConfigFile[]): ConfigLayer[] {
  return files.map((file) => ({ file, settings: validateFileSettings(file) }));
}

/** Every profile name the files define, project file first, each once. */
export function profileNames(layers: ConfigLayer[]): string[] {
  return [...new Set(layers.flatMap((layer) => Object.keys(layer.settings.profiles ?? {})))];
}

const MAX_PROFILES_LISTED = 10;

/** Whether some file defines the profile. */
export function definesProfile(layers: ConfigLayer[], name: string): boolean {
  return layers.some((layer) => Object.hasOwn(layer.settings.profiles ?? {}, name));
}

export function unknownProfile(name: string, layers: ConfigLayer[], also = ''): CliError {
  const known = profileNames(layers);
  const shown = known.slice(0, MAX_PROFILES_LISTED).map((each) => (each.length <= 64 ? each : `(a name of ${each.length} characters)`));
  const listed = shown.join(', ') + (known.length > MAX_PROFILES_LISTED ? `, and ${known.length - MAX_PROFILES_LISTED} more` : '');
  const files = layers.map((layer) => layer.file.path).join(' and ');
  const where = layers.length
    ? `${files} ${layers.length > 1 ? 'define' : 'defines'} ${known.length ? listed : 'no profiles'}`
    : 'no config file was found';
  return new CliError(`unknown profile ${shownKey(name)}: ${where}${also}`, ExitCode.usage, 'unknown_profile');
}

/** Looks keys up in the files' top levels, or in one profile of them. */
export class SettingsLookup {
  constructor(
    private readonly layers: ConfigLayer[],
    /** A profile's name, which some file must define. */
    readonly profile?: string,
  ) {
    if (profile !== undefined && !definesProfile(layers, profile)) {
      throw unknownProfile(profile, layers);
    }
  }

  /** The value of `key` from the first file that sets it, named by file and place. */
  get<K extends keyof ProfileSettings>(key: K): FileValue<NonNullable<ProfileSettings[K]>> | undefined {
    for (const { file, settings } of this.layers) {
      const place =
        this.profile === undefined
          ? settings
          : Object.hasOwn(settings.profiles ?? {}, this.profile)
            ? settings.profiles![this.profile]
            : undefined;
      const value = place?.[key];
      if (value !== undefined) {
        const where = this.profile === undefined ? key : `profiles.${this.profile}.${key}`;
        return { value: value as NonNullable<ProfileSettings[K]>, source: `${file.path} (${where})`, file };
      }
    }
    return undefined;
  }
}
