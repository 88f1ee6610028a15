import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The core stays pure: no SDK, HTTP, GitHub or file-system code (DESIGN.md, "Architecture").
    files: [
      'src/core/**/*.ts',
      'src/policy/**/*.ts',
      'src/catalog/**/*.ts',
      'src/plan/**/*.ts',
      'src/apply/**/*.ts',
      'src/report/**/*.ts',
      'src/engine/**/*.ts',
      'src/export/**/*.ts',
      'src/why/**/*.ts',
      'src/review/**/*.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'twilio',
                'twilio/*',
                '@actions/*',
                '@octokit/*',
                'node:http',
                'node:https',
                'node:net',
                'node:fs',
                'node:fs/*',
                'fs',
                'fs/*',
                'undici',
              ],
              message: 'The core is pure: inject an adapter instead.',
            },
            {
              group: ['**/twilio/**', '**/github/**', '**/action/**', '**/cli/**', '**/emulator/**'],
              message: 'Edges import the core, never the reverse.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
