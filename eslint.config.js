import fs from 'node:fs';
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const root = import.meta.dirname;
const MIGRATIONS = 'Take the list from src/domain/: migrations keep their own copies and are never imported.';

/** Every feature folder: a feature reaches another only through that feature's index.ts. */
const features = fs
  .readdirSync(path.join(root, 'src/features'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** The parts of src/ other than `keep`, for zones "X imports only …". */
const srcOutside = (...keep) =>
  [
    'features',
    'plugins',
    'lib',
    'domain',
    'db',
    'i18n',
    'app.ts',
    'server.ts',
    'services.ts',
    'config.ts',
    'types.ts',
    'lifecycle.ts',
  ]
    .filter((part) => !keep.includes(part))
    .map((part) => `./src/${part}`);

/** Where Knex may be used: repositories, the database layer, and the composition root. */
const KNEX_ALLOWED = [
  'src/**/repository.ts',
  'src/**/*-repository.ts',
  'src/db/**',
  'src/app.ts',
  'src/services.ts',
  'src/server.ts',
  'src/types.ts',
  'src/plugins/core.ts',
  'src/plugins/jobs.ts',
  'src/**/*.test.ts',
];

const QUERY_BUILDER_CALL = {
  selector: "CallExpression[callee.type='Identifier'][callee.name=/^(db|trx|knex|conn)$/]",
  message: 'Query builders only in repositories.',
};

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'dist/', 'public/vendor/', 'coverage/', '.tap/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        document: 'readonly',
        window: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Boundaries (README, "How the code is organised"). import-x resolves `./x.js` to `x.ts` through
    // tsconfig, so the zones below see real files; `import type` counts as much as a value import.
    // Unit tests beside the code may read internals and the demo seeds.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({ project: path.join(root, 'tsconfig.json') }),
      ],
    },
    rules: {
      // Module cycles (runtime imports); scripts/check-graph.ts adds type imports and feature cycles.
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: root,
          zones: [
            ...features.map((feature) => ({
              target: `./src/features/${feature}`,
              from: './src/features/*/**',
              except: [`**/src/features/${feature}/**`, '**/src/features/*/index.ts'],
              message: 'A feature uses another feature only through its index.ts.',
            })),
            {
              target: ['./src/app.ts', './src/services.ts'],
              from: './src/features/*/**',
              except: ['**/src/features/*/index.ts'],
              message: 'app.ts and services.ts take each feature from its index.ts.',
            },
            {
              target: './src/features',
              from: './src/plugins/access/**',
              except: ['**/src/plugins/access/index.ts'],
              message: 'Log access is asked through plugins/access/index.ts.',
            },
            { target: './src', from: './migrations', message: MIGRATIONS },
            {
              target: srcOutside('server.ts'),
              from: './seeds',
              message: 'Only server.ts reads the demo accounts.',
            },
            {
              target: ['./src/plugins', './src/lib', './src/db', './src/domain', './src/i18n'],
              from: ['./src/features', './src/services.ts'],
              message: 'Plugins and shared code never import a feature.',
            },
            {
              target: './src/lib',
              from: srcOutside('lib', 'domain', 'i18n'),
              message: 'lib holds pure helpers: it imports only lib, domain and i18n.',
            },
            {
              target: './src/domain',
              from: srcOutside('domain', 'lib', 'i18n'),
              message: 'domain holds lists and types: it imports only domain, lib and i18n.',
            },
          ],
        },
      ],
    },
  },
  {
    // Knex only in repositories and src/db: services take a transaction handle, routes take a service.
    files: ['src/**/*.ts'],
    ignores: KNEX_ALLOWED,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          // A type (Knex.Transaction, to hand a transaction on) is not a query.
          paths: [{ name: 'knex', message: 'Knex only in repositories and src/db.', allowTypeImports: true }],
          patterns: [
            { group: ['**/db/knex.js'], message: 'The database handle only in repositories and src/db.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='db']",
          message: 'The database only in repositories: take a repository or a service instead.',
        },
        QUERY_BUILDER_CALL,
      ],
    },
  },
  {
    // A plugin's entry may build its own repository from app.db; it still writes no SQL itself.
    files: ['src/plugins/*/index.ts'],
    rules: { 'no-restricted-syntax': ['error', QUERY_BUILDER_CALL] },
  },
  {
    // CommonJS config files read by tools that load them with require() (.puppeteerrc.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
