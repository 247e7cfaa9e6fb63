import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const MIGRATIONS = 'Take the list from src/domain/: migrations keep their own copies and are never imported.';

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
    // Boundaries (README, "How the code is organised"): feature code takes its lists from src/domain/ and
    // never from a migration (migrations keep literal copies; test/domain-lists.test.ts compares them).
    files: ['src/**/*.ts'],
    ignores: ['src/plugins/**', 'src/lib/**', 'src/db/**', 'src/domain/**', 'src/i18n/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/migrations/**'], message: MIGRATIONS }] },
      ],
    },
  },
  {
    // The shared layers (plugins, lib, db, domain, i18n) never import a feature, nor a migration.
    files: [
      'src/plugins/**/*.ts',
      'src/lib/**/*.ts',
      'src/db/**/*.ts',
      'src/domain/**/*.ts',
      'src/i18n/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/migrations/**'], message: MIGRATIONS },
            { group: ['**/features/**'], message: 'Plugins and shared code never import a feature.' },
          ],
        },
      ],
    },
  },
  {
    // CommonJS config files read by tools that load them with require() (.puppeteerrc.cjs).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
