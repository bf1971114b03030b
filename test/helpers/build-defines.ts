import { readFileSync } from 'node:fs';

/**
 * What the build defines for the bundle (scripts/build.mjs: PHONE_VERSION), as globals for the
 * source run in-process. Imported before the source, so its modules see them when they load.
 */
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
(globalThis as { PHONE_VERSION?: string }).PHONE_VERSION = pkg.version;
