import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandContext } from '../context.js';
import { outputFromFlags, type Setting } from '../config.js';
import { searchOrder } from '../config-files.js';
import { CliError } from '../errors.js';
import { renderJson } from '../output/json.js';
import { redactKey } from '../redact.js';

type Shown = { value: string | number | null; source: string | null };

function shown(setting: Setting<string | number> | undefined, display: (value: string | number) => string | number = (value) => value): Shown {
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
    ctx.io.stdout.write(renderJson({ ...rows, configFile: settings.configFile }));
    return;
  }
  const width = Math.max(...Object.keys(rows).map((name) => name.length));
  const valueWidth = Math.max(...Object.values(rows).map((row) => String(row.value ?? '(none)').length));
  const lines = Object.entries(rows).map(
    ([name, row]) => `${name.padEnd(width)}  ${String(row.value ?? '(none)').padEnd(valueWidth)}  ${row.source ?? ''}`.trimEnd(),
  );
  lines.push('', `config file: ${settings.configFile ?? '(none found; see phone config path)'}`);
  ctx.io.stdout.write(`${lines.join('\n')}\n`);
}

/** `phone config path`: the files searched, in order, the one used marked with `*`. */
export async function runConfigPath(ctx: CommandContext): Promise<void> {
  const candidates = ctx.flags.config
    ? [resolve(ctx.io.cwd, ctx.flags.config)]
    : searchOrder(ctx.io.cwd, ctx.io.env).flatMap(({ dir, places }) => places.map((place) => join(dir, place)));
  let used: string | null = null;
  let output = outputFromFlags(ctx.flags, Boolean(ctx.io.stdout.isTTY));
  // A broken config file is what this command helps to find: it is listed, not fatal.
  let problem: string | undefined;
  try {
    const settings = await ctx.settings();
    used = settings.configFile;
    output = settings.output.value;
  } catch (error) {
    if (!(error instanceof CliError)) throw error;
    problem = error.message;
  }
  const files = candidates.map((path) => ({ path, exists: existsSync(path), used: path === used }));
  if (output !== 'table') {
    ctx.io.stdout.write(renderJson({ files, used, problem: problem ?? null }));
    return;
  }
  const lines = files.map((file) => `${file.used ? '*' : ' '} ${file.path}${file.exists && !file.used ? '  (exists, not used)' : ''}`);
  ctx.io.stdout.write(`Config files searched, in order (* = used):\n${lines.join('\n')}\n${problem ? `\nproblem: ${problem}\n` : ''}`);
}
