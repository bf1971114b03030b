import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { caseTables } from './case-tables.js';
import { fishTables } from './fish-tables.js';
import { describeProgram, identifier } from './model.js';

/**
 * A completion script is fixed shell code, kept as shell text in phone.bash, phone.zsh and
 * phone.fish, with common.sh holding what bash and zsh share (so `bash -n`, `zsh -n` and `fish -n`
 * check it), filled in with what is generated from the commander program:
 * - a line `#@common` in phone.bash and phone.zsh is replaced by common.sh;
 * - PROGNAME is the program's name, PROGID the name made a shell identifier (for function names);
 * - a line `#@key: what goes here` is replaced by the generated table `key` (case arms, complete lines).
 * The scripts run the program while completing only for values only it knows (the profiles of the
 * config in effect, for --profile: `phone config profiles`); everything else is written into them.
 */

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

const MARKER = /^[ \t]*#@([\w-]+)\b.*$/gm;
const COMMON_MARKER = /^#@common\b.*$/m;

export function completionScript(shell: CompletionShell, program: Command): string {
  const root = describeProgram(program);
  const id = identifier(root.name);
  const tables = shell === 'fish' ? fishTables(root, `__${id}_completion`) : caseTables(root, `_${id}_completion`, shell === 'zsh');
  const withCommon = shellCode(`phone.${shell}`).replace(COMMON_MARKER, () => shellCode('common.sh').trimEnd());
  const code = withCommon.split('PROGID').join(id).split('PROGNAME').join(root.name);
  const unfilled = new Set(Object.keys(tables));
  const script = code.replace(MARKER, (_line, key: string) => {
    const table = tables[key];
    if (table === undefined) throw new Error(`phone.${shell} has a marker #@${key} that nothing fills`);
    unfilled.delete(key);
    return table;
  });
  if (unfilled.size > 0) throw new Error(`phone.${shell} has no marker for ${[...unfilled].join(', ')}`);
  return script;
}

/**
 * Read when `phone completion` runs, from beside this module: src/completion/ when run from the
 * source, dist/ in the bundle (scripts/build.mjs copies the files there, beside dist/phone.js).
 * Read at run time rather than bundled as text so that the source, run by tsx in the tests,
 * and the bundle load them the same way; no other command pays for them.
 */
function shellCode(file: string): string {
  return readFileSync(new URL(file, import.meta.url), 'utf8');
}
