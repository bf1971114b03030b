// Bundles the CLI into dist/ with esbuild: one small entry plus lazily imported chunks, so a
// command loads only the code it runs.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);

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

await build({
  absWorkingDir: root,
  entryPoints: { phone: 'src/entry.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  minifySyntax: true,
  legalComments: 'none',
  sourcemap: false,
  define: { PHONE_VERSION: JSON.stringify(pkg.version) },
  // CommonJS dependencies (cli-table3, cosmiconfig) call require(); ESM output has none.
  banner: { js: "import { createRequire as __phoneCreateRequire } from 'node:module'; const require = __phoneCreateRequire(import.meta.url);" },
  external: ['typescript'],
  plugins: [ofetchCore],
  logLevel: 'warning',
});
