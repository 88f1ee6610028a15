import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

// Which folders of src/ each folder may import (DESIGN.md, "Architecture"): data flows one way,
// edges import the core and never the reverse. Each folder's README says the same in words.
const FOLDERS = [
  'model',
  'catalog',
  'policy',
  'live',
  'plan',
  'apply',
  'report',
  'twilio',
  'github',
  'action',
  'cli',
  'emulator',
];
const MAY_IMPORT = {
  model: [],
  catalog: ['model'],
  policy: ['model', 'catalog'],
  live: ['model'],
  plan: ['model', 'catalog'],
  apply: ['model', 'catalog', 'live', 'plan'],
  report: ['model', 'catalog', 'plan'],
  twilio: ['model', 'catalog', 'live'],
  github: ['model', 'plan', 'report'],
  action: ['model', 'catalog', 'policy', 'live', 'plan', 'apply', 'report', 'twilio', 'github'],
  cli: ['model', 'catalog', 'policy', 'live', 'plan', 'apply', 'report', 'twilio', 'emulator'],
  emulator: ['model', 'catalog'],
};
const CORE = ['model', 'catalog', 'policy', 'live', 'plan', 'apply', 'report'];

// The core is pure: no SDK, HTTP, GitHub or file-system code.
const IMPURE = {
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
};

const boundaries = FOLDERS.map((folder) => {
  const forbidden = FOLDERS.filter((other) => other !== folder && !MAY_IMPORT[folder].includes(other));
  const patterns = forbidden.length
    ? [
        {
          group: forbidden.map((f) => `**/${f}/**`),
          message: `src/${folder}/ may import only ${MAY_IMPORT[folder].join(', ') || 'itself'} (see its README).`,
        },
      ]
    : [];
  if (CORE.includes(folder)) patterns.push(IMPURE);
  return {
    files: [`src/${folder}/**/*.ts`],
    // The one file of the core that touches the disk: it reads the policy file (size, type and
    // confinement checks first) and hands the text to the pure loader; the CLI and the action share it.
    ...(folder === 'policy' ? { ignores: ['src/policy/read-file.ts'] } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
});

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
    // One function, one job: past these a function is split (docs/architecture.md). Exceptions go
    // here, each with its reason; there are none today.
    files: ['src/**/*.ts'],
    rules: {
      complexity: ['error', 25],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true }],
    },
  },
  ...boundaries,
  {
    files: ['src/policy/read-file.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: FOLDERS.filter((f) => !MAY_IMPORT.policy.includes(f) && f !== 'policy').map(
                (f) => `**/${f}/**`,
              ),
              message: 'src/policy/ may import only model, catalog.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
