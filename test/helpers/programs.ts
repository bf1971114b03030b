import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { test } from 'node:test';

/**
 * A test that runs a program besides Node (a shell, script(1)) says so: `test(name, needs('zsh'), fn)`
 * (or on a describe). Where the program is not on PATH the test is skipped with a reason naming it,
 * so `npm test` passes on a machine with only Node and npm.
 *
 * With PHONE_TEST_REQUIRE_PROGRAMS set (to anything but 0 or empty), as .ci/run does after installing
 * the programs, a missing program is a failure instead: the tests that need it run and fail, and a
 * test named after the program fails saying it is missing, so CI never passes by skipping.
 */
export function needs(...programs: string[]): { skip?: string } {
  const missing = programs.filter((program) => !onPath(program));
  if (missing.length === 0) return {};
  if (!programsRequired()) return { skip: `needs ${missing.join(' and ')}, not found on PATH` };
  for (const program of missing) reportMissing(program);
  return {};
}

function programsRequired(): boolean {
  const value = process.env.PHONE_TEST_REQUIRE_PROGRAMS ?? '';
  return value !== '' && value !== '0';
}

const found = new Map<string, boolean>();

/** Whether PATH has an executable file of that name, as a spawn of the bare name would find it. */
function onPath(program: string): boolean {
  let result = found.get(program);
  if (result === undefined) {
    const dirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
    result = dirs.some((dir) => isExecutableFile(join(dir, program)));
    found.set(program, result);
  }
  return result;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

const reported = new Set<string>();

function reportMissing(program: string): void {
  if (reported.has(program)) return;
  reported.add(program);
  test(`${program} is installed (PHONE_TEST_REQUIRE_PROGRAMS is set)`, () => {
    throw new Error(`${program} is not on PATH, and PHONE_TEST_REQUIRE_PROGRAMS makes a missing program a failure: install ${program}`);
  });
}
