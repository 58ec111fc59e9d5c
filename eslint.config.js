// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Import zones (docs/ARCHITECTURE.md): domain ← app ← {server, cli}; db and integrations only from app
// (and the composition roots). The domain imports nothing outside src/domain, no Node built-ins with I/O.
const outsideDomain = [
  '**/app/**',
  '**/db/**',
  '**/server/**',
  '**/cli/**',
  '**/integrations/**',
  '**/config/**',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'web/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: outsideDomain, message: 'The domain is pure: it imports nothing outside src/domain.' },
            {
              group: [
                'node:*',
                'fs',
                'path',
                'http',
                'https',
                'net',
                'child_process',
                'kysely',
                'pg',
                'better-sqlite3',
                'fastify',
                'pino',
              ],
              message: 'The domain does no I/O.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Config is passed in; the domain never reads process.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Pass `now` in.',
        },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Pass `now` in.' },
        {
          selector: "MemberExpression[object.name='Temporal'][property.name='Now']",
          message: 'Pass `now` in.',
        },
      ],
    },
  },
  {
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/server/**', '**/cli/**'], message: 'Use cases do not know their callers.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/**', '**/integrations/**'],
              message: 'Routes and commands go through use cases in src/app.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/db/**/*.ts', 'src/integrations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/app/**', '**/server/**', '**/cli/**'], message: 'Edges do not import use cases.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/db/migrations/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../**', '!../migration-helpers.js'],
              message: 'Migrations are frozen: they import nothing from the app.',
            },
          ],
        },
      ],
    },
  },
);
