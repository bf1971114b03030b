// Writes <bundle>.cache, the V8 code cache bin/phone.js loads: the bundle is compiled and run
// once with --help (its output thrown away), so the functions every start needs are in it.
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

const bundle = process.argv[2];
const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle });
process.argv = [process.argv[0], bundle, '--help'];
process.stdout.write = () => true;
const bundleModule = { exports: {} };
script.runInThisContext()(bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, dirname(bundle));
process.on('beforeExit', () => {
  writeFileSync(`${bundle}.cache`, script.createCachedData());
  process.exitCode = 0;
});
