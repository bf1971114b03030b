// Bundles the CLI into dist/ with esbuild. Start-up time is a feature: the main bundle holds what
// every command needs (commander, phone's own code, the HTTP client); dependencies that only some
// runs need (cosmiconfig when a config file exists, js-yaml when it is YAML, cli-table3 and chalk for tables) are bundled
// apart in dist/vendor/ and required only when used. Output is CommonJS: Node 20's ES module
// loader alone adds about 5 ms to every start.
import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);

// esbuild and the bundled packages are devDependencies: a global install straight from an unbuilt
// clone (`npm install -g .` runs this as `prepare` without them) gets a fix instead of a stack trace.
const { build } = await import('esbuild').catch(() => {
  console.error(
    `phone: cannot build dist/: esbuild is not installed. Run \`npm install\` in ${root} first, then \`npm install -g .\` (see README.md, "Set-up").`,
  );
  process.exit(1);
});

/** Loaded on demand from dist/vendor/<name>.js; the source that bundles each. */
const VENDOR = {
  cosmiconfig: "module.exports = require('cosmiconfig');",
  'js-yaml': "module.exports = require('js-yaml');",
  'cli-table3': "module.exports = require('cli-table3');",
  chalk: "export * from 'chalk';",
};

/** What cosmiconfig's default loaders require: never called, so left out of its vendor bundle. */
const COSMICONFIG_UNUSED_LOADERS = ['typescript', 'import-fresh', 'parse-json', 'js-yaml'];

/**
 * ofetch's entry modules read globalThis.Headers (and, for Node, load node-fetch-native) at
 * import time, which costs 20-30 ms of start-up. phone passes its own transport and Headers to
 * createFetch, so it imports createFetch and FetchError straight from ofetch's shared module.
 */
const ofetchCore = {
  name: 'ofetch-core',
  setup(b) {
    b.onResolve({ filter: /^ofetch$/ }, () => ({ path: 'ofetch-core', namespace: 'ofetch-core' }));
    b.onLoad({ filter: /.*/, namespace: 'ofetch-core' }, () => {
      const entry = join(dirname(require.resolve('ofetch/package.json')), 'dist/index.mjs');
      const source = readFileSync(entry, 'utf8');
      const create = /import \{ (\w+) as createFetch \} from '(\.\/shared\/[^']+)'/.exec(source);
      const error = /export \{ (\w+) as FetchError\b/.exec(source);
      if (!create || !error) throw new Error(`ofetch ${entry} changed shape: update scripts/build.mjs`);
      const shared = join(dirname(entry), create[2]);
      return {
        contents: `export { ${create[1]} as createFetch, ${error[1]} as FetchError } from ${JSON.stringify(shared)};`,
        resolveDir: dirname(entry),
      };
    });
  },
};

/** The vendor packages stay out of the main bundle: their imports become requires of dist/vendor/. */
const vendorExternal = {
  name: 'vendor-external',
  setup(b) {
    const names = Object.keys(VENDOR)
      .map((name) => name.replace(/[-/]/g, '\\$&'))
      .join('|');
    b.onResolve({ filter: new RegExp(`^(${names})$`) }, (args) => ({ path: `./vendor/${args.path}.js`, external: true }));
  },
};

/**
 * commander requires node:child_process at load time (2-3 ms) for executable subcommands, which
 * phone does not have; the module is loaded only if commander ever reaches for it.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const eager = "const childProcess = require('node:child_process');";
      if (!source.includes(eager)) throw new Error(`${args.path} changed shape: update scripts/build.mjs`);
      const lazy = "const childProcess = new Proxy({}, { get: (_, name) => require('node:child_process')[name] });";
      return { contents: source.replace(eager, lazy), loader: 'js' };
    });
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
};

rmSync(join(root, 'dist'), { recursive: true, force: true });
await Promise.all([
  build({
    ...common,
    entryPoints: { phone: 'src/entry.ts' },
    outdir: 'dist',
    define: { PHONE_VERSION: JSON.stringify(pkg.version), 'import.meta.url': '__phoneModuleUrl' },
    banner: { js: 'const __phoneModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [ofetchCore, vendorExternal, lazyChildProcess],
    // A native module (an optionalDependency with a prebuilt binary per platform), which no bundle can
    // hold: required from node_modules, by the one lazily loaded module that reads the credential store.
    external: ['@napi-rs/keyring'],
  }),
  ...Object.entries(VENDOR).map(([name, contents]) =>
    build({
      ...common,
      // cosmiconfig's own loaders require these lazily; phone passes its own loaders for every
      // extension, so they never run, and TypeScript (its .ts loader) must never be bundled.
      external: name === 'cosmiconfig' ? COSMICONFIG_UNUSED_LOADERS : [],
      stdin: { contents, resolveDir: root, loader: 'js', sourcefile: `vendor-${name}.js` },
      outfile: `dist/vendor/${name}.js`,
    }),
  ),
]);
// A dynamic import() left in the bundle would start Node's ES module loader (and needs a callback
// under vm.Script): lazy code must be phone's own modules, which esbuild turns into requires.
const leftover = /\bimport\(["']/.exec(readFileSync(join(root, 'dist', 'phone.js'), 'utf8'));
if (leftover) throw new Error('dist/phone.js has a dynamic import(): import packages statically from a lazily loaded module instead');
// The fixed shell code of the completion scripts is read at run time from beside the module that
// reads it (src/completion/script.ts): in the bundle, that is beside dist/phone.js.
for (const file of readdirSync(join(root, 'src', 'completion')).filter((name) => /\.(sh|bash|zsh|fish)$/.test(name))) {
  copyFileSync(join(root, 'src', 'completion', file), join(root, 'dist', file));
}
// dist/ is CommonJS whatever the package's own "type" says.
writeFileSync(join(root, 'dist', 'package.json'), '{"type":"commonjs"}\n');
execFileSync(process.execPath, [join(root, 'scripts', 'code-cache.cjs'), join(root, 'dist', 'phone.js')], { stdio: 'inherit' });
