// Keeps the README's command reference identical to the CLI's own --help: `npm run docs`
// rewrites every block between <!-- phone-help: <command> --> and <!-- /phone-help --> with the
// built CLI's help for that command; `--check` exits 1 when any block differs or is missing.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const README = join(root, 'README.md');
const BIN = join(root, 'bin', 'phone.js');

function help(command) {
  const args = [...(command ? command.split(' ') : []), '--help'];
  // A fixed environment, so the text does not depend on the terminal or the machine.
  return execFileSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } });
}

/** Every command and subcommand, found by reading the Commands section of each help text. */
function commands(prefix = '') {
  const section = /\nCommands:\n([\s\S]*?)(?:\n\n|$)/.exec(help(prefix))?.[1] ?? '';
  const names = [...section.matchAll(/^ {2}(\S+)/gm)].map((match) => match[1]).filter((name) => name !== 'help');
  return names.flatMap((name) => {
    const full = prefix ? `${prefix} ${name}` : name;
    return [full, ...commands(full)];
  });
}

function reference() {
  return ['', ...commands()].map((command) => ({ command, text: help(command) }));
}

function block(command, text) {
  return `<!-- phone-help: ${command || 'phone'} -->\n\`\`\`text\n${text.trimEnd()}\n\`\`\`\n<!-- /phone-help -->`;
}

const readme = readFileSync(README, 'utf8');
const blocks = reference();
let updated = readme;
const problems = [];
for (const { command, text } of blocks) {
  const pattern = new RegExp(`<!-- phone-help: ${command || 'phone'} -->[\\s\\S]*?<!-- /phone-help -->`);
  if (!pattern.test(updated)) problems.push(`README has no block for "${command || 'phone'}"`);
  else updated = updated.replace(pattern, block(command, text));
}
const documented = [...readme.matchAll(/<!-- phone-help: ([^>]+?) -->/g)].map((match) => match[1]);
for (const name of documented) if (!blocks.some(({ command }) => (command || 'phone') === name)) problems.push(`README documents "${name}", which phone does not have`);

if (process.argv[2] === '--check') {
  if (updated !== readme) problems.push('README reference differs from the CLI help: run npm run docs');
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`README reference matches --help for ${blocks.length} commands`);
} else {
  writeFileSync(README, updated);
  if (problems.length) console.error(problems.join('\n'));
  console.log(`README reference written for ${blocks.length} commands`);
}
