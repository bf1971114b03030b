// Lint: typescript-eslint's recommended rules, plus the layering of src/ (see README, "Development"):
// no import cycle (static or dynamic), and each folder imports only the layers below it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Folders above a layer, which that layer must not import. */
const LAYERS = [
  { files: ['src/api/**'], above: ['phone', 'commands', 'batch', 'output', 'completion'], also: ['cli', 'context'] },
  { files: ['src/phone/**'], above: ['commands', 'batch', 'completion'], also: ['cli', 'context'] },
  { files: ['src/output/**'], above: ['commands', 'batch', 'completion'], also: ['cli', 'context'] },
  { files: ['src/batch/**'], above: ['commands', 'completion'], also: ['cli'] },
  // The credential store sits beside the config files it falls back to: below every command, above nothing but them.
  { files: ['src/credentials/**'], above: ['api', 'phone', 'commands', 'batch', 'completion'], also: ['cli', 'context'] },
  { files: ['src/commands/**'], above: [], also: ['cli'] },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/tmp/**', 'src/api/clerk-api.generated.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'import-x/no-cycle': ['error', { maxDepth: Infinity }],
    },
  },
  // CommonJS (bin/, the V8 code-cache writer, the RSS probe) requires its modules.
  { files: ['**/*.cjs', 'bin/**'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Tests match terminal bytes on purpose.
  { files: ['test/**'], rules: { 'no-control-regex': 'off' } },
  ...LAYERS.map(({ files, above, also }) => ({
    files,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...above.map((folder) => ({ group: [`**/${folder}/**`], message: `${files[0]} is below ${folder}/: imports point down only` })),
            ...also.map((file) => ({ group: [`**/${file}.js`], message: `${files[0]} is below ${file}.ts: imports point down only` })),
          ],
        },
      ],
    },
  })),
);
