#!/usr/bin/env node
// Runs dist/phone.js with the V8 code cache that the build made for it (Node 20 has no
// module.enableCompileCache): compiling the bundle is a tenth of phone's start-up. A cache that
// does not fit this Node is rejected by V8, and the bundle is then compiled as usual.
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const { Script, constants } = require('node:vm');

const bundle = join(__dirname, '..', 'dist', 'phone.js');
let source;
try {
  source = readFileSync(bundle, 'utf8');
} catch {
  process.stderr.write(`phone: ${bundle} is missing: run \`npm install\` (or \`npm run build\`) in ${join(__dirname, '..')}\n`);
  process.exit(1);
}
let cachedData;
try {
  cachedData = readFileSync(`${bundle}.cache`);
} catch {
  // No cache (a build without one): compile as usual.
}
const script = new Script(Module.wrap(source), {
  filename: bundle,
  cachedData,
  importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
const bundleModule = { exports: {} };
script.runInThisContext()(bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, dirname(bundle));
