// Writes <bundle>.cache, the V8 code cache bin/phone.js loads. The bundle is compiled once and run
// as a person would run it, output thrown away: `--help`, then `get` against a throwaway local
// server, so the functions of start-up, a request and JSON output are in the cache.
const { readFileSync, writeFileSync } = require('node:fs');
const { createServer } = require('node:http');
const Module = require('node:module');
const { dirname } = require('node:path');
const { Script } = require('node:vm');

const bundle = process.argv[2];
const script = new Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle });
const compiled = script.runInThisContext();

/** Runs the bundle once with these arguments; resolves when the command has finished its work. */
function run(args, env) {
  process.argv = [process.argv[0], bundle, ...args];
  Object.assign(process.env, env);
  const bundleModule = { exports: {} };
  compiled(bundleModule.exports, Module.createRequire(bundle), bundleModule, bundle, dirname(bundle));
  return new Promise((resolve) => setTimeout(resolve, 200));
}

const phoneNumber = {
  id: 'idn_cache',
  object: 'phone_number',
  phone_number: '+12015550100',
  reserved: false,
  verification: null,
  linked_to: [],
  created_at: 0,
  updated_at: 0,
};
const server = createServer((request, response) => {
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify(phoneNumber));
});

function writeCache() {
  writeFileSync(`${bundle}.cache`, script.createCachedData());
  // The runs leave keep-alive sockets and signal handlers behind; the cache is what was wanted.
  process.exit(0);
}

process.stdout.write = () => true;
// Where no local port can be had, the cache holds what --help compiled.
server.on('error', () => run(['--help'], {}).then(writeCache));
server.listen(0, '127.0.0.1', async () => {
  await run(['--help'], {});
  await run(['get', 'idn_cache', '--json'], {
    CLERK_SECRET_KEY: 'sk_test_codecache',
    CLERK_API_URL: `http://127.0.0.1:${server.address().port}`,
  });
  server.closeAllConnections();
  writeCache();
});
