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
      'src/model/**/*.ts',
      'src/catalog/**/*.ts',
      'src/policy/**/*.ts',
      'src/live/**/*.ts',
      'src/plan/**/*.ts',
      'src/apply/**/*.ts',
      'src/report/**/*.ts',
    ],
    // The one file of the core that touches the disk: it reads the policy file (size, type, confinement
    // checks first) and hands the text to the pure loader; the CLI and the action both use it.
    ignores: ['src/policy/read-file.ts'],
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
