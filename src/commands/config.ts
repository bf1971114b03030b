import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandContext } from '../context.js';
import { outputFromFlags, type Setting } from '../config.js';
import { searchOrder } from '../config-files.js';
import { CliError } from '../errors.js';
import { renderJson } from '../output/json.js';
import { escapeForTerminal } from '../output/terminal-text.js';
import { redactKey } from '../redact.js';

type Shown = { value: string | number | null; source: string | null };

function shown(
  setting: Setting<string | number> | undefined,
  display: (value: string | number) => string | number = (value) => value,
): Shown {
  return setting ? { value: display(setting.value), source: setting.source } : { value: null, source: null };
}

/** `phone config`: every setting in force and where it came from; the key only redacted. */
export async function runConfigShow(ctx: CommandContext): Promise<void> {
  const settings = await ctx.settings();
  const rows: Record<string, Shown> = {
    profile: shown(settings.profile),
    secretKey: shown(settings.secretKey, (key) => redactKey(String(key))),
    apiUrl: shown(settings.apiUrl),
    output: shown(settings.output),
    retries: shown(settings.retries),
    timeout: shown(settings.timeoutMs),
  };
  if (settings.output.value !== 'table') {
    ctx.io.stdout.write(renderJson({ ...rows, configFiles: settings.configFiles }));
    return;
  }
  // A profile name, a URL or a path from a file is anybody's text: escaped before it reaches a terminal.
  const value = (row: Shown) => escapeForTerminal(String(row.value ?? '(none)'));
  const width = Math.max(...Object.keys(rows).map((name) => name.length));
  const valueWidth = Math.max(...Object.values(rows).map((row) => value(row).length));
  const lines = Object.entries(rows).map(([name, row]) =>
    `${name.padEnd(width)}  ${value(row).padEnd(valueWidth)}  ${escapeForTerminal(row.source ?? '')}`.trimEnd(),
  );
  const files = settings.configFiles.length ? settings.configFiles.join(', then ') : '(none found; see phone config path)';
  lines.push('', `config files: ${escapeForTerminal(files)}`);
  ctx.io.stdout.write(`${lines.join('\n')}\n`);
}

/** `phone config path`: the files searched, in order, the ones used marked with `*`. */
export async function runConfigPath(ctx: CommandContext): Promise<void> {
  const candidates = ctx.flags.config
    ? [resolve(ctx.io.cwd, ctx.flags.config)]
    : searchOrder(ctx.io.cwd, ctx.io.env).flatMap(({ dir, places }) => places.map((place) => join(dir, place)));
  let used: string[] = [];
  let output = outputFromFlags(ctx.flags, Boolean(ctx.io.stdout.isTTY));
  // A broken config file is what this command helps to find: it is listed, not fatal.
  let problem: string | undefined;
  try {
    const settings = await ctx.settings();
    used = settings.configFiles;
    output = settings.output.value;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    problem = error.message;
  }
  const files = candidates.map((path) => ({ path, exists: existsSync(path), used: used.includes(path) }));
  if (output !== 'table') {
    ctx.io.stdout.write(renderJson({ files, used, problem: problem ?? null }));
    return;
  }
  const lines = files.map(
    (file) => `${file.used ? '*' : ' '} ${escapeForTerminal(file.path)}${file.exists && !file.used ? '  (exists, not used)' : ''}`,
  );
  const order = used.length > 1 ? '; the first * beats the second, key by key' : '';
  ctx.io.stdout.write(
    `Config files searched, in order (* = used${order}):\n${lines.join('\n')}\n${problem ? `\nproblem: ${escapeForTerminal(problem)}\n` : ''}`,
  );
}

/**
 * `phone config profiles`: the profile names of the config files in force, one per line (a JSON
 * list with --json). Shell completion of `--profile` asks this; it reads the files only, so an
 * unknown PHONE_PROFILE or a missing key does not stop it.
 */
export async function runConfigProfiles(ctx: CommandContext): Promise<void> {
  const { loadConfigLayers, profileNames, validatedLayers } = await import('../config-layers.js');
  const names = profileNames(validatedLayers(await loadConfigLayers(ctx.flags.config, ctx.io.cwd, ctx.io.env)));
  const output = outputFromFlags(ctx.flags, Boolean(ctx.io.stdout.isTTY));
  // One name a line: a name with a line break or control character in it cannot be one.
  const lineSafe = names.filter((name) => ![...name].some((char) => char < ' ' || char === '\x7f'));
  ctx.io.stdout.write(
    output === 'table'
      ? lineSafe.map((name) => `${name}\n`).join('')
      : output === 'jsonl'
        ? names.map((name) => `${JSON.stringify(name)}\n`).join('')
        : renderJson(names),
  );
}
